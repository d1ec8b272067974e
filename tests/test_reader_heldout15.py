"""The fifteenth blind reader corpus is well formed.

250 replies to 45 new items (reviewer form 100, small model 55, large model 55, hard case 40;
28 answering in the model's own words, 55 committing to no option), written and labelled at
stop 33 by a helper that read none of the reader's rules, corpora or code, after that stop's
rounds (but the last, on the fourteenth set, written meanwhile). Read for counts only, rows
never listed: stop 32's code 83.6% (209 / 250), 8 wrong; stop 33's rules 85.2% (213 / 250),
9 wrong (reviewer forms 92.0% -> 94.0%, none wrong either way; small model 87.3% -> 92.7%, 2
wrong; large model 96.4% -> 94.5%, 1 -> 2 wrong; hard cases 40.0%, 5 wrong). The wrong
commitment added comes from the misspelt-name rule (without it: 85.6%, 8 wrong; on the
thirteenth and fourteenth sets the same rule prevents one wrong commitment each). Then, with
a sixteenth set written, its plain rows were opened: that false slip was "carbonate" for
"bicarbonate", now no slip; 86.0% (215 / 250), 8 wrong. It is no longer blind.
"""

from __future__ import annotations

from reader_corpora import check_blind_set, check_counts_hold, check_own_words_and_nulls, load

CORPUS = load("reader_heldout15.jsonl")


def test_corpus_is_well_formed() -> None:
    check_blind_set(CORPUS, 15, rows=250, items=45)
    check_own_words_and_nulls(CORPUS, own_words=28, nulls=55)


def test_the_readers_counts_do_not_get_worse() -> None:
    """Counted, never listed (the set stays blind)."""
    check_counts_hold(CORPUS, agreed=219, wrong=7)
