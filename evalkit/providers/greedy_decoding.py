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
        are views of the filled part, so the model sees a plain growing layer. Writing past
        the room (a readout's option tokens, longer than the reply's room) grows it."""

        def __init__(self, keys: Any, values: Any, length: int) -> None:
            super().__init__()
            self._keys, self._values, self.length = keys, values, length
            self.is_initialized = True
            self.device = keys.device
            self.dtype = keys.dtype
            self._view()

        def _view(self) -> None:
            self.keys = self._keys[:, :, : self.length]
            self.values = self._values[:, :, : self.length]

        def update(self, key_states: Any, value_states: Any, *args: Any, **kwargs: Any) -> Any:
            end = self.length + key_states.shape[-2]
            if end > self._keys.shape[2]:
                self._keys, self._values = _widened(self._keys, end), _widened(self._values, end)
            self._keys[:, :, self.length : end] = key_states
            self._values[:, :, self.length : end] = value_states
            self.length = end
            self._view()
            return self.keys, self.values

        def crop(self, tokens_to_remove: int) -> None:
            if tokens_to_remove > 0:  # transformers' legacy meaning: a length; never used here
                raise ValueError("crop takes the negative count of positions to remove")
            self.length = max(0, self.length + tokens_to_remove)
            self._view()

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


def _widened(buffer: Any, width: int) -> Any:
    """``buffer`` (batch, heads, positions, dim) with room for ``width`` positions."""
    grown = buffer.new_empty((*buffer.shape[:2], width, buffer.shape[3]))
    grown[:, :, : buffer.shape[2]] = buffer
    return grown


def reserved_cache(parts: list[tuple[list[int], Any, Any]], room: int) -> tuple[Any, Any]:
    """One batch cache stitched from prefilled parts, with ``room`` positions reserved for the
    reply: ``parts`` are (the batch rows it holds, its cache, its mask); each part's columns
    are right aligned (its prompts' ends line up with the others'), and the columns left of
    a narrower part are zeros, masked out. Returns (cache, mask)."""
    rows = sum(len(held) for held, _, _ in parts)
    width = max(mask.shape[1] for _, _, mask in parts)
    first_cache, first_mask = parts[0][1], parts[0][2]
    mask = first_mask.new_zeros((rows, width))
    reserved = _reserved_layer_class()
    layers = []
    for layer, template in enumerate(first_cache.layers):
        shape = (rows, template.keys.shape[1], width + room, template.keys.shape[3])
        keys, values = template.keys.new_empty(shape), template.values.new_empty(shape)
        for held, cache, part_mask in parts:
            at = held if len(held) < rows else slice(None)
            start = width - part_mask.shape[1]
            source = cache.layers[layer]
            if start:  # padding must be finite: a masked weight of 0 times NaN is NaN
                keys[at, :, :start] = 0
                values[at, :, :start] = 0
            keys[at, :, start:width] = source.keys
            values[at, :, start:width] = source.values
        layers.append(reserved(keys, values, width))
    for held, _, part_mask in parts:
        mask[held, width - part_mask.shape[1] :] = part_mask
    first_cache.layers = layers
    return first_cache, mask


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
    if not all(isinstance(layer, _reserved_layer_class()) for layer in cache.layers):
        cache, _ = reserved_cache([(list(range(rows)), cache, mask)], max_new_tokens)
    layers = cache.layers
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
