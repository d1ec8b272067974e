"""evalkit's greedy decoding loop against ``model.generate`` on a tiny random model (no
download), and when the loop may stand in for generate at all."""

from __future__ import annotations

import inspect
from types import SimpleNamespace

import pytest
import torch
from transformers import GenerationConfig, LlamaConfig, LlamaForCausalLM, MistralConfig

from evalkit.providers import greedy_decoding
from evalkit.providers.greedy_decoding import decode, plain_greedy

SMALL = dict(
    num_hidden_layers=2,
    hidden_size=32,
    intermediate_size=64,
    num_attention_heads=4,
    num_key_value_heads=2,
    vocab_size=64,
)


def stand_in(config, **generation) -> SimpleNamespace:
    return SimpleNamespace(config=config, generation_config=GenerationConfig(**generation))


def test_the_loop_stands_in_only_for_a_bare_argmax_over_a_growing_cache():
    assert plain_greedy(stand_in(LlamaConfig(**SMALL), bos_token_id=1, eos_token_id=2))
    assert not plain_greedy(stand_in(LlamaConfig(**SMALL), repetition_penalty=1.2))
    assert not plain_greedy(stand_in(LlamaConfig(**SMALL), no_repeat_ngram_size=3))
    assert not plain_greedy(stand_in(LlamaConfig(**SMALL), suppress_tokens=[5]))
    assert not plain_greedy(stand_in(MistralConfig(sliding_window=8, **SMALL)))


@pytest.fixture(scope="module")
def tiny() -> LlamaForCausalLM:
    torch.manual_seed(0)
    return LlamaForCausalLM(LlamaConfig(**SMALL, pad_token_id=0)).eval()


@pytest.mark.parametrize("share", [0.0, 0.5, 1.0])
def test_replies_and_kept_parts_equal_generate_on_a_left_padded_batch(tiny, monkeypatch, share):
    """Finished rows leave at once, once half the batch has finished, or only at the end."""
    monkeypatch.setattr(greedy_decoding, "LEAVE_SHARE", share)
    arg = "cache" if "cache" in inspect.signature(tiny.forward).parameters else "past_key_values"
    rows = [[5, 9, 11, 3], [7, 8], [12, 13, 14, 15, 16, 17], [20, 21, 22]]
    width = max(len(r) for r in rows)
    ids = torch.tensor([[0] * (width - len(r)) + r for r in rows])
    mask = torch.tensor([[0] * (width - len(r)) + [1] * len(r) for r in rows])
    with torch.inference_mode():
        free = tiny.generate(
            input_ids=ids, attention_mask=mask, max_new_tokens=8, do_sample=False, pad_token_id=0
        )
        # an end token the first reply reaches early, so rows end at different steps
        eos = int(free[0, width + 2])
        theirs = tiny.generate(
            input_ids=ids,
            attention_mask=mask,
            max_new_tokens=8,
            do_sample=False,
            pad_token_id=0,
            eos_token_id=[eos],
            return_dict_in_generate=True,
        )
        # the prompt pass, as the adapter's conversation pass makes it
        prompts = tiny(
            input_ids=ids,
            attention_mask=mask,
            position_ids=(mask.cumsum(dim=1) - 1).clamp(min=0),
            use_cache=True,
            logits_to_keep=1,
        )
        cache, first = getattr(prompts, arg), prompts.logits[:, -1, :]
        ours = decode(
            tiny,
            cache,
            mask,
            first,
            max_new_tokens=8,
            eos_ids=[eos],
            cache_arg=arg,
            keep=True,
        )
    generated = theirs.sequences[:, width:].tolist()
    assert any(len(tokens) < 8 for tokens in ours.tokens)
    for r, tokens in enumerate(ours.tokens):
        stop = next((i + 1 for i, t in enumerate(generated[r]) if t == eos), 8)
        assert tokens == generated[r][:stop]
        assert ours.kept is not None
        for (keys, values), layer in zip(ours.kept[r], getattr(theirs, arg).layers, strict=True):
            real = torch.cat(
                [mask[r].nonzero().squeeze(1), width + torch.arange(keys.shape[2] - len(rows[r]))]
            )
            assert keys.shape[2] >= len(rows[r]) + len(tokens) - 1
            assert torch.allclose(keys, layer.keys[r : r + 1, :, real], atol=1e-5)
            assert torch.allclose(values, layer.values[r : r + 1, :, real], atol=1e-5)
