"""Earlier turns' attention caches, kept so that a conversation's next turn does not encode
its history again.

A multi-turn condition ("are you sure?", its double-check control, the confirmation turn)
asks turn k after the whole conversation so far. On a local model, encoding that history
is most of a later turn's cost, and the model already computed it: the keys and values of
turn k-1's prompt and reply are in the cache its generation leaves behind. Each
conversation's part of that cache is kept here under the conversation as the next turn
will send it (history + the reply as text); the next turn takes as many positions as its
own prompt shares with the kept tokens, and encodes only the rest.

The keys are the messages, the check is the tokens: a reply re-encoded by the chat
template may tokenize differently at its edges, so only the tokens both sequences share
are reused. Memory is bounded: the oldest conversations are dropped first (samples run
item by item, so the next turn usually comes within a few batches).
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from evalkit.messages import Message

#: Default budget for kept keys and values (SmolLM2-135M: ~46 KB per token, ~4 MB per turn).
DEFAULT_BUDGET_BYTES = 1 << 30


@dataclass(frozen=True)
class KeptTurn:
    """One conversation's tokens and, for the first ``length`` of them, every layer's
    (keys, values), each shaped (1, heads, length, head dim)."""

    tokens: list[int]
    layers: list[tuple[Any, Any]]
    #: False for a batch's shared opening, encoded for this batch: not an earlier turn's
    #: keys and values reused (``TurnCache.reused_tokens`` counts only those)
    earlier_turn: bool = True

    @property
    def length(self) -> int:
        return int(self.layers[0][0].shape[2]) if self.layers else 0

    @property
    def nbytes(self) -> int:
        return sum(t.numel() * t.element_size() for layer in self.layers for t in layer)

    def reusable(self, prompt: list[int]) -> int:
        """Positions of ``prompt`` this turn already holds, leaving the prompt at least its
        last token to encode (its logits start the reply)."""
        limit = min(self.length, len(prompt) - 1)
        shared = 0
        while shared < limit and self.tokens[shared] == prompt[shared]:
            shared += 1
        return shared


def conversation_key(messages: Sequence[Message]) -> str:
    """A digest of the conversation's roles and texts."""
    text = json.dumps([(m.role, m.content) for m in messages], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def history_of(messages: Sequence[Message]) -> list[Message] | None:
    """What came before the request's last user message, when that history ends with an
    assistant's reply (a later turn), else None (a first turn has no kept history)."""
    last_user = max((i for i, m in enumerate(messages) if m.role == "user"), default=-1)
    history = list(messages[:last_user])
    return history if history and history[-1].role == "assistant" else None


def as_next_turn_sees_it(messages: Sequence[Message], reply: str) -> list[Message]:
    """The conversation after ``reply``: a prefilled reply (the request ends with the
    assistant's opening) is that opening followed by the continuation."""
    if messages and messages[-1].role == "assistant":
        return [*messages[:-1], Message(role="assistant", content=messages[-1].content + reply)]
    return [*messages, Message(role="assistant", content=reply)]


class TurnCache:
    """Kept turns by conversation, least recently used dropped beyond ``budget_bytes``."""

    def __init__(self, budget_bytes: int = DEFAULT_BUDGET_BYTES) -> None:
        self.budget_bytes = budget_bytes
        self._kept: OrderedDict[str, KeptTurn] = OrderedDict()
        self._bytes = 0
        #: later turns that looked for their history, found it, and the positions it served
        self.lookups = self.hits = self.reused_tokens = 0

    def keep(self, key: str, turn: KeptTurn) -> None:
        if turn.nbytes > self.budget_bytes:
            return
        old = self._kept.pop(key, None)
        if old is not None:
            self._bytes -= old.nbytes
        self._kept[key] = turn
        self._bytes += turn.nbytes
        while self._bytes > self.budget_bytes:
            _, dropped = self._kept.popitem(last=False)
            self._bytes -= dropped.nbytes

    def find(self, key: str) -> KeptTurn | None:
        self.lookups += 1
        turn = self._kept.get(key)
        if turn is not None:
            self.hits += 1
            self._kept.move_to_end(key)
        return turn

    @property
    def bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._kept)
