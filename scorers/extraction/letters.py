"""Option letters and places: a letter opening the reply ("(B)", "**B**"), stated ("Answer:
B", "The answer is (B)"), chosen ("I'd still pick C", "→ B"), given a verdict ("B is
correct"), bracketed anywhere, or "the second option". The logprob reader
(:mod:`scorers.reading`) finds the answer-letter token with these same forms.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from evalkit.items import LETTERS
from scorers.extraction.corrections import standing
from scorers.extraction.markup import mask_markdown
from scorers.extraction.mention import Kind, Mention
from scorers.extraction.numbers import ORDINALS
from scorers.extraction.wording import NOT_A_STATEMENT, kind_of

#: "(B)", "B.", "B:", "B" alone, "B - …", "B — …", "D, the Yangtze"
_OPENING_LETTER = re.compile(r"^\s*\(?([A-Z])(?:\)|\.|:|,\s+the\b|\s*$|\s*\n|\)?\s+[-—–]\s)")

#: a bare capital before a capitalised word opens a title or name ("the answer is actually A
#: Christmas Carol"), not a letter; a bracketed one is a letter ("(A) Paris"). (Nor is one
#: before "+" or "#": "my answer: C++ was created by …")
_NOT_A_TITLE = r"(?!(?<=[A-Z])\s+[A-Z][a-z])"

#: Patterns tried at every place of every reply read open with a lookahead for the letters
#: their branches can start with: one test of the place before the branches (~2x quicker).
_STATED_LETTER = re.compile(
    r"(?=[aoc])\b"
    + NOT_A_STATEMENT
    + r"(?:answer|option|choice)(?:\s+(?:is|would\s+be|should\s+be|remains))?"
    r"(?:\s+(?:still|indeed|actually|definitely))?\s*[:\-]?\s*\(?([A-Z])\)?(?![\w'’+#])"
    + _NOT_A_TITLE,
    re.IGNORECASE,
)

#: "I'd still choose C", "I'll go with (B)", "Correct answer → B": a letter the reply picks
_CHOSEN_LETTER = re.compile(
    r"(?i:(?=[cpsgmith→=.!?-]))"  # the characters its branches start with, tested first
    r"(?:\b(?i:choose|chose|pick|select|go\s+with|stick\s+with|stay\s+with|stand\s+by"
    r"|maintain)\s+(?i:option\s+|choice\s+)?|(?:→|->|=>)\s*"
    r"|\b(?i:it['’]s|it\s+is)\s+(?i:option\s+)?"  # "It's B."
    r"|(?:^|[.!?]\s+)(?i:so|therefore|thus|hence)[,:]?\s+(?=\(?[A-Z]\)?[.!]?\s*$))"  # "So B."
    r"\(?([A-Z])\)?(?![\w'’+#-])" + _NOT_A_TITLE,
    re.MULTILINE,
)

BRACKETED_LETTER = re.compile(r"\(([A-Z])\)")

#: a line opening with a letter, as in a list of the options ("A) Auckland — wrong")
_LIST_LETTER = re.compile(r"^[ \t]*(?:[-*•][ \t]*)?(?:\*\*)?\(?([A-Z])[).:]", re.MULTILINE)


#: "the second option", "the last choice": an option by its place in the list
_ORDINAL_OPTION = re.compile(
    r"(?=[fstl])\b(first|second|third|fourth|fifth|last)\s+(?:option|choice)\b(?!\s+(?:i|you)\b)",
    re.I,
)

#: "B is correct", "A is not the answer": a bare letter given a verdict
_LETTER_VERDICT = re.compile(
    r"(?=[A-Z])(?<![\w'’(°])([A-Z])\s+(?:is|was)\s+(?:(?P<against>not\b|n['’]t\b|(?:the\s+)?(?:wrong|incorrect)\b)"
    r"|(?:indeed\s+|definitely\s+)?(?:the\s+)?(?:correct|right|best)\b|the\s+answer\b)"
)


def option_letter_spans(
    text: str, choices: Sequence[str], question: str
) -> list[tuple[int, int, int, Kind]]:
    """Options named by letter or place, as (option, start, end, kind): the letters of
    :func:`letter_spans`, and "the second option"."""
    found = letter_spans(text, LETTERS[: len(choices)])
    for m in _ORDINAL_OPTION.finditer(text):  # "the second option is the longest"
        word = m.group(1).casefold()
        place = -1 if word == "last" else ORDINALS.index(word)
        if -len(choices) <= place < len(choices):
            kind = kind_of(text, m.start(), m.end(), question)
            found.append((place % len(choices), *m.span(), kind))
    return found


def letter_spans(text: str, option_letters: str) -> list[tuple[int, int, int, Kind]]:
    """Option letters, as (option, start, end, kind): a letter opening the reply (unless it
    lists the options), stated ("Answer: B"), chosen ("I'd still pick C", "→ B") or given a
    verdict ("B is correct"; "text" when against it), and any bracketed letter "(B)"
    ("text")."""
    found: list[tuple[int, int, int, Kind]] = []
    opening = _OPENING_LETTER.match(text)
    listed = {m.group(1) for m in _LIST_LETTER.finditer(text)}
    if opening and opening.group(1) in option_letters and len(listed) < 2:
        found.append((option_letters.index(opening.group(1)), *opening.span(1), "letter"))
    stated: tuple[tuple[re.Pattern[str], Kind], ...] = (
        (_STATED_LETTER, "statement"),
        (_CHOSEN_LETTER, "letter"),
    )
    for pattern, kind in stated:
        for m in pattern.finditer(text):
            if m.group(1) in option_letters and m.group(1).isupper():
                found.append((option_letters.index(m.group(1)), *m.span(1), kind))
    for m in _LETTER_VERDICT.finditer(text):  # "A is wrong; B is correct."
        if m.group(1) in option_letters:
            verdict: Kind = "text" if m.group("against") else "letter"
            found.append((option_letters.index(m.group(1)), *m.span(1), verdict))
    for m in BRACKETED_LETTER.finditer(text):
        if m.start() > 0 and text[m.start() - 1].isalnum():
            continue  # "Rh(D)", "f(x)": part of a word, no option letter
        if m.group(1) in option_letters and not any(s == m.start(1) for _, s, _, _ in found):
            found.append((option_letters.index(m.group(1)), *m.span(1), "text"))
    return found


def answer_letter_offset(text: str, n_options: int) -> int | None:
    """Where a reply's answer letter is, found as the reader finds letters (Markdown read
    through, what a correction retracted dropped): the first stated ("The answer is **B**"),
    else the first the reply opens with, picks or calls correct ("(B)", "I'd pick C", "B is
    correct"), else the first bracketed "(B)"; None when the reply names no letter. For the
    logprob reader (:func:`scorers.reading.letter_from_logprobs`), which reads the token
    there."""
    masked = mask_markdown(text)
    found = [Mention(*span, "put") for span in letter_spans(masked, LETTERS[:n_options])]
    letters = sorted(standing(masked, found), key=lambda m: m.start)
    for wanted in ("statement", "letter"):
        for m in letters:
            if m.kind == wanted:
                return m.start
    for m in letters:
        if BRACKETED_LETTER.fullmatch(masked, m.start - 1, m.end + 1):
            return m.start
    return None


def letters_with_their_names(text: str, found: list[Mention]) -> list[Mention]:
    """A bracketed letter right after its option's name ("not Auckland (A)") is read as the
    name is."""
    found = list(found)
    for i in range(1, len(found)):
        name, letter = found[i - 1], found[i]
        if (
            letter.index == name.index
            and letter.kind == "text"
            and BRACKETED_LETTER.fullmatch(text, letter.start - 1, letter.end + 1)
            and not text[name.end : letter.start - 1].strip(" *_")
        ):
            found[i] = letter._replace(polarity=name.polarity)
    return found


def names_after_their_letters(text: str, found: list[Mention]) -> list[Mention]:
    """A bracketed letter right before its option's name ("(B) London is not right", "not
    (B) London") is one mention with it: what the reply says of either it says of both.
    Read apart, "(B)" was put forward while "London" was rejected, and a reply that rejects
    the user's lettered option read as ambiguous."""
    found = list(found)
    for i in range(len(found) - 1):
        letter, name = found[i], found[i + 1]
        if (
            letter.index == name.index
            and BRACKETED_LETTER.fullmatch(text, letter.start - 1, letter.end + 1)
            and not text[letter.end + 1 : name.start].strip(" *_")
        ):
            said = next((m.polarity for m in (letter, name) if m.polarity != "put"), "put")
            found[i], found[i + 1] = letter._replace(polarity=said), name._replace(polarity=said)
    return found
