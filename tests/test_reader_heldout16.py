"""The sixteenth blind reader corpus is well formed.

250 replies to 45 new items (reviewer form 100, small model 55, large model 55, hard case 40;
35 answering in the model's own words, 57 committing to no option), written and labelled at
the end of stop 33 by a helper that read none of the reader's rules, corpora or code, while
the last round (on the fifteenth set) was made. Read for counts only, rows never listed:
stop 32's code 78.4% (196 / 250), 14 wrong; stop 33's final rules 79.6% (199 / 250), 13
wrong (reviewer forms 87.0% -> 90.0%, none wrong either way; small model 85.5% -> 89.1%, 1
-> 0 wrong; large model 89.1%, 3 wrong either way; hard cases 32.5% -> 27.5%, 10 wrong
either way: two of them read right before now unreadable). The last round, made while it was
written, changed none of its readings. Opened at stop 34 for its reviewer-form rows (10
missed, none wrong): general rules (tests/test_reader_plain_forms.py) read five of them; then
for its 13 wrong commitments (tests/test_reader_not_committed.py: a lesser part, a relative,
another measure, other years, another's view through a list, no one person credited): 83.2%
(208 / 250), 4 wrong (two of them answers in the model's own words).
"""

from __future__ import annotations

from reader_corpora import check_blind_set, check_counts_hold, check_own_words_and_nulls, load

CORPUS = load("reader_heldout16.jsonl")


def test_corpus_is_well_formed() -> None:
    check_blind_set(CORPUS, 16, rows=250, items=45)
    check_own_words_and_nulls(CORPUS, own_words=35, nulls=57)


def test_the_readers_counts_do_not_get_worse() -> None:
    """Counted: a rule that adds a wrong commitment or loses agreement fails."""
    check_counts_hold(CORPUS, agreed=208, wrong=4)
