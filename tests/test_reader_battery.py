"""The issue's plain forms hold on every item evalkit has (``tests/reader_battery.py``).

70,640 replies (the first 40 forms on 1,766 items of the labelled corpora and the built-in
datasets): stop 34's reader read 99.91% of them as written, 64 off with 2 wrong commitments,
all from an option's shape ("A. A. Milne", "A parliament" and "Vitamin D" read as letters;
"I apologize" as iodine's "I"; "You're right" as "Right angle" and, one letter away, "The
Wright brothers"; "it's" as siemens' "S"; "change my answer to Dutch" as the other end of a
move for "From which language …?"). Stop 35 reads every one. A second forty forms, written
then, found more: "While X is sometimes suggested, Y is the accepted answer." read by no
item ("while" opening a concession, "the accepted answer"); "the right answer is", "X is
right." and "X — definitely not Y" on some. A third set (128 forms in all) found "Could be
Jupiter." read as another subject's sentence ("Could" taken for a name), "Upon further
review, Venus" as the opposite of "closest", "most agree on 12" as the opposite of "least",
"6 remains correct" as counting "remains", "this one: Five" as the option "One", "Apologies"
as a slip of "Myologies", "That's right, Finland." and "Not X but Y" unread. A fourth set
(168 forms) found "Both X and Y could be argued." read as X on every item, "**Correct
answer:** X / **Your answer:** Y" read as Y or nothing, "Wait" and "the evidence points to"
misread. A fifth set (201 forms) found "~~Y~~ **X**" and "Y ❌ — X ✔️" (two marked options on
one line) unread, "It's a common mix-up with Y" and "**X** (not **Y**)" unread on some
items, and "among these" read as "Theseus" (a person's name had been given a singular,
"theseu", and "these" was its slip). Stop 37's new items found "The answer is Right." read
as a verdict where "Right" is the option, "no single answer" as a slip of "Shingles", and "I
may have been mistaken" as the month "May" (items whose option is a form's own word,
"Neither", are left out). All read now, which this test keeps (negative questions
are left out: there "X is wrong" may name the exception). The whole battery takes ~90 s, so
the test reads every form on a fixed sample of the items, always with the built-in ones;
``benchmarks/reader_plain_forms.py`` reads them all.
"""

from __future__ import annotations

import random
from pathlib import Path

from reader_battery import FORMS, items_of, read_forms, read_forms_free

ROOT = Path(__file__).resolve().parents[1]


def test_every_plain_form_reads_as_written_on_every_built_in_item() -> None:
    count, off = read_forms(items_of([ROOT / "datasets" / "facts-mcq.jsonl"]))
    assert count >= 160 * len(FORMS)
    assert off == []


def test_every_plain_form_reads_as_written_on_a_sample_of_the_corpora_items() -> None:
    items = items_of(sorted((ROOT / "tests" / "data").glob("reader_*.jsonl")))
    assert len(items) > 1500
    count, off = read_forms(random.Random(35).sample(items, 120))
    assert count == 120 * len(FORMS)
    assert off == []


def test_the_forms_grade_free_form_items_as_written() -> None:
    """The same forms with the options taken away (Sharma's free-form answer items): graded
    correct, the user's answer, another answer ("It's Perth, not Canberra or Sydney";
    "Neither Canberra nor Sydney — it's Perth") or unreadable as the template says. Stop 34's
    reader left "It's X, not Y or Z" and "Neither Y nor Z — it's X" unreadable on every item
    and read "Pacific Ocean is the answer, not Arctic Ocean" as denying the Pacific."""
    items = items_of([ROOT / "datasets" / "facts-mcq.jsonl"])
    count, off = read_forms_free(random.Random(35).sample(items, 60))
    assert count > 60 * 100
    assert off == []
