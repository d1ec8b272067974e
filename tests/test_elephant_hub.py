"""ELEPHANT's full sets through ``hf://``: the official hub clients against the loopback fake
hub (:class:`FakeHubServer`), as ``tests/test_hf_download.py`` tests every ``hf://`` source.

The full OEQ and AITA CSVs are published in the myracheng/elephant GitHub repository, not (as
far as evalkit knows) as a Hugging Face dataset; a hub copy of them reads the same as the local
file: one file of a dataset repo (``hf://owner/name/datasets/OEQ.csv``), or a dataset repo
holding one of the two CSVs read whole through ``datasets.load_dataset`` (``hf://owner/name``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from evalkit.config import DatasetConfig
from evalkit.dataset import load_dataset
from evalkit.errors import EvalkitError
from evalkit.testing.fake_hub import FakeHubServer

pytest.importorskip("datasets")
import huggingface_hub  # noqa: E402 - after the skip: `datasets` brings it

REPO = Path(__file__).resolve().parents[1]
OEQ = (
    ",prompt,human,source,emotional_validation_human,indirect_language_human,"
    "indirect_action_human,accept_framing_human\n"
    '1029,"My husband and I fought.\nWhat now?",Talk to him.,relationship,0.0,0,1,0.0\n'
    "2022,How do I ask for a raise?,Just ask.,advisorqa,1.0,1,0,\n"
)
AITA = (
    ",prompt,top_comment,is_asshole,ytanta\n"
    "0,AITA for not cleaning up after the dog?,NTA.,0,NTA\n"
    "1,AITA for skipping my sister's wedding?,YTA.,1,YTA\n"
)
FULL = "someone/elephant"  # a hub copy of the repository's datasets/ folder
ONLY_OEQ = "someone/elephant-oeq"  # a dataset repo of one CSV, read whole
REPOS = {
    FULL: {"datasets/OEQ.csv": OEQ.encode(), "datasets/AITA.csv": AITA.encode()},
    ONLY_OEQ: {"OEQ.csv": OEQ.encode()},
}


@pytest.fixture
def hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHubServer]:
    with FakeHubServer(REPOS) as server:
        cache = tmp_path / "hf-cache"
        for name, value in server.client_env(cache).items():
            monkeypatch.setenv(name, value)
        for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "TRANSFORMERS_OFFLINE"):
            monkeypatch.delenv(name, raising=False)
        server.patch_constants(monkeypatch, cache)
        yield server
    huggingface_hub.HfFileSystem.clear_instance_cache()


def load(name: str, tmp_path: Path, **keys: object):
    return load_dataset(DatasetConfig(name=name, format="elephant", **keys), tmp_path)


def fields(dataset) -> list[tuple]:
    """What a post is, whatever file or repo it came from (the id names its source)."""
    return [
        (i.id.rsplit("-", 1)[1], i.question, i.correct_answer, i.category, i.metadata)
        for i in dataset.items
    ]


def local(tmp_path: Path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load(str(path), tmp_path)


def test_one_csv_of_a_hub_repo_reads_as_the_local_file(hub: FakeHubServer, tmp_path: Path):
    oeq = load(f"hf://{FULL}/datasets/OEQ.csv", tmp_path)
    aita = load(f"hf://{FULL}/datasets/AITA.csv", tmp_path)
    assert hub.stats.downloads() == ["datasets/OEQ.csv", "datasets/AITA.csv"]
    assert [i.id for i in oeq.items] == ["OEQ-1029", "OEQ-2022"]
    assert fields(oeq) == fields(local(tmp_path, "OEQ.csv", OEQ))
    assert fields(aita) == fields(local(tmp_path, "AITA.csv", AITA))
    assert oeq.items[1].metadata["human_labels"]["accept_framing"] is None  # empty: no label

    hub.stop()  # offline afterwards: from the hub client's cache
    assert fields(load(f"hf://{FULL}/datasets/OEQ.csv", tmp_path)) == fields(oeq)


def test_a_whole_hub_dataset_of_one_csv_reads_as_the_local_file(hub: FakeHubServer, tmp_path: Path):
    """Through ``datasets.load_dataset``: numbers arrive as numbers, empty cells as None, and
    the index column as "Unnamed: 0"; the posts are the same."""
    whole = load(f"hf://{ONLY_OEQ}", tmp_path)
    assert whole.source == f"hf://{ONLY_OEQ}"
    assert [i.id for i in whole.items] == ["elephant-oeq-1029", "elephant-oeq-2022"]
    assert fields(whole) == fields(local(tmp_path, "OEQ.csv", OEQ))


def test_offline_without_a_copy_says_what_to_download(hub: FakeHubServer, tmp_path: Path):
    hub.stop()
    with pytest.raises(EvalkitError) as caught:
        load(f"hf://{FULL}/datasets/OEQ.csv", tmp_path)
    assert "not in the local Hugging Face cache" in str(caught.value)
    assert "local_path" in (caught.value.expected or "")


def test_local_path_reads_a_downloaded_copy_without_the_hub(hub: FakeHubServer, tmp_path: Path):
    hub.stop()
    folder = tmp_path / "elephant" / "datasets"
    folder.mkdir(parents=True)
    (folder / "AITA.csv").write_text(AITA, encoding="utf-8")
    copy = load(f"hf://{FULL}/datasets/AITA.csv", tmp_path, local_path="elephant")
    assert fields(copy) == fields(local(tmp_path, "AITA.csv", AITA))
    assert [i.metadata["community_verdict"] for i in copy.items] == ["NTA", "YTA"]
