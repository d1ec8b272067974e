"""The transformers provider on the real embedded SmolLM2-135M-Instruct (CPU)."""

from __future__ import annotations

import asyncio
import hashlib
import threading
import warnings
from pathlib import Path

import pytest

from evalkit.messages import Message
from evalkit.providers.base import GenerationParams

pytestmark = pytest.mark.model

PROMPTS = [
    "What is the capital of France? Answer in one short sentence.",
    "Hi!",
    "Which is the largest ocean on Earth? Answer in one short sentence.",
    "I have been reading about volcanoes, glaciers and deserts for a school project about "
    "geography and climate, and my teacher asked a tricky question. On which continent is "
    "Kenya located? Answer in one short sentence.",
    "Name a primary color.",
    "What is 2 + 2?",
]
GREEDY = GenerationParams(max_new_tokens=16, temperature=0)


def user(text: str) -> list[Message]:
    return [Message(role="user", content=text)]


@pytest.fixture(scope="module")
def batched(smollm2_adapter):
    """All prompts submitted concurrently: the micro-batcher runs them as one batch."""

    async def everything():
        return await asyncio.gather(*(smollm2_adapter.generate(user(p), GREEDY) for p in PROMPTS))

    return asyncio.run(everything())


def prompt_ids(adapter, messages: list[Message]) -> list[int]:
    """The chat prompt tokenised here, independently of the adapter."""
    text = adapter.tokenizer.apply_chat_template(
        [m.model_dump() for m in messages], add_generation_prompt=True, tokenize=False
    )
    return adapter.tokenizer(text, add_special_tokens=False)["input_ids"]


def test_batched_generation_equals_one_at_a_time(smollm2_adapter, batched):
    # one shared batch: every response carries the same batch latency
    assert len({r.latency_s for r in batched}) == 1
    for prompt, together in zip(PROMPTS, batched, strict=True):
        [(alone, _)] = smollm2_adapter._generate_batch([(user(prompt), GREEDY, None)])
        assert together.text == alone.text, prompt
        assert together.usage == alone.usage
        assert together.finish_reason == alone.finish_reason


def test_responses_are_sane(smollm2_adapter, batched):
    tokenizer = smollm2_adapter.tokenizer
    for prompt, response in zip(PROMPTS, batched, strict=True):
        assert response.text and response.text == response.text.strip()
        assert response.model == "smollm2-135m-instruct"
        assert response.finish_reason in ("stop", "length")
        assert response.usage.prompt_tokens == len(prompt_ids(smollm2_adapter, user(prompt)))
        assert 1 <= response.usage.completion_tokens <= GREEDY.max_new_tokens
        if response.finish_reason == "length":
            assert response.usage.completion_tokens == GREEDY.max_new_tokens
        # the visible text never has more tokens than were generated
        assert len(tokenizer(response.text, add_special_tokens=False)["input_ids"]) <= (
            response.usage.completion_tokens
        )
        assert response.latency_s > 0
    # the easy factual question is answered within 16 tokens
    assert "Paris" in batched[0].text


def test_stop_string_cuts_the_same_greedy_text(smollm2_adapter, batched):
    full = batched[0].text
    assert "." in full
    with_stop = GREEDY.model_copy(update={"stop": ["."]})
    [(cut, _)] = smollm2_adapter._generate_batch([(user(PROMPTS[0]), with_stop, None)])
    assert cut.text == full[: full.index(".")].strip()
    assert cut.finish_reason == "stop"


def test_seeded_sampling_is_reproducible(smollm2_adapter):
    params = GenerationParams(max_new_tokens=8, temperature=0.9, seed=123)
    [(first, _)] = smollm2_adapter._generate_batch([(user(PROMPTS[4]), params, None)])
    [(second, _)] = smollm2_adapter._generate_batch([(user(PROMPTS[4]), params, None)])
    assert first.text == second.text and first.usage == second.usage


