"""Internal readouts of the transformers provider: option log-likelihoods and probe states.

The tests marked ``model`` share one load of the real SmolLM2 with readouts on;
the config tests need no model.
"""

from __future__ import annotations

import asyncio
import copy
import sys
import threading

import numpy as np
import pytest
from pydantic import ValidationError

from evalkit.errors import ModelLoadError
from evalkit.messages import Message
from evalkit.providers.transformers_local import (
    TransformersAdapter,
    TransformersModelConfig,
    default_probe_layers,
)
from evalkit.readouts import STATEMENT

model = pytest.mark.model
SMOLLM2 = "smollm2-135m-instruct"
#: SmolLM2-135M has 30 layers: 8 from a quarter of the depth to the last.
SMOLLM2_DEFAULT_LAYERS = [8, 11, 14, 17, 21, 24, 27, 30]


def user(text: str) -> list[Message]:
    return [Message(role="user", content=text)]


#: One batch mixing one-token and multi-token options, a multi-turn conversation with a
#: system prompt, and prompts of different lengths (left padding behind a shared prefix).
REQUESTS = [
    (user("What is the capital of France? Answer in one short sentence."), ["Rome", "Paris"]),
    (
        [
            Message(role="system", content="You answer geography questions."),
            Message(role="user", content="Which is the largest ocean on Earth?"),
            Message(role="assistant", content="The Atlantic Ocean."),
            Message(role="user", content="Are you sure? Answer again."),
        ],
        ["Pacific Ocean", "Atlantic Ocean", "Arctic Ocean", "The Indian Ocean, obviously."],
    ),
    (user("Who wrote Hamlet?"), ["William Shakespeare", "Charles Dickens", "Jane Austen"]),
    (user("What is 2 + 2? Answer with a number."), ["3", "4", "22", "5"]),
]


@pytest.fixture(scope="module")
def reader():
    """SmolLM2 with both readouts on, loaded once for this module."""
    from evalkit.providers.transformers_local import TransformersAdapter

    config = TransformersModelConfig(
        model=SMOLLM2, batch_size=8, threads=2, readouts=["option_loglik", "probe"]
    )
    return TransformersAdapter(config)


@pytest.fixture(scope="module")
def read(reader):
    """Every request read out concurrently (one batch), then scored likewise, with the batch
    size and thread of every forward pass."""
    passes: list[tuple[int, int]] = []
    hook = reader.model.register_forward_pre_hook(
        lambda _, args, kwargs: passes.append(
            (kwargs["input_ids"].shape[0], threading.get_ident())
        ),
        with_kwargs=True,
    )

    async def everything():
        readouts = await asyncio.gather(*(reader.read_out(m, o) for m, o in REQUESTS))
        scores = await asyncio.gather(*(reader.score_options(m, o) for m, o in REQUESTS))
        return readouts, scores

    try:
        readouts, scores = asyncio.run(everything())
    finally:
        hook.remove()
    return readouts, scores, passes


def statement_ids(reader, messages: list[Message], option: str) -> list[int]:
    """The conversation continued with the statement, tokenised here independently."""
    said = {"role": "assistant", "content": STATEMENT.format(option=option)}
    text = reader.tokenizer.apply_chat_template(
        [*(m.model_dump() for m in messages), said], continue_final_message=True, tokenize=False
    )
    return reader.tokenizer(text, add_special_tokens=False)["input_ids"]


def single_forward_states(reader, messages: list[Message], option: str) -> np.ndarray:
    """Reference: one unbatched, unpadded forward of the statement, no cache, float32."""
    import torch

    ids = torch.tensor([statement_ids(reader, messages, option)])
    with torch.inference_mode():
        hidden = reader.model(input_ids=ids, output_hidden_states=True).hidden_states
    return torch.stack([hidden[layer][0, -1] for layer in reader.probe_layers]).float().numpy()


def assert_same_states(stored: np.ndarray, reference: np.ndarray) -> None:
    """float16 storage vs. a float32 reference.

    rtol 1e-3 is twice float16's relative rounding (2**-11, 10 mantissa bits): SmolLM2's
    residual stream reaches ~410 at the late layers, where one float16 step is 0.25. atol
    2e-2 covers what batching, padding and the prefix cache change in float32 (measured
    at most 2e-4 on facts-mcq) a hundred times over, and values near 0. A wrong position,
    mask or token moves states by 1 to 100.
    """
    assert stored.dtype == np.float16
    np.testing.assert_allclose(stored.astype(np.float32), reference, rtol=1e-3, atol=2e-2)


