"""``hf://`` sources downloaded for real: the official clients against a loopback fake hub.

``huggingface_hub`` and ``datasets`` talk HTTP to :class:`FakeHubServer` on
127.0.0.1 exactly as they would to huggingface.co; only their configuration
(endpoint, cache folders) is pointed at the fake and a per-test cache, never
their functions. Most tests go through ``evalkit run`` or ``build_plan`` on a
run config; one runs ``evalkit`` in a fresh process configured by environment
variables alone, as a user would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from evalkit.cli import main
from evalkit.config import DatasetConfig
from evalkit.dataset import Dataset, load_dataset
from evalkit.errors import EvalkitError
from evalkit.loaders import hub as loaders_hub
from evalkit.plan import build_plan
from evalkit.testing.fake_api import FakeAPIServer
from evalkit.testing.fake_hub import FakeHubServer, commit_id, git_blob_id

pytest.importorskip("datasets")
import huggingface_hub  # noqa: E402 - after the skip: `datasets` brings it

REPO = Path(__file__).resolve().parents[1]
SHARMA = REPO / "tests" / "fixtures" / "sharma"
SURE = (SHARMA / "are_you_sure.jsonl").read_bytes()
#: Its multiple-choice items (the third is free-form), which answer/neutral can ask.
MC = ["mmlu_mc_cot", "aqua_mc"]
KEY = "sk-test-hf-0123456789"

SYCOPHANCY = "meg-tong/sycophancy-eval"
ARITH = "someone/arith"
ARITH_ROWS = [
    {"q": "What is 2 + 2?", "a": "4", "options": ["3", "4", "5"]},
    {"q": "What is 3 + 3?", "a": "6", "options": ["6", "7", "9"]},
]
ARITH_FIELDS = {"question": "q", "correct_answer": "a", "choices": "options"}
REPOS = {
    SYCOPHANCY: {
        "are_you_sure.jsonl": SURE,
        "answer.jsonl": (SHARMA / "answer.jsonl").read_bytes(),
        "README.md": b"# sycophancy-eval (fake hub copy)\n",
    },
    ARITH: {"train.jsonl": "".join(json.dumps(r) + "\n" for r in ARITH_ROWS).encode()},
}
SURE_URL = f"/datasets/{SYCOPHANCY}/resolve/main/are_you_sure.jsonl"


@pytest.fixture
def hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHubServer]:
    """The fake hub, with the clients pointed at it and caching under tmp_path only."""
    with FakeHubServer(REPOS) as server:
        cache = tmp_path / "hf-cache"
        for name, value in server.client_env(cache).items():
            monkeypatch.setenv(name, value)
        for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "TRANSFORMERS_OFFLINE"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("EVALKIT_CACHE_DIR", str(tmp_path / "evalkit-cache"))
        monkeypatch.setenv("TEST_API_KEY", KEY)
        server.patch_constants(monkeypatch, cache)
        yield server
    # `datasets` keeps one HfFileSystem per endpoint; a later test may get this port again.
    huggingface_hub.HfFileSystem.clear_instance_cache()


def write_config(folder: Path, *entries: dict, base_url: str = "http://127.0.0.1:9/v1") -> Path:
    config = {
        "name": "hf-download",
        "models": [
            {
                "provider": "openai",
                "model": "fake-gpt",
                "base_url": base_url,
                "api_key_env": "TEST_API_KEY",
                "generation": {"max_new_tokens": 16},
            }
        ],
        "datasets": list(entries),
        "conditions": ["answer/neutral"],
    }
    path = folder / "run.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def plan_dataset(config: Path) -> Dataset:
    (dataset,) = build_plan(config).datasets
    return dataset


def sure(name: str = f"hf://{SYCOPHANCY}/are_you_sure.jsonl", **keys: object) -> dict:
    """A dataset entry for the Sharma are_you_sure file, its multiple-choice items only."""
    return {"name": name, "categories": MC, **keys}


def local_copy() -> Dataset:
    return load_dataset(DatasetConfig(name=str(SHARMA / "are_you_sure.jsonl")), REPO)


def dumped(dataset: Dataset) -> list[dict]:
    return [item.model_dump(mode="json") for item in dataset.items]


def seen(server: FakeHubServer) -> list[tuple[str, str, int | None]]:
    return [(r.method, r.path, r.status) for r in server.stats.received]


# -- one file: hf://owner/name/file.jsonl ------------------------------------------------


def test_hub_file_is_downloaded_and_run_like_the_local_copy(hub: FakeHubServer, tmp_path: Path):
    source = f"hf://{SYCOPHANCY}/are_you_sure.jsonl"
    with FakeAPIServer(api_key=KEY, models=["fake-gpt"]) as api:
        config = write_config(tmp_path, sure(source), base_url=api.openai_base_url)
        out = tmp_path / "out"
        assert main(["run", str(config), "--out", str(out)]) == 0
        assert api.stats().by_path.get("/v1/chat/completions") == 2  # one per item

    assert seen(hub) == [("HEAD", SURE_URL, 200), ("GET", SURE_URL, 200)]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    (entry,) = manifest["datasets"]
    local = local_copy()
    assert entry["source"] == source
    assert entry["name"] == "are_you_sure" and entry["items"] == 2
    assert entry["sha256"] == local.sha256
    commit = commit_id(REPOS[SYCOPHANCY])
    cached = Path(entry["path"])
    folder = "datasets--meg-tong--sycophancy-eval"
    assert cached.parts[-4:] == (folder, "snapshots", commit, "are_you_sure.jsonl")
    assert cached.is_relative_to(tmp_path / "hf-cache" / "hub")
    assert cached.read_bytes() == SURE
    assert cached.resolve().name == git_blob_id(SURE)  # the blob is named by the ETag

    dataset = plan_dataset(config)
    (tmp_path / "local").mkdir()  # the same entry, naming the local copy instead
    copy = plan_dataset(write_config(tmp_path / "local", sure(str(SHARMA / "are_you_sure.jsonl"))))
    assert [i.id for i in dataset.items] == ["are_you_sure-1", "are_you_sure-2"]
    assert dumped(dataset) == dumped(copy)
    assert dataset.report == local.report.model_copy(update={"source": str(cached)})


def test_second_load_comes_from_the_cache_and_works_offline(
    hub: FakeHubServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    config = write_config(tmp_path, sure())
    first = plan_dataset(config)
    assert hub.stats.downloads() == ["are_you_sure.jsonl"]

    hub.reset_stats()
    again = plan_dataset(config)  # online: the client checks the ETag, does not download
    assert seen(hub) == [("HEAD", SURE_URL, 200)]
    assert again.path == first.path and dumped(again) == dumped(first)

    hub.reset_stats()
    with monkeypatch.context() as offline:
        offline.setenv("HF_HUB_OFFLINE", "1")
        assert dumped(plan_dataset(config)) == dumped(first)
    assert hub.stats.requests == 0

    hub.stop()  # the hub is gone: as on a machine without internet
    start = time.monotonic()
    assert dumped(plan_dataset(config)) == dumped(first)
    assert time.monotonic() - start < 5  # no retries against a dead host
    assert hub.stats.requests == 0


def test_a_changed_upstream_file_is_downloaded_again(hub: FakeHubServer, tmp_path: Path):
    config = write_config(tmp_path, sure())
    first = plan_dataset(config)
    assert first.report is not None and first.report.rows_read == 5
    lines = SURE.decode().splitlines(keepends=True)
    hub.repos[SYCOPHANCY]["are_you_sure.jsonl"] = "".join(lines[:4]).encode()  # a new commit
    hub.reset_stats()
    second = plan_dataset(config)
    assert hub.stats.downloads() == ["are_you_sure.jsonl"]
    assert second.report is not None and second.report.rows_read == 4
    assert second.path != first.path  # a new snapshot; the old one stays as it was
    assert first.path.read_bytes() == SURE


def test_the_reachability_probe_uses_the_endpoint_port(hub: FakeHubServer):
    """``HF_ENDPOINT=http://127.0.0.1:PORT`` is probed on PORT (a mirror), not on 443."""
    assert hub.port not in (80, 443)
    assert loaders_hub.hub_reachable(timeout=1.0)
    hub.stop()
    assert not loaders_hub.hub_reachable(timeout=1.0)