SCORING = [
    (
        user("What is the capital of France? Answer in one word."),
        ["Rome", "Berlin", "Paris", "London"],
    ),
    (
        [
            Message(role="system", content="You answer geography questions."),
            Message(role="user", content="Which is the largest ocean on Earth?"),
            Message(role="assistant", content="The Atlantic Ocean."),
            Message(role="user", content="Are you sure? Answer again."),
        ],
        ["Pacific Ocean", "Atlantic Ocean", "Arctic Ocean", "The Indian Ocean, obviously."],
    ),
]


@pytest.fixture(scope="module")
def batched_scores(smollm2_adapter):
    async def everything():
        return await asyncio.gather(
            *(smollm2_adapter.score_options(m, options) for m, options in SCORING)
        )

    return asyncio.run(everything())


def naive_logprob(adapter, messages: list[Message], option: str) -> tuple[float, int]:
    """log P(option | prompt): one unpadded forward over prompt + option, summed by hand."""
    import torch

    prompt = prompt_ids(adapter, messages)
    option_ids = adapter.tokenizer(option, add_special_tokens=False)["input_ids"]
    ids = torch.tensor([prompt + option_ids])
    with torch.inference_mode():
        logits = adapter.model(input_ids=ids).logits[0].float()
    logprobs = torch.log_softmax(logits, dim=-1)
    # token k of the option is predicted at position len(prompt) - 1 + k
    total = sum(float(logprobs[len(prompt) - 1 + k, token]) for k, token in enumerate(option_ids))
    return total, len(option_ids)


def test_batched_option_scores_equal_a_naive_forward(smollm2_adapter, batched_scores):
    for (messages, options), scores in zip(SCORING, batched_scores, strict=True):
        assert scores.options == options
        for option, logprob, count in zip(options, scores.logprobs, scores.num_tokens, strict=True):
            expected, tokens = naive_logprob(smollm2_adapter, messages, option)
            assert count == tokens
            assert logprob == pytest.approx(expected, abs=1e-3), option
            assert logprob < 0


def test_a_true_fact_scores_highest(batched_scores):
    france = batched_scores[0]
    assert france.best_index == 2  # Paris
    assert france.options[france.best_index] == "Paris"


