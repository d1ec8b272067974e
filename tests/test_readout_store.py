"""The run directory's hidden-state files (``RUN_DIR/readouts/``), without a model."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from evalkit.errors import EvalkitError
from evalkit.readouts import ReadoutStore
from evalkit.readouts.arrays import file_name

REPO = Path(__file__).resolve().parent.parent
SAMPLE = "smollm2|facts-mcq|answer/neutral|q/1"  # ids hold | and /: files are named by hash
LAYERS = [8, 11, 30]


def states(options: int = 4, seed: int = 0) -> np.ndarray:
    values = np.random.default_rng(seed).normal(scale=3.0, size=(options, len(LAYERS), 16))
    return values.astype(np.float16)


def files(store: ReadoutStore) -> list[str]:
    return sorted(os.listdir(store.directory)) if store.directory.is_dir() else []


def test_round_trip_keeps_float16_turns_and_layers(tmp_path):
    store = ReadoutStore(tmp_path)
    turns = {1: states(seed=1), 2: states(seed=2), 3: states(options=3, seed=3)}
    store.write(SAMPLE, LAYERS, turns)

    assert files(store) == [file_name(SAMPLE)]
    read = store.read(SAMPLE)
    assert read is not None
    assert (read.sample_id, read.layers, sorted(read.turns)) == (SAMPLE, LAYERS, [1, 2, 3])
    for turn, expected in turns.items():
        assert read.turns[turn].dtype == np.float16
        assert np.array_equal(read.turns[turn], expected)  # bit for bit
    assert store.sample_ids() == {SAMPLE}
    assert store.read("another sample") is None


def test_float32_states_are_stored_as_float16(tmp_path):
    store = ReadoutStore(tmp_path)
    wide = np.linspace(-2, 2, 4 * 3 * 5, dtype=np.float32).reshape(4, 3, 5)
    store.write(SAMPLE, LAYERS, {1: wide})
    read = store.read(SAMPLE)
    assert read is not None and read.turns[1].dtype == np.float16
    assert np.array_equal(read.turns[1], wide.astype(np.float16))


def test_writing_again_replaces_the_file(tmp_path):
    store = ReadoutStore(tmp_path)
    store.write(SAMPLE, LAYERS, {1: states(seed=1)})
    store.write(SAMPLE, LAYERS, {1: states(seed=5)})
    read = store.read(SAMPLE)
    assert read is not None and np.array_equal(read.turns[1], states(seed=5))
    assert files(store) == [file_name(SAMPLE)]


def test_a_failed_replace_leaves_no_file_and_one_error_line(tmp_path, monkeypatch):
    store = ReadoutStore(tmp_path)
    store.write(SAMPLE, LAYERS, {1: states(seed=1)})

    def full_disk(*_):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(EvalkitError, match="No space left on device"):
        store.write(SAMPLE, LAYERS, {1: states(seed=2)})
    with pytest.raises(EvalkitError):
        store.write("new sample", LAYERS, {1: states(seed=3)})
    monkeypatch.undo()
    # the earlier file is whole, nothing half written is visible, no temporary is left
    assert files(store) == [file_name(SAMPLE)]
    read = store.read(SAMPLE)
    assert read is not None and np.array_equal(read.turns[1], states(seed=1))
    assert store.read("new sample") is None


KILLED_WRITER = """
import os, sys, time
import numpy as np
from pathlib import Path
from evalkit.readouts import ReadoutStore

