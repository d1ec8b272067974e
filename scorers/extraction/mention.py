"""What a reply says about one option: a ``Mention`` of it (where, how worded, and whether
the reply puts it forward or rejects it). Every phase of the reading passes these around, so
the type lives apart from the rules that fill it in.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

Polarity = Literal["put", "negated", "attributed", "asked"]

#: how a put-forward mention is worded: after "the answer is", a letter opening the reply or
#: chosen, after "it is"/"I'd say", after a subject restating the question ("the capital is"),
#: or plain text
Kind = Literal["statement", "letter", "asserted", "restated", "text"]


class Mention(NamedTuple):
    index: int
    start: int
    end: int
    kind: Kind
    polarity: Polarity