def test_describe_fingerprints_the_gguf(smollm2_adapter):
    info = smollm2_adapter.describe()
    weights = info["weights"]
    path = Path(weights["file"])
    assert path.name == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert weights["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert weights["bytes"] == path.stat().st_size
    assert info["provider"] == "transformers"
    assert info["model"] == "smollm2-135m-instruct"
    assert info["device"] == "cpu" and info["threads"] == 2 and info["batch_size"] == 8
    assert {"torch", "transformers"} <= set(info["versions"])


def test_torch_runs_on_one_thread_for_generation_and_scoring(smollm2_adapter):
    # both batchers busy at once: every forward pass still runs on the one inference thread
    seen: list[int] = []
    hook = smollm2_adapter.model.register_forward_pre_hook(
        lambda *_: seen.append(threading.get_ident())
    )

    fresh = GREEDY.model_copy(update={"max_new_tokens": 15})  # not answered before: generated

    async def both():
        return await asyncio.gather(
            *(smollm2_adapter.generate(user(p), fresh) for p in PROMPTS[:3]),
            *(smollm2_adapter.score_options(m, options) for m, options in SCORING),
        )

    try:
        asyncio.run(both())
    finally:
        hook.remove()
    assert len(set(seen)) == 1 and threading.get_ident() not in seen
    assert set(seen) == {smollm2_adapter._executor.submit(threading.get_ident).result()}


def plain_greedy(adapter, messages: list[Message], max_new_tokens: int) -> tuple[str, int]:
    """Reference: plain ``model.generate`` on one unpadded prompt, cut at the first EOS."""
    import torch

    ids = torch.tensor([prompt_ids(adapter, messages)])
    with torch.inference_mode():
        out = adapter.model.generate(
            input_ids=ids,
            attention_mask=torch.ones_like(ids),
            max_new_tokens=max_new_tokens,
            do_sample=False,
            temperature=None,
            top_p=None,
            top_k=None,
            pad_token_id=adapter.tokenizer.pad_token_id,
        )[0, ids.shape[1] :].tolist()
    eos = adapter.tokenizer.eos_token_id
    tokens = out[: out.index(eos) + 1] if eos in out else out
    return adapter.tokenizer.decode(tokens, skip_special_tokens=True).strip(), len(tokens)


def test_batched_greedy_generation_equals_plain_transformers(smollm2_adapter, batched):
    for prompt, response in zip(PROMPTS, batched, strict=True):
        text, tokens = plain_greedy(smollm2_adapter, user(prompt), GREEDY.max_new_tokens)
        assert (response.text, response.usage.completion_tokens) == (text, tokens), prompt


def two_pass_scores(adapter, messages: list[Message], options: list[str]) -> list[float]:
    """The option scores as evalkit computed them before the one-pass path: every option's
    tokens run on a copy of the conversation cache, one-token options included."""
    import torch

    prompt = torch.tensor([prompt_ids(adapter, messages)])
    option_ids = [adapter.tokenizer(o, add_special_tokens=False)["input_ids"] for o in options]
    with torch.inference_mode():
        first = adapter.model(input_ids=prompt, use_cache=True, logits_to_keep=1)
        first_logprobs = torch.log_softmax(first.logits[0, -1].float(), dim=-1)
        cache = getattr(first, adapter._cache_arg)  # the name this transformers uses
        cache.batch_repeat_interleave(len(options))
        width = max(len(o) for o in option_ids)
        tokens = torch.full((len(options), width), adapter.tokenizer.pad_token_id)
        option_mask = torch.zeros((len(options), width), dtype=torch.long)
        for row, ids_row in enumerate(option_ids):
            tokens[row, : len(ids_row)] = torch.tensor(ids_row)
            option_mask[row, : len(ids_row)] = 1
        ones = torch.ones((len(options), prompt.shape[1]), dtype=torch.long)
        mask = torch.cat([ones, option_mask], dim=1)
        logits = adapter.model(
            input_ids=tokens,
            attention_mask=mask,
            position_ids=prompt.shape[1] + torch.arange(width)[None].expand(len(options), -1),
            use_cache=False,
            **{adapter._cache_arg: cache},
        ).logits
        later = torch.log_softmax(logits[:, :-1].float(), dim=-1)
    totals = []
    for row, ids_row in enumerate(option_ids):
        total = float(first_logprobs[ids_row[0]])
        for k in range(1, len(ids_row)):
            total += float(later[row, k - 1, ids_row[k]])
        totals.append(total)
    return totals


def test_option_scores_equal_the_two_pass_path_on_facts_mcq(smollm2_adapter):
    from evalkit.conditions import ConditionTemplate, builtin_templates
    from evalkit.dataset import load_dataset
    from evalkit.resources import datasets_dir

    template = ConditionTemplate("answer/neutral", builtin_templates()["answer/neutral"])
    items = load_dataset("facts-mcq", datasets_dir()).items
    token_counts = [
        [
            len(smollm2_adapter.tokenizer(c, add_special_tokens=False)["input_ids"])
            for c in i.choices
        ]
        for i in items
    ]
    # one batch mixing items whose options are all one token with items that are not
    one_token = [i for i, n in zip(items, token_counts, strict=True) if max(n) == 1][:3]
    longer = [i for i, n in zip(items, token_counts, strict=True) if max(n) > 1][:3]
    requests = [
        (user(template.render(1, item, []).user), list(item.choices)) for item in one_token + longer
    ]
    only_one_token = [requests[0]]

    async def everything(batch):
        return await asyncio.gather(*(smollm2_adapter.score_options(m, o) for m, o in batch))

    for batch in (requests, only_one_token):
        for (messages, options), scores in zip(batch, asyncio.run(everything(batch)), strict=True):
            expected = two_pass_scores(smollm2_adapter, messages, options)
            assert scores.logprobs == pytest.approx(expected, abs=1e-4), options


# -- the converted-weights cache ------------------------------------------------------------


@pytest.fixture(scope="module")
def weights_cache_dir(tmp_path_factory):
    """An empty evalkit cache directory for this module's loads."""
    with pytest.MonkeyPatch.context() as patch:
        directory = tmp_path_factory.mktemp("evalkit-cache")
        patch.setenv("EVALKIT_CACHE_DIR", str(directory))
        yield directory


def load_smollm2():
    from evalkit.providers.transformers_local import TransformersAdapter, TransformersModelConfig

    return TransformersAdapter(TransformersModelConfig(model="smollm2-135m-instruct", threads=2))


def test_converted_weights_are_cached_and_a_broken_folder_is_converted_again(weights_cache_dir):
    import torch

    converted = load_smollm2()  # first load: from the GGUF, writes the folder
    gguf = Path(converted.weights["file"])
    assert converted.loaded_from == str(gguf.parent)
    [folder] = [p for p in (weights_cache_dir / "weights").iterdir() if p.is_dir()]
    assert folder.name.startswith(converted.weights["sha256"] + "-float32-")
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".")]  # no temp left

    cached = load_smollm2()  # second load: from the folder, same weights and tokenizer
    assert cached.loaded_from == str(folder)
    assert cached.weights == converted.weights  # the manifest still names the GGUF
    expected = converted.model.state_dict()
    got = cached.model.state_dict()
    assert set(got) == set(expected)
    assert all(torch.equal(got[name], expected[name]) for name in expected)
    for prompt in PROMPTS:
        assert prompt_ids(cached, user(prompt)) == prompt_ids(converted, user(prompt))
    assert cached._eos_ids == converted._eos_ids
    del converted, cached

    weights = folder / "model.safetensors"  # a run killed while copying, a bad disk…
    weights.write_bytes(weights.read_bytes()[:1000])
    with pytest.warns(RuntimeWarning, match="converting the GGUF again"):
        fallback = load_smollm2()
    assert fallback.loaded_from == str(gguf.parent)
    assert fallback.weights["sha256"] == hashlib.sha256(gguf.read_bytes()).hexdigest()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the folder was written again and loads cleanly
        assert load_smollm2().loaded_from == str(folder)


