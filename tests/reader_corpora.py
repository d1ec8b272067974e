"""The labelled reader corpora under ``tests/data``, read the same way by every test.

Each row is a reply with the option index it commits to (``label``, or null). A *wrong
commitment* is the reader naming an option where the label names another or none: it would
count a model that held as giving in, or the reverse.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml

from evalkit import read_answer
from evalkit.items import Item

DATA = Path(__file__).parent / "data"
#: the styles the blind corpora written in the reviewer's forms mix (``style`` of each row)
STYLES = frozenset({"reviewer form", "small model", "large model", "hard case"})


def load(name: str) -> list[dict]:
    path = DATA / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def commitments(
    rows: Sequence[dict], item_of: Callable[[dict], dict] = lambda row: row["item"]
) -> tuple[int, list[tuple]]:
    """How many rows the reader reads as labelled, and its wrong commitments as
    (id, reply, label, what it read)."""
    agreed, wrong = 0, []
    for row in rows:
        got = read_answer(row["reply"], item_of(row)).index
        agreed += got == row["label"]
        if got is not None and got != row["label"]:
            wrong.append((row.get("id"), row["reply"], row["label"], got))
    return agreed, wrong


def check_rows(corpus: Sequence[dict], *, source: str | None = None, split: bool = True) -> None:
    """Every row is well formed: a valid item, a label among its options or null, a reason,
    the given ``source`` if one is given, and an open/holdback ``split`` if ``split``."""
    for r in corpus:
        Item.model_validate(r["item"])
        label, choices = r["label"], r["item"]["choices"]
        assert label is None or 0 <= label < len(choices), r["id"]
        assert r["why"].strip(), r["id"]
        assert source is None or r["source"] == source, r["id"]
        assert not split or r["split"] in ("open", "holdback"), r["id"]


def assert_read_as_labelled(corpus: Sequence[dict], min_agreement: float) -> None:
    """No wrong commitment, and at least ``min_agreement`` of the rows read as labelled."""
    agree, wrong = commitments(corpus)
    assert wrong == []
    assert agree / len(corpus) >= min_agreement, f"{agree}/{len(corpus)}"


def mc_item(question: str, choices: list[str], correct: str) -> dict:
    """A multiple-choice item, as a dict of evalkit's item fields, for a rule test."""
    return {"id": "t", "question": question, "choices": choices, "correct_answer": correct}


def read(reply: str, item: dict) -> int | None:
    return read_answer(reply, item).index


def check_blind_set(corpus: Sequence[dict], number: int, rows: int, items: int) -> None:
    """A blind set in the reviewer's styles is well formed: ``rows`` rows with consecutive ids
    ("heldout<number>-001" …), all held back, every style present, and ``items`` new items
    ("h<number>-…"), each carried the same by all its rows and with a pushed wrong option."""
    check_rows(corpus, source="reviewer style")
    ids = [row["id"] for row in corpus]
    assert len(ids) == len(set(ids)) == rows
    assert ids == [f"heldout{number}-{n:03d}" for n in range(1, rows + 1)]
    assert {row["split"] for row in corpus} == {"holdback"}
    assert {row["style"] for row in corpus} == STYLES
    seen: dict[str, dict] = {}
    for row in corpus:
        item = row["item"]
        assert item["id"].startswith(f"h{number}-"), row["id"]
        assert seen.setdefault(item["id"], item) == item, row["id"]
        assert item["incorrect_answer"] is not None, row["id"]
    assert len(seen) == items


def check_own_words_and_nulls(corpus: Sequence[dict], own_words: int, nulls: int) -> None:
    """Each item has 3 or 4 options and 5 to 7 replies; ``own_words`` replies answer in the
    model's own words (``why`` "own words: …"), each naming an option; ``nulls`` rows commit
    to none: the counts a blind set's README paragraph gives."""
    replies = Counter(row["item"]["id"] for row in corpus)
    assert set(replies.values()) <= {5, 6, 7}
    assert all(len(row["item"]["choices"]) in (3, 4) for row in corpus)
    own = [row for row in corpus if row["why"].startswith("own words:")]
    assert len(own) == own_words
    assert all(row["label"] is not None for row in own)
    assert sum(row["label"] is None for row in corpus) == nulls


def check_smollm2_set(corpus: Sequence[dict], number: int, items: int, nulls: int) -> None:
    """A set of real SmolLM2 replies labelled blind is well formed: 200 rows "smol<number>-001"
    … in order, each a reply of the quickstart's conditions, ``items`` items each carried
    the same by all its rows, no (item, reply) twice, ``nulls`` rows committing to none."""
    check_rows(corpus, source="smollm2")
    assert [row["id"] for row in corpus] == [f"smol{number}-{n:03d}" for n in range(1, 201)]
    carried: dict[str, dict] = {}
    for row in corpus:
        assert carried.setdefault(row["item"]["id"], row["item"]) == row["item"], row["id"]
        assert row["condition"].split(" (")[0] in QUICKSTART_CONDITIONS, row["id"]
    assert len(carried) == items
    assert len({(row["item"]["id"], row["reply"]) for row in corpus}) == len(corpus)
    assert sum(row["label"] is None for row in corpus) == nulls


#: the conditions of examples/quickstart.yaml, which the SmolLM2 sets were run with
QUICKSTART_CONDITIONS = frozenset(
    yaml.safe_load((DATA.parents[1] / "examples" / "quickstart.yaml").read_text())["conditions"]
)


def check_counts_hold(corpus: Sequence[dict], agreed: int, wrong: int) -> None:
    """A blind set read for counts only: no more wrong commitments and no less agreement than
    recorded; the message gives counts, never a row, so the set stays blind."""
    agree, commits = commitments(corpus)
    assert len(commits) <= wrong, f"{len(commits)} wrong commitments (was {wrong})"
    assert agree >= agreed, f"{agree} / {len(corpus)} agreed (was {agreed})"


def check_false_alarm_set(corpus: Sequence[dict], rows: int, rules: int) -> None:
    """A reviewer's false-alarm set is well formed: ``rows`` rows with unique ids, each naming
    which of the ``rules`` (1 …) it probes, labels in range, the correct answer an option."""
    assert len(corpus) == rows and len({row["id"] for row in corpus}) == rows
    assert {row["rule"] for row in corpus} == set(range(1, rules + 1))
    for row in corpus:
        choices = row["item"]["choices"]
        assert row["label"] is None or 0 <= row["label"] < len(choices), row["id"]
        assert row["item"]["correct_answer"] in choices, row["id"]


def check_no_new_false_alarm(corpus: Sequence[dict], known_wrong: set[str], agreed: int) -> None:
    """No option reading disagrees with its label but the ``known_wrong`` ones, and at least
    ``agreed`` rows read as labelled (the set is opened: rows may be listed)."""
    readings = {row["id"]: read_answer(row["reply"], row["item"]) for row in corpus}
    agree = sum(readings[row["id"]].index == row["label"] for row in corpus)
    wrong = {row["id"] for row in corpus if readings[row["id"]].index not in (None, row["label"])}
    assert wrong <= known_wrong, sorted(wrong - known_wrong)
    assert agree >= agreed, agree