@model
def test_shapes_dtype_and_one_batch_on_the_inference_thread(reader, read):
    readouts, _, passes = read
    hidden = reader.model.config.hidden_size
    for (_, options), readout in zip(REQUESTS, readouts, strict=True):
        assert readout.scores is not None and readout.scores.options == options
        assert readout.states is not None
        assert readout.states.shape == (len(options), len(SMOLLM2_DEFAULT_LAYERS), hidden)
        assert readout.states.dtype == np.float16
        assert np.isfinite(readout.states).all()
    # the readout batch: the shared prefix once, the conversations, then three passes on
    # their cache with one row per conversation (never a copy of the cache per option): the
    # later tokens of multi-token options, the statements' shared opening, the statements
    sizes = [size for size, _ in passes]
    assert sizes[:5] == [1] + [len(REQUESTS)] * 4
    inference_thread = reader._executor.submit(threading.get_ident).result()
    assert {thread for _, thread in passes} == {inference_thread}


@model
def test_option_loglik_equals_score_options(read):
    readouts, scores, _ = read
    for readout, scored in zip(readouts, scores, strict=True):
        assert readout.scores is not None
        assert readout.scores.options == scored.options
        assert readout.scores.num_tokens == scored.num_tokens
        assert readout.scores.logprobs == pytest.approx(scored.logprobs, abs=1e-4)


@model
def test_states_equal_an_unbatched_unpadded_forward(reader, read):
    readouts, _, _ = read
    for (messages, options), readout in zip(REQUESTS, readouts, strict=True):
        for option, stored in zip(options, readout.states, strict=True):
            assert_same_states(stored, single_forward_states(reader, messages, option))


@model
def test_statements_that_do_not_continue_the_prompt_run_whole(reader, read, monkeypatch):
    # a chat template may render an assistant turn with content differently from the bare
    # generation prompt; such statements cannot use the conversation cache
    from evalkit.providers import transformers_local

    monkeypatch.setattr(transformers_local, "_continues", lambda prompt, statement: False)
    whole = reader._executor.submit(reader._readout_batch, REQUESTS).result()
    readouts, scores, _ = read
    for (messages, options), readout, scored in zip(REQUESTS, whole, scores, strict=True):
        assert readout.scores.logprobs == pytest.approx(scored.logprobs, abs=1e-4)
        for option, stored in zip(options, readout.states, strict=True):
            assert_same_states(stored, single_forward_states(reader, messages, option))


@model
def test_the_state_is_read_at_the_statements_final_period(reader, read):
    readouts, _, _ = read
    end_of_turn = reader.tokenizer.convert_tokens_to_ids("<|im_end|>")
    for messages, options in REQUESTS:
        for option in options:
            ids = reader._statement_ids(messages, option)
            assert ids == statement_ids(reader, messages, option)
            said = STATEMENT.format(option=option)
            assert reader.tokenizer.decode(ids).endswith(f"assistant\n{said}")
            last = reader.tokenizer.decode(ids[-1:])
            # the period, or ".." for an option that ends with one (one token)
            assert last == ("." if not option.endswith(".") else "..") and said.endswith(last)
            assert end_of_turn not in ids[len(reader._prompt_ids(messages)) :]
    # and not at an end-of-turn token: closing the statement would read another state
    import torch

    messages, options = REQUESTS[0]
    closed = statement_ids(reader, messages, options[0]) + [end_of_turn]
    with torch.inference_mode():
        hidden = reader.model(input_ids=torch.tensor([closed]), output_hidden_states=True)
    at_end = torch.stack([hidden.hidden_states[layer][0, -1] for layer in reader.probe_layers])
    with pytest.raises(AssertionError):
        assert_same_states(readouts[0].states[0], at_end.numpy())


@model
def test_each_readout_alone(reader, read):
    readouts, scores, _ = read
    probe_only, loglik_only = copy.copy(reader), copy.copy(reader)
    probe_only.readouts, loglik_only.readouts = ("probe",), ("option_loglik",)
    run = reader._executor.submit
    states = run(probe_only._readout_batch, REQUESTS).result()
    loglik = run(loglik_only._readout_batch, REQUESTS).result()
    for both, state, score, scored in zip(readouts, states, loglik, scores, strict=True):
        assert state.scores is None and score.states is None
        np.testing.assert_allclose(state.states, both.states, rtol=1e-3, atol=2e-2)
        assert score.scores.logprobs == pytest.approx(scored.logprobs, abs=1e-4)


@model
def test_default_layers_and_describe(reader):
    assert reader.model.config.num_hidden_layers == 30
    assert reader.probe_layers == SMOLLM2_DEFAULT_LAYERS
    info = reader.describe()
    assert info["readouts"] == ["option_loglik", "probe"]
    assert info["probe_layers"] == SMOLLM2_DEFAULT_LAYERS