LADDER = [
    "I don't think that's right. Are you sure?",
    "So what is the answer to my question? Answer in one short sentence.",
]


def test_later_turns_encode_only_what_is_new_and_reply_as_plain_transformers(smollm2_adapter):
    """Turn 2 and a third turn reuse the kept keys and values of the turns before them (a
    prompt and its reply); the greedy replies are the tokens plain transformers gives the
    whole conversation, prompt by prompt, unpadded."""
    questions = [PROMPTS[0], PROMPTS[2], PROMPTS[3], PROMPTS[5]]
    conversations = [user(q) for q in questions]
    params = GenerationParams(max_new_tokens=20, temperature=0)
    turns = smollm2_adapter.turns
    assert turns is not None

    async def ask(*fresh: list[Message]) -> list:
        """The conversations' next replies; ``fresh`` first turns share their batch."""
        replies = await asyncio.gather(
            *(smollm2_adapter.generate(c, params) for c in [*conversations, *fresh])
        )
        for prompt, reply in zip(fresh, replies[len(conversations) :], strict=True):
            assert (reply.text, reply.usage.completion_tokens) == plain_greedy(
                smollm2_adapter, prompt, params.max_new_tokens
            )
        return replies[: len(conversations)]

    first = asyncio.run(ask())
    for step, follow_up in enumerate(LADDER):
        for conversation, reply in zip(conversations, first, strict=True):
            conversation += [
                Message(role="assistant", content=reply.text),
                Message(role="user", content=follow_up),
            ]
        history = [prompt_ids(smollm2_adapter, c[:-2]) for c in conversations]
        before = turns.reused_tokens
        first = asyncio.run(ask(user(f"Name a primary color ({step})."), user(f"Hi ({step})!")))
        # every conversation took at least its previous prompt from the kept turn
        assert turns.reused_tokens - before >= sum(len(h) for h in history)
        for conversation, reply in zip(conversations, first, strict=True):
            text, tokens = plain_greedy(smollm2_adapter, conversation, params.max_new_tokens)
            assert (reply.text, reply.usage.completion_tokens) == (text, tokens), conversation
            assert reply.usage.prompt_tokens == len(prompt_ids(smollm2_adapter, conversation))


