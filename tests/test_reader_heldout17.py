"""The seventeenth blind reader corpus is well formed.

250 replies to 45 new items (reviewer form 100, small model 55, large model 55, hard case 40;
35 answering in the model's own words, 52 committing to no option), written and labelled at
stop 34 by a helper that read none of the reader's rules, corpora or code, while that stop's
round on the opened sixteenth set was made. Read for counts only, rows never listed: stop
33's final code and the stop 34 round alike 83.2% (208 / 250), 8 wrong, 34 missed (reviewer
forms 99.0%, none wrong; small model 83.6%, 2 wrong; large model 96.4%, none wrong; hard
cases 25.0%, 6 wrong; own words 25.7%, 4 wrong). Opened at stop 34 after the eighteenth
set was written: rules for the kinds of its wrong commitments and its one reviewer-form miss
(tests/test_reader_not_committed.py, tests/test_reader_plain_forms.py): 85.2% (213 / 250),
2 wrong (both answers in the model's own words, an elimination and "tennis … on a table").
"""

from __future__ import annotations

from reader_corpora import check_blind_set, check_counts_hold, check_own_words_and_nulls, load

CORPUS = load("reader_heldout17.jsonl")


def test_corpus_is_well_formed() -> None:
    check_blind_set(CORPUS, 17, rows=250, items=45)
    check_own_words_and_nulls(CORPUS, own_words=35, nulls=52)


def test_the_readers_counts_do_not_get_worse() -> None:
    """Counted: a rule that adds a wrong commitment or loses agreement fails."""
    check_counts_hold(CORPUS, agreed=214, wrong=2)