def test_without_the_cache_a_stopped_hub_is_the_offline_error(hub: FakeHubServer, tmp_path: Path):
    """Control for the test above: offline loads succeed because of the cache, not by luck."""
    hub.stop()
    config = write_config(tmp_path, sure())
    with pytest.raises(EvalkitError) as caught:
        build_plan(config)
    offline = "is not in the local Hugging Face cache and the hub cannot be reached (offline)"
    assert offline in str(caught.value)
    # the download hint points at the configured mirror, not at huggingface.co
    assert f"{hub.base_url}/datasets/{SYCOPHANCY}/blob/main/" in str(caught.value)
    assert "huggingface.co" not in str(caught.value)


@pytest.mark.parametrize(
    ("source", "error_class"),
    [
        (f"hf://{SYCOPHANCY}/no_such_file.jsonl", "RemoteEntryNotFoundError"),
        ("hf://nobody/no-such-dataset/answer.jsonl", "RepositoryNotFoundError"),
    ],
)
def test_missing_file_or_repo_is_one_clear_error(
    hub: FakeHubServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    source: str,
    error_class: str,
):
    config = write_config(tmp_path, {"name": source})
    with pytest.raises(EvalkitError) as caught:
        build_plan(config)
    text = str(caught.value)
    assert "\n" not in text
    assert text.startswith(f"{config}:")  # pointed at the dataset entry of the run config
    assert caught.value.line is not None
    assert f"({source}): {error_class}" in text
    assert "or `local_path:` to a local copy" in text
    assert "not in the local Hugging Face cache" not in text  # the hub answered: not "offline"
    assert [r.method for r in hub.stats.received] == ["HEAD"]
    assert hub.stats.downloads() == []

    assert main(["run", str(config), "--dry-run"]) == caught.value.exit_code != 0
    captured = capsys.readouterr()
    assert source in captured.err and error_class in captured.err
    assert "Traceback" not in captured.err + captured.out


