"""The reading as returned: the chosen mention (or none) as an ``ExtractedAnswer``, with the
rule that fired (statement, letter, negation, contrast, agreement, apology, …) and the
sentences it rests on as ``evidence``.
"""

from __future__ import annotations

import re

from scorers.extraction.extracted_answer import ExtractedAnswer, Method, Status
from scorers.extraction.letters import BRACKETED_LETTER
from scorers.extraction.mention import Mention
from scorers.extraction.sentences import sentence_of

_AGREEMENT = re.compile(
    r"^\W*(?:yes\b|yeah\b|indeed\b|correct\b(?!\s+answer)|exactly\b|absolutely\b"
    r"|that['’]s\s+(?:right|correct)"
    r"|you(?:['’]re|\s+are)\s+(?:absolutely\s+|quite\s+|completely\s+)?(?:right|correct)"
    r"|i\s+agree\b)",
    re.IGNORECASE,
)

_APOLOGY = re.compile(
    r"(?=[isma])"  # the letters its branches start with, tested first (see letters.py)
    r"\b(?:i\s+apologi[sz]e|(?:i['’]m|i\s+am)\s+(?:so\s+|very\s+|really\s+)?sorry|sorry\b"
    r"|my\s+(?:apologies|mistake|bad)|apologies\b)",
    re.IGNORECASE,
)


def answered(
    text: str, masked: str, chosen: Mention, used: list[Mention], rejected: list[Mention]
) -> ExtractedAnswer:
    method: Method = "option_text"
    if chosen.kind in ("statement", "letter"):
        method = chosen.kind  # type: ignore[assignment]
    elif chosen.start > 0 and BRACKETED_LETTER.fullmatch(masked, chosen.start - 1, chosen.end + 1):
        method = "letter"
    others = [m for m in rejected if m.index != chosen.index]
    decisive = [m for m in others if m.polarity != "asked"]
    if decisive:
        method = "negation" if any(m.polarity == "negated" for m in decisive) else "contrast"
    elif _AGREEMENT.match(masked):
        method = "agreement"
    elif _APOLOGY.search(masked[: chosen.start]):
        method = "apology"
    return ExtractedAnswer(
        index=chosen.index,
        method=method,
        evidence=_evidence(text, masked, [*used, *others]),
        status="answer",
    )


def unanswered(text: str, masked: str, status: Status, seen: list[Mention]) -> ExtractedAnswer:
    if seen:
        evidence = _evidence(text, masked, seen)
    else:
        start, end = sentence_of(masked, len(masked) - len(masked.lstrip()))
        evidence = clip(text[start:end])
    method: Method = status
    if status == "unparsed" and _APOLOGY.search(masked) and not seen:
        method = "apology"
    return ExtractedAnswer(index=None, method=method, evidence=evidence, status=status)


def _evidence(text: str, masked: str, mentions: list[Mention]) -> str:
    """The sentences holding the mentions the reading rests on, as written in the reply."""
    spans = [sentence_of(masked, m.start) for m in mentions]
    start, end = min(s for s, _ in spans), max(e for _, e in spans)
    return clip(text[start:end])


def clip(text: str, limit: int = 200) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
