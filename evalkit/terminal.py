"""Untrusted text made safe to print on a terminal.

Model replies, item ids and names from a config reach the console through Rich, which
reads ``[...]`` as markup (``[/]`` in a reply crashed ``evalkit compare``; ``[link=…]``
made a link) and passes escape sequences through (a reply could clear the screen or
retitle the terminal).
"""

from __future__ import annotations

import re

from rich.markup import escape

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # not \t or \n


def plain_safe(text: str) -> str:
    """``text`` with control characters shown as ``\\xNN`` (for Rich ``Text``, no markup)."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def terminal_safe(text: str) -> str:
    """``text`` to print as Rich markup: control characters shown, markup escaped."""
    return escape(plain_safe(text))
