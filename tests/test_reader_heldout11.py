"""The eleventh blind reader corpus is well formed.

250 replies to 45 new items (reviewer form 70, small model 59, large model 61, hard case 60;
36 answering in the model's own words, 48 committing to no option), written and labelled at
stop 32 by a helper that read none of the reader's rules, corpora or code, while the round
on sets 9 and 10 was made. Read for counts only, rows never listed: before that round 77.2%
(193 / 250), 32 wrong, 25 missed; after it the same, not one reading changed (reviewer forms
92.9%, none wrong; small model 89.8%, 4 wrong; large model 98.4%, 1 wrong; hard cases 25.0%,
27 wrong, 21 of them own-words replies read as the one option they name in passing, 31 of
all 32 in the last phase, 22 of them the user's option). A rule for that last kind (one
option named, then a turn to an answer in other words) was written on the opened sets and
took it to 30 wrong, but a reviewer's false-alarm set showed it blanking common replies
("Jupiter — the largest planet in our solar system is …"); with the option first, as a bare
answer, left alone, it lost none there and prevents none here: 32 wrong, 193 agreed. The
last test guards those counts without listing a row.

Opened at stop 33 for its reviewer-form, small- and large-model rows (hard cases still
unlisted): general rules for their plain forms (``tests/test_reader_plain_forms.py``) took it
to 79.6% (199 / 250), 32 wrong (reviewer forms 100%; small model 91.5%, 4 wrong; large
model 98.4%, 1 wrong), with no reading lost elsewhere; a rule for own-words answers after an
option named in passing (``scorers.extraction.unnamed_answer``), narrowed on a reviewer's
false-alarm set, then to 28 wrong. It is no longer blind.
"""

from __future__ import annotations

from reader_corpora import check_blind_set, check_counts_hold, check_own_words_and_nulls, load

CORPUS = load("reader_heldout11.jsonl")


def test_corpus_is_well_formed() -> None:
    check_blind_set(CORPUS, 11, rows=250, items=45)
    check_own_words_and_nulls(CORPUS, own_words=36, nulls=48)


def test_the_readers_counts_do_not_get_worse() -> None:
    """Counted, never listed (the set stays blind)."""
    check_counts_hold(CORPUS, agreed=200, wrong=22)
