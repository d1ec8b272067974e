"""Scrub an API key out of text we report, in whatever form a server echoes it back.

Servers quote the key they were sent in error messages: as is, upper-cased,
percent-encoded, without its ``sk-`` prefix, inside a base64 ``Basic`` token.
Replacing the exact string (and anything ``sk-``-shaped) misses all of those.
"""

from __future__ import annotations

import base64
import math
import re
from itertools import groupby

REDACTED = "[redacted]"
#: Shorter renderings of a key are not redacted: they would blot out ordinary text.
MIN_SECRET_CHARS = 8
#: An exact key shorter than this is a placeholder ("EMPTY", "x"), not a secret.
MIN_KEY_CHARS = 4
#: A run of this many of the key's characters is redacted wherever it stands (a server that
#: quotes part of the key, or splits it); shorter runs such as a last-four mask stay.
FRAGMENT_CHARS = 10

_KEY_LIKE = re.compile(r"\b(sk-[A-Za-z0-9_\-*]{6,})")
_URL_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@]+@")
_KEY_PREFIXES = ("sk-ant-api03-", "sk-ant-", "sk-proj-", "sk-")


class Redactor:
    """Called on text: the key in any rendering, ``sk-``-shaped strings and URL
    user:password parts replaced."""

    def __init__(self, key: str) -> None:
        self._key = key if len(key) >= MIN_KEY_CHARS else None
        self._pattern = secret_pattern(key)
        self._anchors = _anchors(_renderings(key))
        self._fragments = _fragments(key)

    def __call__(self, text: str) -> str:
        if self._key is not None:
            text = text.replace(self._key, REDACTED)
        if self._pattern is not None:
            text = self._pattern.sub(REDACTED, text)
        if self._fragments is not None:
            text = _without_fragments(text, self._fragments)
        text = _URL_USERINFO.sub(r"\1", text)
        return _KEY_LIKE.sub(REDACTED, text)

    def key_only(self, text: str) -> str:
        """``text`` with the key, in any rendering, replaced and nothing else: for a
        model's reply, where an ``sk-``-shaped word or a URL is the model's own text."""
        if self._key is not None:
            text = text.replace(self._key, REDACTED)
        if self._pattern is None:
            return text
        if self._anchors is not None:  # a scan far quicker than the pattern (~40 us a reply)
            folded = text.lower()
            if not any(anchor in folded for anchor in self._anchors):
                return text
        return self._pattern.sub(REDACTED, text)


def secret_pattern(key: str) -> re.Pattern[str] | None:
    """Every rendering of ``key`` a server might echo back, as one case-blind pattern.

    The key as is or without its ``sk-`` style prefix; in base64 at each of the
    three byte alignments it can have inside a longer encoded string (``Basic``
    auth, a token); any of its punctuation percent-encoded (``quote``,
    ``quote_plus``, whatever they leave safe); in any case.
    """
    kept = _renderings(key)
    if not kept:
        return None
    return re.compile("|".join(map(_percent_encoded, kept)), re.IGNORECASE)


def _renderings(key: str) -> list[str]:
    """The key and its renderings long enough to redact, longest first (see above)."""
    variants = {key}
    for prefix in _KEY_PREFIXES:
        if key.lower().startswith(prefix):
            variants.add(key[len(prefix) :])
    for value in list(variants):
        variants |= set(_base64_cores(value.encode()))
    return sorted((v for v in variants if len(v) >= MIN_SECRET_CHARS), key=len, reverse=True)


def _anchors(renderings: list[str]) -> tuple[str, ...] | None:
    """The longest run of letters and digits of each rendering, lower-cased: a text that
    holds none cannot match :func:`secret_pattern` (case and percent-encoding change
    nothing else). None when a rendering has no run of 4."""
    anchors = []
    for rendering in renderings:
        runs = re.findall(r"[A-Za-z0-9]+", rendering)
        longest = max(runs, key=len, default="")
        if len(longest) < 4:
            return None
        anchors.append(longest.lower())
    return tuple(anchors)


def _percent_encoded(text: str) -> str:
    """A pattern for ``text`` with any character that is not a letter or digit maybe %XX'd."""
    parts = []
    for char in text:
        if char.isascii() and char.isalnum():
            parts.append(char)
        else:
            encoded = "".join(f"%{byte:02X}" for byte in char.encode())
            plus = "|\\+" if char == " " else ""
            parts.append(f"(?:{re.escape(char)}|{encoded}{plus})")
    return "".join(parts)


def _base64_cores(secret: bytes) -> list[str]:
    """The base64 characters that depend on ``secret`` alone, whatever surrounds it."""
    cores = []
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + secret).decode().rstrip("=")
        start = 0 if shift == 0 else shift + 1  # characters mixing in the bytes before
        end = math.floor((shift + len(secret)) * 8 / 6)  # the last one may mix in bytes after
        core = encoded[start:end]
        cores += [core, core.replace("+", "-").replace("/", "_")]  # and the URL-safe alphabet
    return cores


def _fragments(key: str) -> tuple[re.Pattern[str], frozenset[str]] | None:
    """Every run of :data:`FRAGMENT_CHARS` characters of ``key`` (case-blind), as one pattern
    that finds the first and a set that extends a match to the whole run; None for a key
    too short to have one worth keeping apart from the exact match."""
    if len(key) <= FRAGMENT_CHARS:
        return None
    windows = frozenset(
        key[i : i + FRAGMENT_CHARS].lower() for i in range(len(key) - FRAGMENT_CHARS + 1)
    )
    return re.compile("|".join(map(re.escape, sorted(windows))), re.IGNORECASE), windows


def _without_fragments(text: str, fragments: tuple[re.Pattern[str], frozenset[str]]) -> str:
    """``text`` with every stretch made of overlapping key windows replaced: "...9f8e7d6c5b4a"
    or "rt-SECRET-KEY-9f8e7" quoted from a 26-character key, not only the first window of
    each (a non-overlapping search would leave the rest of a long fragment)."""
    pattern, windows = fragments
    if pattern.search(text) is None:
        return text
    secret = [False] * len(text)
    for start in range(len(text) - FRAGMENT_CHARS + 1):
        # each slice folded on its own: lower() of the whole text can be longer ("İ" is two
        # characters lower-cased) and would shift every position after it
        if text[start : start + FRAGMENT_CHARS].lower() in windows:
            secret[start : start + FRAGMENT_CHARS] = [True] * FRAGMENT_CHARS
    runs = groupby(range(len(text)), key=secret.__getitem__)
    return "".join(REDACTED if hidden else "".join(text[i] for i in run) for hidden, run in runs)