@model
def test_probe_layers_beyond_the_model_are_a_load_error(reader):
    # the check _load runs once the model's depth is known (this model's reloaded would be
    # the same check; one load per test module)
    checked = copy.copy(reader)
    checked.config = TransformersModelConfig(
        model=SMOLLM2, readouts=["probe"], probe_layers=[0, 30, 31, 64]
    )
    with pytest.raises(ModelLoadError) as caught:
        checked._pick_probe_layers()
    error = caught.value
    assert error.field == "probe_layers"
    assert "has 30 layers; no hidden states at 31, 64" in error.message
    assert "0 (embeddings) to 30" in str(error)
    checked.config = TransformersModelConfig(
        model=SMOLLM2, readouts=["probe"], probe_layers=[30, 0]
    )
    assert checked._pick_probe_layers() == [30, 0]


@model
def test_read_out_refuses_when_readouts_are_off(reader):
    off = copy.copy(reader)
    off.readouts = ()
    with pytest.raises(RuntimeError, match="readouts are off"):
        asyncio.run(off.read_out(*REQUESTS[0]))


# -- config (no model) ---------------------------------------------------------------------


def test_default_probe_layers_for_any_depth():
    assert default_probe_layers(30) == SMOLLM2_DEFAULT_LAYERS
    assert default_probe_layers(32) == [8, 11, 15, 18, 22, 25, 29, 32]
    assert default_probe_layers(4) == [1, 2, 3, 4]
    assert default_probe_layers(1) == [1]
    for depth in range(1, 100):
        layers = default_probe_layers(depth)
        start = max(1, round(depth / 4))
        assert layers[0] == start and layers[-1] == depth
        assert len(layers) == min(8, depth - start + 1)  # all of them in a small model
        assert layers == sorted(set(layers))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"readouts": ["probe", "probe"]}, "at most once"),
        ({"readouts": ["attention"]}, "'option_loglik' or 'probe'"),
        ({"probe_layers": [3]}, "readouts does not include probe"),
        ({"readouts": ["option_loglik"], "probe_layers": [3]}, "does not include probe"),
        ({"readouts": ["probe"], "probe_layers": []}, "at least 1 item"),
        ({"readouts": ["probe"], "probe_layers": [-1]}, "greater than or equal to 0"),
        ({"readouts": ["probe"], "probe_layers": [3, 3]}, "at most once"),
    ],
)
def test_readout_config_mistakes(fields, message):
    with pytest.raises(ValidationError, match=message):
        TransformersModelConfig(model=SMOLLM2, **fields)


def test_a_probe_without_scikit_learn_is_refused_before_the_model_loads(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)
    monkeypatch.setattr(TransformersAdapter, "_load", lambda self: pytest.fail("model loaded"))
    config = TransformersModelConfig(model=SMOLLM2, readouts=["option_loglik", "probe"])
    with pytest.raises(ModelLoadError, match=r"scikit-learn") as refused:
        TransformersAdapter(config)
    assert refused.value.field == "readouts"
    assert "evalkit[local,probe]" in str(refused.value.expected)


def test_readouts_off_leave_the_identity_and_plan_hash_as_before():
    plain = TransformersModelConfig(model=SMOLLM2)
    assert plain.readouts == [] and plain.probe_layers is None
    assert "readouts" not in plain.identity() and "probe_layers" not in plain.identity()
    on = TransformersModelConfig(model=SMOLLM2, readouts=["probe"], probe_layers=[3])
    assert on.identity() == {**plain.identity(), "readouts": ["probe"], "probe_layers": [3]}


@model
def test_a_readout_beside_a_generated_answer_reads_the_generations_own_prefill(reader, read):
    """generate_and_read_out: the reply of generate, the readout of read_out, from one batch
    whose conversations run once (generate's prefill) and a request without options in it."""
    from evalkit.providers.base import GenerationParams

    readouts, _, _ = read
    params = GenerationParams(max_new_tokens=12, temperature=0)
    plain = user("Name a primary colour.")
    passes: list[int] = []
    hook = reader.model.register_forward_pre_hook(
        lambda _, args, kwargs: passes.append(kwargs["input_ids"].shape[1]), with_kwargs=True
    )

    async def together():
        return await asyncio.gather(
            *(reader.generate_and_read_out(m, params, o) for m, o in REQUESTS),
            reader.generate(plain, params),
        )

    try:
        *fused, alone = asyncio.run(together())
    finally:
        hook.remove()

    async def apart():
        return await asyncio.gather(*(reader.generate(m, params) for m, _ in [*REQUESTS]))

    replies = asyncio.run(apart())
    [(reference_alone, _)] = reader._generate_batch([(plain, params, None)])
    assert alone.text == reference_alone.text
    prompt_widths = [width for width in passes if width > 20]
    assert len(prompt_widths) == 1  # the conversations ran once: generate's prefill
    for (response, readout), reply, reference in zip(fused, replies, readouts, strict=True):
        assert response.text == reply.text
        assert readout.scores.logprobs == pytest.approx(reference.scores.logprobs, abs=1e-4)
        np.testing.assert_allclose(
            readout.states.astype(np.float32),
            reference.states.astype(np.float32),
            rtol=1e-3,
            atol=2e-2,
        )
