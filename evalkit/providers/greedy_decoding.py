"""Greedy decoding that stops paying for replies once they are finished.

``model.generate`` decodes a batch until its longest reply ends: every finished row is fed
padding at full cost, and its growing cache is copied whole (``torch.cat``) at every step.
With short answers of very different lengths (a letter, a sentence, a reply cut at the
limit) that is a third of the decoding. Here each step feeds only the rows still
answering: finished rows leave the batch (their part of the cache is handed out first,
for the next turn), and the cache is written into room reserved up front instead of being
copied to grow.

The arithmetic is generate's own: the same forward with the same mask and positions, the
argmax of the next-token logits. It is used only where generate would apply no logits
processor (see :func:`plain_greedy`); anything else still goes through generate.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

#: Generation-config fields that add a logits processor or change stopping when set.
_PROCESSING_FIELDS = (
    "repetition_penalty",
    "encoder_repetition_penalty",
    "no_repeat_ngram_size",
    "encoder_no_repeat_ngram_size",
    "bad_words_ids",
    "sequence_bias",
    "suppress_tokens",
    "begin_suppress_tokens",
    "forced_bos_token_id",
    "forced_eos_token_id",
    "forced_decoder_ids",
    "min_length",
    "min_new_tokens",
    "exponential_decay_length_penalty",
    "guidance_scale",
    "renormalize_logits",
    "watermarking_config",
    "stop_strings",
    "max_time",
    "num_beams",
    "penalty_alpha",
    "assistant_model",
    "prompt_lookup_num_tokens",
)

#: A finished row leaves the batch once this share of the rows still decoding has finished
#: (taking rows out copies the cache; a few idle rows cost less than a copy per step).
LEAVE_SHARE = 1 / 8


def plain_greedy(model: Any) -> bool:
    """Whether greedy ``generate`` on this model is the bare argmax this module computes:
    no field of its generation config adds a logits processor or a stopping rule, and its
    cache layers are the plain growing kind (no sliding window)."""
    try:
        from transformers import DynamicCache, GenerationConfig
        from transformers.cache_utils import DynamicLayer

        layers = DynamicCache(config=model.config).layers
    except Exception:  # a transformers whose caches are built otherwise
        return False
    config = getattr(model, "generation_config", None)
    if config is None or not layers or any(type(layer) is not DynamicLayer for layer in layers):
        return False
    default = GenerationConfig()
    return all(
        getattr(config, name, None) == getattr(default, name, None) for name in _PROCESSING_FIELDS
    )


@dataclass
class Decoded:
    """Each row's new tokens (ending with its end-of-turn token when it stopped) and, when
    asked, each row's (keys, values) per layer over its real positions: prompt and fed
    reply tokens, padding left out."""

    tokens: list[list[int]]
    kept: list[list[tuple[Any, Any]]] | None


@functools.cache
def _reserved_layer_class() -> Any:
    """A growing cache layer with room reserved for the reply (made on first use:
    transformers is imported late)."""
    from transformers.cache_utils import DynamicLayer

    class ReservedLayer(DynamicLayer):
        """A cache layer written into room reserved for the whole reply; ``keys``/``values``
        are views of the filled part, so the model sees a plain growing layer."""

        def __init__(self, keys: Any, values: Any, room: int) -> None:
            super().__init__()
            batch, heads, length, dim = keys.shape
            self._keys = keys.new_empty((batch, heads, length + room, dim))
            self._values = values.new_empty((batch, heads, length + room, dim))
            self._keys[:, :, :length] = keys
            self._values[:, :, :length] = values
            self.length = length
            self.is_initialized = True
            self.device = keys.device
            self.dtype = keys.dtype
            self._view()

        def _view(self) -> None:
            self.keys = self._keys[:, :, : self.length]
            self.values = self._values[:, :, : self.length]

        def update(self, key_states: Any, value_states: Any, *args: Any, **kwargs: Any) -> Any:
            end = self.length + key_states.shape[-2]
            self._keys[:, :, self.length : end] = key_states
            self._values[:, :, self.length : end] = value_states
            self.length = end
            self._view()
            return self.keys, self.values

        def get_mask_sizes(self, query_length: int) -> tuple[int, int]:
            return self.length + query_length, 0

        def get_seq_length(self) -> int:
            return self.length

        def get_max_length(self) -> int:
            return -1

        def select(self, indices: Any) -> None:
            self._keys = self._keys[indices]
            self._values = self._values[indices]
            self._view()

    return ReservedLayer


def decode(
    model: Any,
    cache: Any,
    mask: Any,
    first_logits: Any,
    *,
    max_new_tokens: int,
    eos_ids: list[int],
    cache_arg: str,
    keep: bool,
) -> Decoded:
    """Greedy replies continuing a prefilled ``cache`` (``mask`` wide) from ``first_logits``."""
    import torch

    rows = mask.shape[0]
    tokens: list[list[int]] = [[] for _ in range(rows)]
    kept: list[list[tuple[Any, Any]]] | None = [[] for _ in range(rows)] if keep else None
    reserved = _reserved_layer_class()
    layers = [reserved(layer.keys, layer.values, max_new_tokens) for layer in cache.layers]
    cache.layers = layers
    eos = torch.tensor(eos_ids, device=mask.device)
    active = list(range(rows))  # original row of each batch row
    finished: list[int] = []  # batch rows that have stopped but not left yet
    #: cache columns that belong to each stopped row: up to its end-of-turn token (fed at
    #: the next step while it waits to leave); what is fed after that is not its reply
    ends: dict[int, int] = {}
    logits = first_logits
    for step in range(max_new_tokens):
        chosen = logits.argmax(dim=-1)
        stopped = torch.isin(chosen, eos).tolist()
        for b, token in enumerate(chosen.tolist()):
            if b not in finished:
                tokens[active[b]].append(token)
                if stopped[b]:
                    finished.append(b)
                    ends[active[b]] = mask.shape[1] + 1
        if step == max_new_tokens - 1 or len(finished) == len(active):
            break
        if finished and len(finished) >= max(1, LEAVE_SHARE * len(active)):
            stay = [b for b in range(len(active)) if b not in finished]
            _hand_out(layers, mask, finished, active, ends, kept)
            at = torch.tensor(stay, device=mask.device)
            for layer in layers:
                layer.select(at)
            mask, chosen = mask[at], chosen[at]
            active = [active[b] for b in stay]
            finished = []
        mask = torch.cat([mask, mask.new_ones((mask.shape[0], 1))], dim=1)
        output = model(
            input_ids=chosen[:, None],
            attention_mask=mask,
            position_ids=mask.sum(dim=1, keepdim=True) - 1,
            use_cache=True,
            **{cache_arg: cache},
        )
        logits = output.logits[:, -1, :]
    _hand_out(layers, mask, list(range(len(active))), active, ends, kept)
    return Decoded(tokens=tokens, kept=kept)


def _hand_out(
    layers: list[Any],
    mask: Any,
    batch_rows: list[int],
    active: list[int],
    ends: dict[int, int],
    kept: list[list[tuple[Any, Any]]] | None,
) -> None:
    """Copy the real positions of ``batch_rows`` out of the cache (they are leaving it)."""
    if kept is None:
        return
    for b in batch_rows:
        kept[active[b]] = row_part(layers, mask, b, ends.get(active[b]))


def row_part(layers: list[Any], mask: Any, row: int, end: int | None = None) -> list[Any]:
    """Row ``row``'s (keys, values) of every layer at its real positions (``mask``'s ones
    before column ``end``), one row each: what a conversation keeps for its next turn."""
    columns = mask[row, :end].nonzero().squeeze(1)
    return [
        (layer.keys[row : row + 1, :, columns], layer.values[row : row + 1, :, columns])
        for layer in layers
    ]
