"""A reply that opens on its answer, alone before a pause, and then explains the others:
"O3 — O2 is ordinary oxygen.", "Stamps; coin collectors are numismatists.", "Four balls;
three is the number of strikes for an out." The other options it names afterwards are what
it sets the answer apart from, unless it turns, hedges or corrects itself after the opening
("Carts — no, maps.", "Obtuse, or maybe reflex.").
"""

from __future__ import annotations

import re

from scorers.extraction.hedges import HEDGE
from scorers.extraction.mention import Mention
from scorers.extraction.words import same_word, words_of

#: nothing but markup before the opening option
_BEFORE = re.compile(r"[\s*_#>(\[]*")  # not a quote: "'Voltaire.' That's what most say"
#: what may follow the opening option before its pause: up to two words the question uses
#: ("Four balls" for "how many balls …?")
_AFTER = re.compile(r"(?:[ \t]+(?P<words>[A-Za-z]+(?:[ \t]+[A-Za-z]+)?))?")
#: the pause that ends the opening: a dash, a semicolon or a full stop (not a question mark:
#: "Brass? It's a woodwind." asks back; not a colon: "Emu: up to 1.9 m tall" labels), or
#: ", not …"
_PAUSE = re.compile(  # not a stop the sentence goes on after: "0! is 1"
    r"[*_)\]]*(?:\s*[—–;.]|\s*!(?!\s*[a-z])|\s+-\s|,\s*(?i:not|never)\b|\s*$)"
)
#: after the opening: a turn, a hedge or a correction, which the opening does not outweigh
_TURNED = re.compile(
    HEDGE.pattern + r"|\b(?:but|however|actually|instead|rather|wait|although|though"
    r"|sorry|apologi[sz]e|mistake|i\s+mean|second\s+thought|scratch|correct"
    r"|correction|hmm|unless|if|depends|whereas|while|no|wrong|incorrect|mistaken|misconception"
    r"|myth|think|thought|believe|say|says|oops|typo|kidding|strike|nah|nope"
    r"|(?:different|another|other)\s+question)\b",
    re.IGNORECASE,
)


def opening_answer(text: str, mentions: list[Mention], question: str) -> Mention | None:
    """The option the reply opens on, alone before a pause, when it names other options only
    later, none of them in a statement of its own ("The answer is …"), and nothing after the
    opening turns, hedges or corrects itself. ``mentions``: every mention still standing
    (what only framing set aside counts: "Deoxyribonucleic acid — ribonucleic acid is RNA.")."""
    if not mentions or len({m.index for m in mentions}) < 2:
        return None
    first = min(mentions, key=lambda m: m.start)
    if first.polarity not in ("put", "attributed") or first.kind != "text":
        return None  # "B — Paris.": a letter and a name, two answers
    if any(m.kind != "text" for m in mentions if m.index != first.index):
        return None  # another option stated
    if _BEFORE.fullmatch(text, 0, first.start) is None:
        return None
    after = _AFTER.match(text, first.end)
    asked = words_of(question)
    if after.group("words") and not all(
        any(same_word(w, q) for q in asked) for w in words_of(after.group("words"))
    ):
        return None  # "Paris is …": a sentence, not the answer alone
    pause = _PAUSE.match(text, after.end())
    if pause is None:
        return None
    later = [m for m in mentions if m.index != first.index]
    if any(_alone_at_the_end(text, m) or _paired_alike(text, m, pause) for m in later):
        return None
    rest = list(text)  # the options' own words turn nothing ("Symphony No. 5")
    for m in mentions:
        rest[m.start : m.end] = " " * (m.end - m.start)
    return None if _TURNED.search("".join(rest), pause.end()) else first


#: an option alone in the clause that ends its sentence: "In Celsius, 100.", "… ozone, O3."
_CLAUSE_BEFORE = re.compile(r"(?:^|[,;:.!?\n—–(])[\s*_]*$")
_SENTENCE_AFTER = re.compile(r"[\s*_)\]]*(?:[.!?\n]|$)")


def _alone_at_the_end(text: str, m: Mention) -> bool:
    """Another option alone in the clause ending its sentence may be the reply's last word
    on the question ("212 — in Fahrenheit. In Celsius, 100."): the opening decides nothing."""
    return bool(
        _CLAUSE_BEFORE.search(text, max(0, m.start - 4), m.start)
        and _SENTENCE_AFTER.match(text, m.end)
    )


def _paired_alike(text: str, m: Mention, pause: re.Match[str]) -> bool:
    """Another option opening its own sentence before the same pause: a list of pairs
    ("Aldous Huxley — Brave New World. George Orwell — 1984."), not one answer."""
    mark = pause.group().strip(" *_)]")[:1]
    return bool(
        mark
        and _CLAUSE_BEFORE.search(text, max(0, m.start - 4), m.start)
        and text[m.end : m.end + 4].strip(" *_)]")[:1] == mark
    )