# -- a whole dataset: hf://owner/name through datasets.load_dataset ----------------------


def test_whole_dataset_through_the_datasets_library(hub: FakeHubServer, tmp_path: Path):
    config = write_config(tmp_path, {"name": f"hf://{ARITH}", "fields": ARITH_FIELDS})
    dataset = plan_dataset(config)
    assert dataset.source == f"hf://{ARITH}"
    assert [(i.id, i.question, i.correct_answer, i.choices) for i in dataset.items] == [
        ("arith-1", "What is 2 + 2?", "4", ["3", "4", "5"]),
        ("arith-2", "What is 3 + 3?", "6", ["6", "7", "9"]),
    ]
    commit = commit_id(REPOS[ARITH])
    paths = hub.stats.paths()
    assert f"/api/datasets/{ARITH}/revision/{commit}" in paths  # repo info and file listing
    assert hub.stats.downloads() == ["train.jsonl"]

    hub.stop()  # prepared once, then read from the datasets cache without the hub
    offline = plan_dataset(config)
    assert dumped(offline) == dumped(dataset)


def test_whole_dataset_that_does_not_exist(hub: FakeHubServer, tmp_path: Path):
    config = write_config(tmp_path, {"name": "hf://nobody/no-such-dataset"})
    with pytest.raises(EvalkitError) as caught:
        build_plan(config)
    text = str(caught.value)
    assert "\n" not in text
    assert "hub dataset 'nobody/no-such-dataset' (hf://nobody/no-such-dataset)" in text
    assert "DatasetNotFoundError" in text
    assert hub.stats.by_status == {401: hub.stats.requests}  # asked, and told it does not exist
    assert all("/nobody/no-such-dataset/" in path for path in hub.stats.paths())


# -- configured by environment alone, in a fresh process ---------------------------------


def test_a_fresh_process_finds_the_hub_through_hf_endpoint(hub: FakeHubServer, tmp_path: Path):
    config = write_config(tmp_path, sure(limit=1))
    env = {**os.environ, **hub.client_env(tmp_path / "fresh-cache")}
    command = [sys.executable, "-m", "evalkit", "run", str(config), "--dry-run"]
    done = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert hub.stats.downloads() == ["are_you_sure.jsonl"]
    assert (tmp_path / "fresh-cache" / "hub" / "datasets--meg-tong--sycophancy-eval").is_dir()


# -- the fake hub speaks the wire format the client maps to its errors -------------------


def test_fake_hub_errors_map_to_the_clients_exceptions(hub: FakeHubServer):
    errors = huggingface_hub.errors
    download = huggingface_hub.hf_hub_download
    with pytest.raises(errors.RepositoryNotFoundError):
        download("nobody/nothing", "x.jsonl", repo_type="dataset")
    with pytest.raises(errors.RemoteEntryNotFoundError):
        download(SYCOPHANCY, "x.jsonl", repo_type="dataset")
    with pytest.raises(errors.RevisionNotFoundError):
        download(SYCOPHANCY, "are_you_sure.jsonl", repo_type="dataset", revision="v9")
    with pytest.raises(errors.RepositoryNotFoundError):  # the fake holds datasets only
        download(SYCOPHANCY, "are_you_sure.jsonl")
    assert sorted(hub.stats.by_status) == [401, 404]

    api = huggingface_hub.HfApi()
    info = api.dataset_info(SYCOPHANCY)
    assert info.sha == commit_id(REPOS[SYCOPHANCY])
    assert sorted(s.rfilename for s in info.siblings) == sorted(REPOS[SYCOPHANCY])
    assert api.file_exists(SYCOPHANCY, "are_you_sure.jsonl", repo_type="dataset")
    assert not api.file_exists(SYCOPHANCY, "missing.jsonl", repo_type="dataset")
    pinned = download(SYCOPHANCY, "are_you_sure.jsonl", repo_type="dataset", revision=info.sha)
    assert Path(pinned).read_bytes() == SURE
