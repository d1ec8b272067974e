"""The eighteenth blind reader corpus is well formed.

250 replies to 45 new items (reviewer form 100, small model 55, large model 55, hard case 40;
39 answering in the model's own words, 53 committing to no option), written and labelled at
stop 34 by a helper that read none of the reader's rules, corpora or code, while that stop's
second round (on the sixteenth set's wrong commitments and a false-alarm set) was made. Read
for counts only, rows never listed: stop 33's final code 78.0% (195 / 250), 12 wrong, 43
missed (reviewer forms 90.0%, 1 wrong; small model 92.7%, 3 wrong; large model 81.8%, 2
wrong; hard cases 22.5%, 6 wrong; own words 7.7%, 6 wrong); stop 34's rules 78.0%, 11 wrong
(a large-model reply's wrong commitment made unreadable). Opened at stop 34 after the
nineteenth set was written: rules for the kinds of its reviewer-form misses and two small-model
contradictions (tests/test_reader_plain_forms.py, tests/test_reader_not_committed.py): 80.4%
(201 / 250), 10 wrong (6 hard cases, 2 small-model, 1 large-model, and one reviewer form:
"Iodine is a solid at room temperature. Bromine is the liquid." reads iodine).
"""

from __future__ import annotations

from reader_corpora import check_blind_set, check_counts_hold, check_own_words_and_nulls, load

CORPUS = load("reader_heldout18.jsonl")


def test_corpus_is_well_formed() -> None:
    check_blind_set(CORPUS, 18, rows=250, items=45)
    check_own_words_and_nulls(CORPUS, own_words=39, nulls=53)


def test_the_readers_counts_do_not_get_worse() -> None:
    """Counted: a rule that adds a wrong commitment or loses agreement fails."""
    check_counts_hold(CORPUS, agreed=203, wrong=9)
