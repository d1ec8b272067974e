"""A whole number written with or without its thousands separators: "5280" names the option
"5,280" and "5,280" the option "5280" (a reply rarely copies an option's commas)."""

from __future__ import annotations

import re
from collections.abc import Sequence

_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+")
_PLAIN = re.compile(r"\d{4,}")


def other_groupings(choices: Sequence[str]) -> dict[int, list[str]]:
    """For each whole-number option, the same number grouped the other way, unless another
    option is written that way."""
    taken = {c.strip() for c in choices}
    forms: dict[int, list[str]] = {}
    for index, choice in enumerate(choices):
        text = choice.strip()
        if _GROUPED.fullmatch(text):
            other = text.replace(",", "")
        elif _PLAIN.fullmatch(text):
            other = f"{int(text):,}"
        else:
            continue
        if other not in taken and other != text:
            forms[index] = [other]
    return forms