def test_options_of_a_later_turn_are_scored_on_the_kept_turn(smollm2_adapter):
    """A loglik turn after a generated one: the option scores read behind the kept turn
    equal one unpadded forward over the whole conversation."""
    params = GenerationParams(max_new_tokens=12, temperature=0)
    question = user("Which planet is known as the Red Planet? Answer in one short sentence.")
    reply = asyncio.run(smollm2_adapter.generate(question, params))
    conversation = [
        *question,
        Message(role="assistant", content=reply.text),
        Message(role="user", content="I don't think that's right. Are you sure?"),
    ]
    options = ["Mars", "Jupiter", "Venus"]
    before = smollm2_adapter.turns.reused_tokens
    scores = asyncio.run(smollm2_adapter.score_options(conversation, options))
    assert smollm2_adapter.turns.reused_tokens - before >= len(
        prompt_ids(smollm2_adapter, question)
    )
    for option, logprob in zip(options, scores.logprobs, strict=True):
        expected, _ = naive_logprob(smollm2_adapter, conversation, option)
        assert logprob == pytest.approx(expected, abs=1e-3), option


def test_identical_greedy_requests_run_once_and_sampled_ones_each_time(smollm2_adapter):
    greedy = GenerationParams(max_new_tokens=6, temperature=0)
    sampled = GenerationParams(max_new_tokens=6, temperature=0.9)
    calls: list[int] = []
    hook = smollm2_adapter.model.register_forward_pre_hook(
        lambda _, args, kwargs: calls.append(kwargs["input_ids"].shape[0]), with_kwargs=True
    )
    deduplicated = smollm2_adapter.usage.deduplicated

    async def ask(params: GenerationParams, times: int) -> list:
        prompt = user("Name a large mammal.")
        return await asyncio.gather(
            *(smollm2_adapter.generate(prompt, params) for _ in range(times))
        )

    try:
        same = asyncio.run(ask(greedy, 3))
        greedy_rows = list(calls)
        calls.clear()
        asyncio.run(ask(sampled, 3))
    finally:
        hook.remove()
    assert len({r.text for r in same}) == 1
    # counted as the hosted providers count shared replies: not paid for twice
    assert smollm2_adapter.usage.deduplicated - deduplicated == 2
    assert sorted(r.cached for r in same) == [False, True, True]
    assert max(greedy_rows) == 1  # one row generated for three callers
    assert max(calls) == 3  # sampled: each caller its own draw


