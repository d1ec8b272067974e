"""How often the answer reader agrees with a careful human on replies it was not tuned on.

``tests/data/reader_corpus.jsonl`` was used to tune the reader, so its agreement overstates
how well the reader does on new replies. ``tests/data/reader_heldout.jsonl`` was written and
labelled blind to the reader's rules (new items, 3 to 5 options, replies in many styles, each
labelled with the option it commits to or null). This script reads every held-out reply with
``evalkit.read_answer`` and prints agreement, wrong commitments (the reader names an option,
the label another one or none: in a sycophancy harness each can turn "held its answer" into
"gave in") and misses (the reader names none, the label an option), with the tuned corpus's
figures beside them; then lists every wrong commitment and miss with the rule that fired.
Every later set (``reader_heldout<n>``, ``reader_smollm2_blind<n>``, the false-alarm sets
``reader_trigger_words<n>``) is found by its name and printed, per style: what each is, and
its figures when first read, are in ``tests/data/README.md``.

The first reading, before any rule was changed for it, is the honest estimate for unseen
replies: 80.8% agreement (215 / 266), 7 wrong commitments, 44 misses (tuned corpus: 99.1%,
0, 4). Rules were then added for its disagreements (88.3%, 0, 31; tuned corpus 99.3%, 0, 3),
so the set is no longer blind: a new estimate needs new replies.

``tests/data/reader_heldout2.jsonl`` is such a second blind set (real SmolLM2 replies from
saved runs and hand-written replies in the style of large chat models); its figures are
printed beside the first's, per source and per split. Its ``holdback`` rows (a fixed random
30%) are never listed, only counted, so that they stay unseen while rules are changed: their
figure is the honest estimate. Untouched (final labels): 87.7% (334 / 381), 14 wrong, 33
missed; held back 84.2%, 5 wrong. After rules for the open rows: held back 87.7%, 4 wrong
(the estimate for unseen replies; tuned corpus 99.3%, first held-out set 89.1%, both still
without a wrong commitment). The held-back rows were then read and fixed too: 97.1%, 0
wrong, 11 missed.

``tests/data/reader_dev_large.jsonl`` is a development set of 284 replies written in the
manner of large chat models (GPT-4, Claude, Llama-70B) under sycophancy pressure, labelled
before the reader read them, with a seeded 30% held back. Untouched: 76.8% (218 / 284), 19
wrong, 47 missed (held back 75.3%, 5 wrong). After general rules for its open rows and for
fresh probe replies: open 95.0%, none wrong; held back 85.9% (73 / 85), 4 wrong: the
estimate for unseen replies in this style. The held-back rows were then read and fixed too:
95.1% (270 / 284), none wrong, 14 missed; tuned corpus 99.5%, first held-out set 91.0%,
second 97.1%, all still without a wrong commitment.

``tests/data/reader_heldout3.jsonl`` is a third blind set (292 large-model-style replies,
30% held back). Untouched: 84.2%, 15 wrong before the previous reader round, 86.6%, 11
wrong after it (open 88.7%, 7 wrong; held back 81.8%, 4 wrong). After general rules for
its open rows: open 92.2%, none wrong; held back 80.7%, 4 wrong (the honest estimate; its
rows are counted, never listed).

``tests/data/reader_heldout4.jsonl`` is a fourth blind set (227 replies in the forms of the
reviewer's issue, small- and large-model styles and hard cases, 30% held back). Untouched:
85.9% (195 / 227), 12 wrong, all in its "hard case" style (open 85.5%, 8 wrong; held back
86.8% (59 / 68), 4 wrong). After general rules for its open rows (``scorers.extraction.framing``,
``scorers.extraction.emphasis`` and their parts): open 100% (159 / 159), none wrong; held back 94.1%
(64 / 68), 3 wrong, 1 missed: the honest estimate (its rows are counted, never listed; all
three wrong are hard cases). The other sets still have no wrong commitment (third set's
held-back rows: 83.0%, 3 wrong, was 80.7%, 4 wrong).

``tests/data/reader_heldout5.jsonl`` is a fifth blind set (174 replies to 37 new items, the
same four styles, all held back), written after that round and read once by the reader as
it stood: 83.3% (145 / 174), 11 wrong, 18 missed (reviewer forms 90.3%, none wrong; large
model 85.7%, none wrong; hard cases 72.2%, 5 wrong; small model 79.4%, 6 wrong). No rule
was changed for it. Its wrong commitments were read to name their kinds (an option named in
passing by a sentence that answers something else, a comparison for a superlative, a hedge
across two sentences, a reply cut off before its answer, "Yes, I'm sure" before a "not"), so
it is no longer blind for rules: the next round needs a new set. Rules for those kinds
(``scorers.extraction.in_passing``, ``cut_off``, ``comparisons``, ``sure`` and a hedge across
sentences) then brought it to 89.1% (155 / 174), none wrong, 19 missed; no other corpus
gained a wrong commitment (third set's held-back rows 81.8%, one right reading now
unreadable).

``tests/data/reader_heldout6.jsonl`` is a sixth blind set (254 replies to 44 new items, the
same four styles, all held back), written blind while that round was made and read only for
these counts, never listed: before the round 86.6% (220 / 254), 13 wrong, 21 missed; after
it 86.6%, 11 wrong, 23 missed (reviewer forms 92.7%, none wrong; small model 95.3%, 3 wrong;
large model 91.2%, 1 wrong; hard cases 60.8%, 7 wrong). The rules written for the fifth
set's kinds removed two of the thirteen wrong commitments on replies they were not written
for. Its rows were then opened (issue 13, branch ``reader7``), so it is no longer blind: its
wrong commitments were read to name their kinds, and a stricter policy for the last phase
(commit a reply that only names an option only on positive evidence that it is the answer)
was measured on every corpus and dropped: each test tried cost 8 to 25 right readings per
wrong one prevented (see ``tests/data/README.md``). Rules for the kinds (a word inside a
contraction, the asked verb done to nothing, a state dated to a past stretch, a comparison
not asked for, a reply cut off on the second of a pair, the asked role given elsewhere, a
denial through a pronoun after a dash, "is by X" for "Who wrote …?", a two-word option in
the plural) brought it from 86.6%, 11 wrong, 23 missed to 90.9% (231 / 254), 1 wrong, 22
missed; elsewhere the fifth set gained a row (89.7%) and the first lost one to a miss
(90.6%), no wrong commitment added. A new estimate needs a new blind set.

The misses were then read (branch ``reader8``): the replies in the reviewer's forms read with
no wrong commitment but 90-93% agreement, the rest misses. Rules for their kinds (an ellipsis
with a participle after it, a count before a conjunction, an option denied only the asked
rank, "has more" and "holds the record" for "the most", "but Y wrote it", a shorter name, the
verdict after a list, the value of the field the question names, the asked verb denied or
restated in another form, a comparative that says the same as or the opposite of the asked
superlative, a Yes/No question answered by restating it) moved, with no wrong commitment
added on any corpus or style: fifth set 89.7% -> 93.1% (reviewer forms 90.3% -> 98.4%),
sixth 90.9% -> 94.9% (reviewer forms 92.7% -> 98.8%, large model 93.0% -> 100%), first
90.6% -> 91.4%, third set's open rows 93.1% -> 94.1%; the other sets unchanged but one
held-back row of the development set, now a miss (counted only). A probe of 47 new replies
in the issue's forms, labelled before it was read (``tests/test_reader_forms_probe.py``),
read 44 before and 45 after, none wrong; a second of 17, 14 before and 16 after, none wrong.

``tests/data/reader_heldout7.jsonl`` is a seventh blind set (245 replies to 42 new items, the
four styles, 36 replies answering in the model's own words: an alias, old name, formula or
description instead of an option's text), written blind while the two rounds above were made
and read only for these counts, never listed, no rule changed for it. Before the corpus-6
rounds (``Merge branch 'corpus7'`` on the code of ``reader6``): 77.1% (189 / 245), 11 wrong,
45 missed; after the ``reader7`` round 77.1%, 12 wrong, 44 missed; after ``reader8`` **76.7%
(188 / 245), 13 wrong, 44 missed**: reviewer forms 83.1%, 2 wrong (unchanged by either
round); small model 79.4%, 2 wrong; large model 75.9%, 2 wrong; hard cases 66.0%, 7 wrong.
Replies in an option's own words read 85.6% (179 / 209) with 12 wrong; replies in the model's
own words 25% (9 / 36): a rule reader knows no "windy city" or "shoulder blade". The rounds
that took the open sets' reviewer forms to 98% changed six readings here: one more right, one
right reading now ambiguous, one reply labelled as committing to nothing now read as an
option. So the rule reader's honest figure on unseen replies is 77-87% with 4-5% wrong
commitments, and rounds of rules for the kinds seen do not move it.

The seventh set was then opened (branch ``reader9``): its labels checked (none changed), its
13 wrong commitments and 44 misses listed with the rule that fired, and general rules written
for their kinds (see ``tests/data/README.md``). After: seventh set **86.9% (213 / 245), 0
wrong, 32 missed** (reviewer forms 91.5%, small model 84.1%, large model 87.9%, hard cases
83.0%, none wrong in any; replies in the model's own words 27.8%, 10 / 36, the rest old names,
nicknames, formulas and descriptions no rule reads). Every other corpus after the round: first
set 91.7%, 0 wrong (was 91.4%); second 97.6%, 0 (unchanged); development set 95.8%, 0 (was
95.4%; held back 95.3%); third 91.1%, 2 wrong (open 94.6%, none wrong; held back 83.0%, 2
wrong, was 81.8%, 3); fourth 98.2%, 3 (unchanged, all held back); fifth 93.1%, 0 and sixth
94.9%, 1 (unchanged); tuned corpus 99.5%, 0 (unchanged). No corpus or style gained a wrong
commitment. The set is no longer blind: the honest figure for this round's rules is the next
blind set's.

``tests/data/reader_heldout8.jsonl`` is that eighth blind set (261 replies to 45 new items,
the four styles, 38 in the model's own words; all held back, never listed), written while the
round above was made and read only for counts. Before the round: 77.4% (202 / 261), 18 wrong,
41 missed (reviewer forms 87.7%, 3 wrong; small model 92.1%, 1; large model 77.8%, 3; hard
cases 50.0%, 11; own words 39.5%, 5). After it: **78.2% (204 / 261), 18 wrong, 39 missed**
(two hard cases and two own-words replies more read, not one wrong commitment fewer). The
round that took the seventh set from 13 wrong commitments to none prevented none on replies
it was not written for: the same result as every round before it.

The eighth set was then opened (branch ``reader10``): its labels checked (none changed), its
18 wrong commitments and 39 misses listed with the rule that fired, and general rules written
for their kinds (see ``tests/data/README.md``). After: eighth set **88.1% (230 / 261), 0
wrong, 31 missed** (reviewer forms 97.3%, small model 96.8%, large model 87.3%, hard cases
69.4%, none wrong in any; replies in the model's own words 47.4%, 18 / 38). Every other
corpus after the round: first set 91.7%, 0 wrong (unchanged); second 97.6%, 0 (unchanged);
development set 96.1%, 0 (was 95.8%; held back 95.3%); third 92.1%, 2 wrong (was 91.1%; open
95.6%, none wrong; held back 84.1%, 2 wrong, was 83.0%); fourth 98.7%, 3 (was 98.2%; all
three held back); fifth 94.3%, 0 (was 93.1%); sixth 94.9%, 1 and seventh 86.9%, 0
(unchanged); tuned corpus 99.5%, 0 (unchanged). No corpus or style gained a wrong commitment
or lost a right reading. The honest figure for this round's rules is the next blind set's.

``tests/data/reader_heldout9.jsonl`` and ``reader_heldout10.jsonl`` are those next blind sets
(262 and 258 replies to 44 and 43 new items, the four styles, 38 and 39 in the model's own
words; all held back, never listed), written blind while the round above was made and read
only for counts, once before the round and once after it. Ninth set: **74.4% (195 / 262), 22
wrong, 45 missed** before and after, not one reading changed (reviewer forms 81.1%, 5 wrong;
small model 87.3%, 3; large model 70.3%, 3; hard cases 57.4%, 11; own words 39.5%, 2). Tenth
set: 79.5% (205 / 258), 9 wrong, 44 missed before; **81.4% (210 / 258), 10 wrong, 38 missed**
after (six misses read right, one right reading of a hard case now a wrong commitment; reviewer
forms 86.3%, 2 wrong; small model 91.9%, 2; large model 85.2%, 1; hard cases 61.3%, 5; own
words 35.9%, 1). The round that took the eighth set from 18 wrong commitments to none
prevented none on the 520 replies it was not written for, and added one: every round so far
has given the same answer. 19 of the ninth set's 22 wrong commitments and most of the others
come from the last phase (``option_text``: the one option a reply names), which is right on
84-86% of the blind replies it reads.

Stop 33 opened the eleventh set's reviewer-form, small- and large-model rows and wrote
general rules for their plain forms, while two helpers wrote new blind sets: the twelfth
(250 hand-written replies to 45 new items, the four styles; counted only) and 200 real SmolLM2
replies to 45 other new items, through the quickstart's seven conditions, labelled by hand.
First readings: twelfth set 77.6% (194 / 250), 12 wrong (reviewer forms 86.7%, 1 wrong;
small model 90.0%, large model 96.7%, none wrong; hard cases 30.9%, 11 wrong); SmolLM2 set
93.5% (187 / 200), 4 wrong. The rounds read every one of the 4,496 older labelled replies
the same or better (+7 right, one wrong fewer) and moved the twelfth set by nothing. The
SmolLM2 set was then opened: rules for three of its kinds took it to 97.0%, 4 wrong. A
second pair written after those rounds read: thirteenth set (hand-written, counted only)
74.8%, 16 wrong (stop 32's code 72.8%, 16); second SmolLM2 set 93.5%, 4 wrong (stop 32's
code 90.0%, 4). Rounds on the opened sets (the second SmolLM2 set to 96.0%, 1 wrong; own-
words answers after an option named in passing, narrowed on a reviewer's false-alarm set,
``tests/test_reader_trigger_words2.py``) left the thirteenth at 75.2%, 15 wrong and the
twelfth at 77.6%, 10 wrong. The twelfth set was then opened too (84.0%, 7 wrong) and a
third SmolLM2 set written after all rounds, kept blind: 95.5%, 4 wrong (stop 32's code 93.5%,
5 wrong); the thirteenth ends at 76.4%, 14 wrong. A fourteenth hand-written set, also written
after those rounds (reviewer forms 100 of its 250): 80.0%, 16 wrong (stop 32's code 77.6%,
18); reviewer forms 97.0% with none wrong (95.0%, none). A last round on the thirteenth set's
opened plain rows took it to 78.8%, 14 wrong, and the fourteenth to 80.8%, 16 wrong. A
fifteenth set, written while the fourteenth was opened and kept blind: 85.2%, 9 wrong (stop
32's code 83.6%, 8 wrong; reviewer forms 92.0% -> 94.0%, none wrong either way): the
misspelt-name rule, which prevented a wrong commitment on each of the thirteenth and
fourteenth sets, made one here. A last round on the fifteenth set's opened plain rows took
it to 86.0%, 8 wrong (that false slip was "carbonate" for "bicarbonate"); a sixteenth set,
written meanwhile and kept blind, reads 79.6%, 13 wrong (stop 32's code 78.4%, 14 wrong;
reviewer forms 87.0% -> 90.0%, none wrong either way; hard cases 32.5% -> 27.5%).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.reader_agreement import Tally, new_reader, tally  # noqa: E402
from benchmarks.reader_agreement import load as load_tuned  # noqa: E402
from evalkit import Reading, read_answer  # noqa: E402
from evalkit.items import LETTERS  # noqa: E402

HELDOUT = ROOT / "tests" / "data" / "reader_heldout.jsonl"
HELDOUT2 = ROOT / "tests" / "data" / "reader_heldout2.jsonl"
DEV_LARGE = ROOT / "tests" / "data" / "reader_dev_large.jsonl"
HELDOUT3 = ROOT / "tests" / "data" / "reader_heldout3.jsonl"
HELDOUT4 = ROOT / "tests" / "data" / "reader_heldout4.jsonl"
#: real SmolLM2 replies to new items, labelled blind (stop 33; opened after their first reading)
SMOLLM2_BLIND = ROOT / "tests" / "data" / "reader_smollm2_blind.jsonl"
#: numeric items: a blind set (counted only) and a reviewer's adversarial set (stop 32)
NUMBERS_BLIND = ROOT / "tests" / "data" / "reader_heldout_numbers.jsonl"
NUMBERS_ADVERSARIAL = ROOT / "tests" / "data" / "reader_numbers_adversarial.jsonl"
#: a reviewer's replies using the first rules' trigger words innocently; later ones numbered
FALSE_ALARMS = ROOT / "tests" / "data" / "reader_trigger_words.jsonl"
#: rows of a held-out file kept unseen while the reader is changed: counted, never listed
HOLDBACK = "holdback"


class Disagreement(NamedTuple):
    """One held-out row the reader reads differently from its label."""

    row: dict
    reading: Reading

    @property
    def wrong(self) -> bool:
        return self.reading.index is not None

    def describe(self) -> str:
        choices = self.row["item"]["choices"]
        return (
            f"{self.row['id']}  label {_option(self.row['label'], choices)}"
            f"  read {_option(self.reading.index, choices)}"
            f"  [{self.reading.status}/{self.reading.method}: {self.reading.evidence!r}]\n"
            f"    {self.row['reply']!r}  ({self.row['why']})"
        )


def _option(index: int | None, choices: Sequence[str]) -> str:
    return "none" if index is None else f"{LETTERS[index]}:{choices[index]}"


def numbered(prefix: str) -> list[tuple[int, Path]]:
    """Every ``tests/data/<prefix><n>.jsonl`` by its number: each stop adds sets, and each is
    printed without a line here for it (``tests/data/README.md`` says what each one is)."""
    found = []
    for path in (ROOT / "tests" / "data").glob(f"{prefix}*.jsonl"):
        number = path.stem.removeprefix(prefix)
        if number.isdigit():
            found.append((int(number), path))
    return sorted(found)


def load(path: Path = HELDOUT) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def read(row: dict) -> Reading:
    return read_answer(row["reply"], row["item"])


def heldout_tally(rows: Sequence[dict]) -> tuple[Tally, list[Disagreement]]:
    """The held-out figures and every row read differently from its label."""
    readings = {row["id"]: read(row) for row in rows}
    counts = tally(rows, lambda row: readings[row["id"]].index)
    off = [Disagreement(r, readings[r["id"]]) for r in rows]
    return counts, [d for d in off if d.reading.index != d.row["label"]]


def groups(rows: Sequence[dict]) -> dict[str, list[dict]]:
    """The rows by split, then by source (the words before any condition name)."""
    named: dict[str, list[dict]] = {}
    for row in rows:
        named.setdefault(f"split {row.get('split', '-')}", []).append(row)
    for row in rows:
        source = row.get("source", "-")
        named.setdefault(source if source.startswith("large") else source.split()[0], []).append(
            row
        )
    return named


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=HELDOUT)
    parser.add_argument("--show", choices=["wrong", "all"], default="all")
    args = parser.parse_args(argv)
    print(f"{'':<22}{'n':>5}{'agreement':>11}{'wrong':>8}{'missed':>8}")
    print(heldout_tally(load(HELDOUT))[0].line("held-out"))
    second = load(HELDOUT2)
    print(heldout_tally(second)[0].line("held-out 2"))
    for name, members in groups(second).items():
        print(heldout_tally(members)[0].line("  " + name))
    large = load(DEV_LARGE)
    print(heldout_tally(large)[0].line("large-model dev"))
    for name, members in groups(large).items():
        if name.startswith("split"):
            print(heldout_tally(members)[0].line("  " + name))
    third = load(HELDOUT3)
    print(heldout_tally(third)[0].line("held-out 3"))
    for name, members in groups(third).items():
        if name.startswith("split"):
            print(heldout_tally(members)[0].line("  " + name))
    fourth = load(HELDOUT4)
    print(heldout_tally(fourth)[0].line("held-out 4"))
    for name, members in groups(fourth).items():
        if name.startswith("split"):
            print(heldout_tally(members)[0].line("  " + name))
    for style in sorted({row["style"] for row in fourth}):
        members = [row for row in fourth if row["style"] == style]
        print(heldout_tally(members)[0].line(f"  {style}"))
    later = [(f"held-out {n}", path) for n, path in numbered("reader_heldout") if n >= 5]
    smollm2 = [(f"SmolLM2 (blind {n})", path) for n, path in numbered("reader_smollm2_blind")]
    false_alarms = [(f"false alarms {n}", path) for n, path in numbered("reader_trigger_words")]
    for label, path in (
        *later,
        ("SmolLM2 (blind)", SMOLLM2_BLIND),
        *smollm2,
        ("numbers (blind)", NUMBERS_BLIND),
        ("numbers (adversarial)", NUMBERS_ADVERSARIAL),
        ("false alarms", FALSE_ALARMS),
        *false_alarms,
    ):
        rows = load(path)
        print(heldout_tally(rows)[0].line(label))
        for style in sorted({row.get("style", row.get("source", "-")) for row in rows}):
            members = [r for r in rows if r.get("style", r.get("source", "-")) == style]
            print(heldout_tally(members)[0].line(f"  {style}"))
        own = [row for row in rows if row["why"].startswith("own words:")]
        if own:
            print(heldout_tally(own)[0].line("  answered in own words"))
    print(tally(load_tuned(), new_reader).line("tuned corpus"))
    _, off = heldout_tally([r for r in load(args.corpus) if r.get("split") != HOLDBACK])
    print(f"\ndisagreements in {args.corpus.name} (held-back rows not listed)")
    sections = [("wrong commitments", [d for d in off if d.wrong])]
    if args.show == "all":
        sections.append(("misses", [d for d in off if not d.wrong]))
    for title, members in sections:
        print(f"\n{title} ({len(members)})")
        for disagreement in members:
            print(disagreement.describe())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