real_write = os.write
def slow_write(fd, data):  # half the file reaches the disk, then the process is killed
    real_write(fd, bytes(data[: len(data) // 2]))
    print("half written", flush=True)
    time.sleep(60)
os.write = slow_write
ReadoutStore(Path(sys.argv[1])).write(
    "killed sample", [1, 2], {1: np.ones((4, 2, 4096), dtype=np.float16)}
)
"""


def test_a_writer_killed_mid_file_leaves_only_a_temporary_that_prune_removes(tmp_path):
    store = ReadoutStore(tmp_path)
    store.write(SAMPLE, LAYERS, {1: states()})
    writer = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(KILLED_WRITER), str(tmp_path)],
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline() == b"half written\n"
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
    # the torn bytes are only in a temporary: the sample simply has no states
    assert files(store) == sorted([file_name(SAMPLE), f".{file_name('killed sample')}.tmp"])
    assert store.read("killed sample") is None
    assert store.sample_ids() == {SAMPLE}
    assert store.prune({SAMPLE}) == 1
    assert files(store) == [file_name(SAMPLE)]


def test_prune_deletes_orphans_only(tmp_path):
    store = ReadoutStore(tmp_path)
    for n in range(4):
        store.write(f"sample {n}", LAYERS, {1: states(seed=n)})
    foreign = store.directory / "notes.txt"
    foreign.write_text("not ours")
    # samples 0 and 2 have records; 1 and 3 were written by a run killed before their records
    assert store.prune({"sample 0", "sample 2", "sample without states"}) == 2
    assert store.sample_ids() == {"sample 0", "sample 2"}
    assert foreign.read_text() == "not ours"
    assert store.prune({"sample 0", "sample 2"}) == 0
    assert ReadoutStore(tmp_path / "no run").prune(set()) == 0


def test_a_missing_folder_is_no_states(tmp_path):
    store = ReadoutStore(tmp_path)
    assert store.read(SAMPLE) is None
    assert store.sample_ids() == set()


def ignored(store: ReadoutStore, sample: str = SAMPLE) -> None:
    """The sample has no states, with a warning, and listing the folder skips it."""
    with pytest.warns(RuntimeWarning, match="ignoring readout file"):
        assert store.read(sample) is None
    with pytest.warns(RuntimeWarning, match="ignoring readout file"):
        assert sample not in store.sample_ids()


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # torn
        lambda data: b"",  # empty
        lambda data: b"\xff" * 64,  # header length beyond the file
        lambda data: data[:8] + b"[" + data[9:],  # broken JSON
        lambda data: data[:-1],  # tensors one byte short
    ],
    ids=["torn", "empty", "huge-header", "bad-json", "short"],
)
def test_a_corrupt_file_is_no_states_with_a_warning(tmp_path, damage):
    store = ReadoutStore(tmp_path)
    store.write(SAMPLE, LAYERS, {1: states()})
    path = store.path(SAMPLE)
    path.write_bytes(damage(path.read_bytes()))
    with pytest.warns(RuntimeWarning, match="ignoring readout file"):
        assert store.read(SAMPLE) is None


def foreign_safetensors(path: Path, metadata: dict[str, str] | None, dtype=np.float16) -> None:
    from safetensors.numpy import save

    path.parent.mkdir(exist_ok=True)
    path.write_bytes(save({"turn.1": np.zeros((4, 3, 8), dtype=dtype)}, metadata=metadata))


@pytest.mark.parametrize(
    ("metadata", "dtype"),
    [
        (None, np.float16),
        ({"format": "someone-else"}, np.float16),
        ({"format": "evalkit-readouts/1", "sample_id": SAMPLE, "layers": "[1, 2, 3]"}, np.float32),
        ({"format": "evalkit-readouts/1", "sample_id": SAMPLE, "layers": "[1, 2]"}, np.float16),
        ({"format": "evalkit-readouts/1", "sample_id": SAMPLE, "layers": "oops"}, np.float16),
    ],
    ids=["no-metadata", "other-format", "float32", "layers-disagree", "bad-layers"],
)
def test_a_foreign_file_is_no_states_with_a_warning(tmp_path, metadata, dtype):
    store = ReadoutStore(tmp_path)
    foreign_safetensors(store.path(SAMPLE), metadata, dtype)
    ignored(store)


def test_a_file_holding_another_sample_is_ignored(tmp_path):
    store = ReadoutStore(tmp_path)
    store.write("other sample", LAYERS, {1: states()})
    os.replace(store.path("other sample"), store.path(SAMPLE))  # copied under another name
    ignored(store)
    with pytest.warns(RuntimeWarning, match="not that of its sample 'other sample'"):
        assert store.sample_ids() == set()


def test_a_symbolic_link_is_never_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    ReadoutStore(outside).write(SAMPLE, LAYERS, {1: states()})
    run = tmp_path / "run"
    store = ReadoutStore(run)
    store.directory.mkdir(parents=True)
    store.path(SAMPLE).symlink_to(ReadoutStore(outside).path(SAMPLE))
    with pytest.warns(RuntimeWarning, match="symbolic link"):
        assert store.read(SAMPLE) is None
    with pytest.warns(RuntimeWarning, match="symbolic link"):
        assert store.sample_ids() == set()
    # pruning removes the link, not the file it points to
    assert store.prune(set()) == 1
    assert ReadoutStore(outside).read(SAMPLE) is not None


def test_a_linked_readouts_folder_is_neither_read_nor_written(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    ReadoutStore(outside).write(SAMPLE, LAYERS, {1: states()})
    run = tmp_path / "run"
    run.mkdir()
    (run / "readouts").symlink_to(outside / "readouts")
    store = ReadoutStore(run)
    with pytest.warns(RuntimeWarning, match="symbolic link"):
        assert store.sample_ids() == set()
    with pytest.raises(EvalkitError, match="symbolic link"):
        store.write("new", LAYERS, {1: states()})
    assert os.listdir(outside / "readouts") == [file_name(SAMPLE)]


def test_a_fifo_is_not_waited_on(tmp_path):
    store = ReadoutStore(tmp_path)
    store.directory.mkdir()
    os.mkfifo(store.path(SAMPLE))
    ignored(store)


def test_the_metadata_names_the_sample_and_layers(tmp_path):
    store = ReadoutStore(tmp_path)
    store.write(SAMPLE, LAYERS, {2: states()})
    data = store.path(SAMPLE).read_bytes()
    header = json.loads(data[8 : 8 + int.from_bytes(data[:8], "little")])
    assert header["__metadata__"] == {
        "format": "evalkit-readouts/1",
        "sample_id": SAMPLE,
        "layers": "[8, 11, 30]",
    }
    assert header["turn.2"]["dtype"] == "F16" and header["turn.2"]["shape"] == [4, 3, 16]


def test_importing_readouts_loads_neither_numpy_nor_safetensors():
    code = "import sys, evalkit.readouts; print(sorted({'numpy', 'safetensors'} & {*sys.modules}))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert out.stdout.strip() == "[]"