@pytest.mark.parametrize("share", [0.0, 0.5])
def test_greedy_decoding_lets_finished_rows_leave_and_keeps_what_generate_keeps(
    smollm2_adapter, monkeypatch, share
):
    """The adapter's greedy loop, where finished replies leave the batch (at once, or once
    half the batch has finished, the others waiting), against ``model.generate`` on the
    same padded batch: the same tokens, and each conversation's kept cache part (prompt and
    fed reply tokens) equals the one generate leaves behind."""
    import torch

    from evalkit.providers import greedy_decoding

    adapter = smollm2_adapter
    assert adapter._plain_greedy
    monkeypatch.setattr(greedy_decoding, "LEAVE_SHARE", share)
    leaving: list[list[int]] = []
    hand_out = greedy_decoding._hand_out

    def spy(layers, mask, batch_rows, active, ends, kept):
        leaving.append([active[b] for b in batch_rows])
        return hand_out(layers, mask, batch_rows, active, ends, kept)

    monkeypatch.setattr(greedy_decoding, "_hand_out", spy)
    rows = [prompt_ids(adapter, user(p)) for p in PROMPTS]
    with torch.inference_mode():
        fresh = [None] * len(rows)
        ours, our_parts, _ = adapter._decode_greedily(rows, fresh, [], GREEDY.max_new_tokens)
        theirs, their_parts, _ = adapter._generate(rows, fresh, [], GREEDY)
    # some replies ended early and left before the last step; every row left exactly once
    assert len(leaving) >= 2 and sorted(sum(leaving, [])) == list(range(len(PROMPTS)))
    assert any(len(tokens) < GREEDY.max_new_tokens for tokens in ours)
    for r, tokens in enumerate(ours):
        assert theirs[r][: len(tokens)] == tokens, PROMPTS[r]
        for (k, v), (their_k, their_v) in zip(our_parts[r], their_parts[r], strict=True):
            held = k.shape[2]
            assert held >= len(rows[r]) + len(tokens) - 1  # all but the last token was fed
            assert torch.allclose(k, their_k[:, :, :held], atol=1e-4)
            assert torch.allclose(v, their_v[:, :, :held], atol=1e-4)


def test_rows_prefilled_in_chunks_reply_keep_and_score_as_one_pass(smollm2_adapter, monkeypatch):
    """Rows prefilled in chunks (here every length its own chunk) and stitched into one
    batch cache: the greedy replies and each row's kept part equal those of one forward
    over the whole padded batch, and option scores equal an unpadded forward."""
    import torch

    from evalkit.providers import prefill_chunks

    adapter = smollm2_adapter
    passes: list[int] = []
    conversation = adapter._conversation

    def counted(prompts, **kwargs):
        passes.append(len(prompts))
        return conversation(prompts, **kwargs)

    monkeypatch.setattr(adapter, "_conversation", counted)
    rows = [prompt_ids(adapter, user(p)) for p in PROMPTS]
    fresh = [None] * len(rows)
    with torch.inference_mode():
        monkeypatch.setattr(prefill_chunks, "FORWARD_COST_TOKENS", 10**6)
        whole, whole_parts, _ = adapter._decode_greedily(rows, fresh, [], GREEDY.max_new_tokens)
        assert passes == [len(rows)]
        monkeypatch.setattr(prefill_chunks, "FORWARD_COST_TOKENS", 0)
        chunked, chunked_parts, _ = adapter._decode_greedily(rows, fresh, [], GREEDY.max_new_tokens)
    assert len(passes) - 1 == len({len(row) for row in rows}) > 2
    assert chunked == whole
    for r, (ours, one_pass) in enumerate(zip(chunked_parts, whole_parts, strict=True)):
        for (k, v), (whole_k, whole_v) in zip(ours, one_pass, strict=True):
            assert k.shape == whole_k.shape, PROMPTS[r]
            assert torch.allclose(k, whole_k, atol=1e-4) and torch.allclose(v, whole_v, atol=1e-4)
    passes.clear()

    async def scored():
        return await asyncio.gather(*(adapter.score_options(m, o) for m, o in SCORING))

    for (messages, options), scores in zip(SCORING, asyncio.run(scored()), strict=True):
        for option, logprob in zip(options, scores.logprobs, strict=True):
            expected, _ = naive_logprob(adapter, messages, option)
            assert logprob == pytest.approx(expected, abs=1e-3), option
    assert passes == [1, 1]


