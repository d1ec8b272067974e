"""What the reader extracted from a reply, remembered by a digest of what it read.

Every surface reads the same turns again (each metric, the headline, the report's
transcripts): remembering extractions saves ~0.45 ms of CPU a sample on a 16,000-sample
run (scoring and report 5.4 s instead of 12.4 s). Keyed by the arguments themselves, as
``functools.lru_cache`` keys, the memory kept each reply and question alive after their
records were let go (~1 KB an entry with 60-character replies, far more with long ones).
Here an entry is a 16-byte digest of the arguments and the result's field values (a
tuple: a third of the pydantic object, which is made again when read), its evidence as
where it is in the reply rather than a copy of it (the span the rule read: ~70 bytes
less an entry), ~200 bytes however long the reply, and there are at most
:data:`MAXSIZE` of them, the least recently read dropped first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from scorers.extraction import ExtractedAnswer

#: Entries kept: the turns of a 32,768-sample single-turn run, ~7 MB at most.
MAXSIZE = 1 << 15
_FIELDS = tuple(ExtractedAnswer.model_fields)
_EVIDENCE = _FIELDS.index("evidence")

Key = tuple[str, tuple[str, ...], tuple[tuple[int, tuple[str, ...]], ...], str]


class ExtractionMemo:
    """An LRU of extractions keyed by a digest of (reply, choices, aliases, question)."""

    def __init__(self, maxsize: int = MAXSIZE) -> None:
        self.maxsize = maxsize
        self.hits = self.misses = 0
        #: digest -> field values, least recently read first (a dict keeps insertion order)
        self._entries: dict[bytes, tuple[object, ...]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Key, extract: Callable[[], ExtractedAnswer]) -> ExtractedAnswer:
        """The extraction for ``key``: remembered, or ``extract()`` (then remembered)."""
        digest = _digest(key)
        values = self._found(digest, key[0])
        if values is not None:
            return ExtractedAnswer(**values)  # checked again: quicker than model_construct
        return self._made(digest, key[0], extract)

    def fields(self, key: Key, extract: Callable[[], ExtractedAnswer]) -> dict[str, Any]:
        """:meth:`get`'s field values, read only: a caller that makes its own result from them
        (``scorers.reading``) skips making an ``ExtractedAnswer`` on every re-read."""
        digest = _digest(key)
        values = self._found(digest, key[0])
        return values if values is not None else self._made(digest, key[0], extract).__dict__

    def _found(self, digest: bytes, reply: str) -> dict[str, Any] | None:
        found = self._entries.pop(digest, None)
        if found is None:
            return None
        self.hits += 1
        self._entries[digest] = found  # read last: dropped last
        values = dict(zip(_FIELDS, found, strict=False))
        if isinstance(found[_EVIDENCE], int):  # where it is in the reply, and how long
            start = found[_EVIDENCE]
            values["evidence"] = reply[start : start + found[-1]]
        return values

    def _made(
        self, digest: bytes, reply: str, extract: Callable[[], ExtractedAnswer]
    ) -> ExtractedAnswer:
        self.misses += 1
        extracted = extract()
        self._entries[digest] = _entry(extracted, reply)
        if len(self._entries) > self.maxsize:
            del self._entries[next(iter(self._entries))]
        return extracted

    def clear(self) -> None:
        self._entries.clear()
        self.hits = self.misses = 0


def _digest(key: Key) -> bytes:
    """repr of a tuple of str and int is unambiguous; blake2b makes it 16 bytes."""
    return hashlib.blake2b(repr(key).encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _entry(extracted: ExtractedAnswer, reply: str) -> tuple[object, ...]:
    """``extracted``'s field values; evidence found in ``reply`` as its start, with its
    length appended (ints below 257 are shared objects: nothing of its own, most replies)."""
    values = tuple(getattr(extracted, name) for name in _FIELDS)
    evidence = extracted.evidence
    start = -1 if not evidence else reply.find(evidence)
    if start < 0:
        return values
    return (*values[:_EVIDENCE], start, *values[_EVIDENCE + 1 :], len(evidence))