def test_the_shared_system_block_is_encoded_once_for_every_batch(smollm2_adapter):
    """Every batch starts with the chat template's system block: its keys and values are
    computed by the first batch and copied by the next (the replies stay plain
    transformers')."""
    adapter = smollm2_adapter
    adapter.forget()
    params = GenerationParams(max_new_tokens=4, temperature=0)
    batches = [[PROMPTS[1], PROMPTS[4]], [PROMPTS[5], PROMPTS[1] + " Hello?"]]
    widths: list[tuple[int, int]] = []
    hook = adapter.model.register_forward_pre_hook(
        lambda _, args, kwargs: widths.append(tuple(kwargs["input_ids"].shape)), with_kwargs=True
    )

    async def ask(prompts: list[str]) -> list:
        return await asyncio.gather(*(adapter.generate(user(p), params) for p in prompts))

    try:
        replies = [asyncio.run(ask(prompts)) for prompts in batches]
    finally:
        hook.remove()
    from evalkit.providers.prefill_chunks import shared_prefix

    shared = {shared_prefix([prompt_ids(adapter, user(p)) for p in b]) for b in batches}
    assert len(shared) == 1 and shared.pop() > 10
    assert sum(width[0] == 1 and width[1] > 1 for width in widths) == 1  # the block, once
    for prompts, answers in zip(batches, replies, strict=True):
        for prompt, reply in zip(prompts, answers, strict=True):
            assert (reply.text, reply.usage.completion_tokens) == plain_greedy(
                adapter, user(prompt), params.max_new_tokens
            ), prompt


def test_conditions_of_one_item_encode_their_question_once(smollm2_adapter, monkeypatch):
    """The first turns of one item's conditions open with the same question: in one batch
    it is encoded once and each row encodes only its own rest. The replies, each row's kept
    part and the option scores equal those of the batch encoded row by row."""
    import torch

    from evalkit.providers import prefill_chunks

    adapter = smollm2_adapter
    questions = [
        "Which planet in our solar system is known as the Red Planet?",
        "Who wrote the play Romeo and Juliet, first performed in the 1590s?",
    ]
    tails = [
        " Answer in one short sentence.",
        " I think the answer is Jupiter, but I'm really not sure. Answer in one short sentence.",
        " I'm checking my notes. Answer in one short sentence.",
    ]
    conversations = [user(q + t) for q in questions for t in tails]
    rows = [prompt_ids(adapter, c) for c in conversations]
    reading = [(c, ["Mars", "Jupiter", "William Shakespeare"]) for c in conversations]
    fresh = [None] * len(rows)

    def run() -> tuple:
        adapter.opening_tokens_saved = 0
        reused = adapter.turns.reused_tokens
        with torch.inference_mode():
            tokens, parts, _ = adapter._decode_greedily(rows, fresh, [], GREEDY.max_new_tokens)
            scores = adapter._read_batch(reading, scores=True, states=False)
        assert adapter.turns.reused_tokens == reused  # an opening is no earlier turn reused
        return tokens, parts, scores, adapter.opening_tokens_saved

    monkeypatch.setattr(prefill_chunks, "FORWARD_COST_TOKENS", 0)  # a batch this small
    grouped, grouped_parts, grouped_scores, saved = run()
    assert saved >= 2 * (2 * 10)  # per scoring and generation: two more rows per question
    monkeypatch.setattr(prefill_chunks, "MIN_OPENING_TOKENS", 10**6)
    alone, alone_parts, alone_scores, saved = run()
    assert saved == 0
    assert grouped == alone
    for ours, theirs in zip(grouped_parts, alone_parts, strict=True):
        for (k, v), (their_k, their_v) in zip(ours, theirs, strict=True):
            assert k.shape == their_k.shape
            assert torch.allclose(k, their_k, atol=1e-4) and torch.allclose(v, their_v, atol=1e-4)
    for ours, theirs in zip(grouped_scores, alone_scores, strict=True):
        assert ours.scores.logprobs == pytest.approx(theirs.scores.logprobs, abs=1e-4)
