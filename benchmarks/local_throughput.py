"""The transformers provider on the embedded SmolLM2 against a plain transformers loop.

    python benchmarks/local_throughput.py [--n 64] [--batch-size 32] [--max-new-tokens 32]

Prints, side by side and measured in this one run (so a busy machine slows both
alike): greedy generation samples/s and option log-likelihood samples/s of
evalkit and of a plain transformers batch-``--batch-size`` loop over the same
facts-mcq prompts (answer/neutral template), their ratio, whether both gave the
same replies and scores; then the time until the model is ready, in a fresh
process, with an empty weights cache (GGUF conversion) and with it filled, beside a
bare ``AutoModelForCausalLM.from_pretrained`` of the same converted folder (the floor:
what any transformers user pays, most of it transformers importing its modeling code).

The third row asks the same items by letter (``are_you_sure/multiple_choice``: the
question with its lettered options), so every option is one token: the case lm-eval
scores with one forward per prompt, which is what its plain loop does (prompts sorted
longest first, each option read at the prompt's last position).

A last line gives the ceiling for that row: the model's forward alone over each
prompt's own tokens (the opening every prompt shares left out, as if encoded once), with
no tokenizing, masks or scoring. Whatever a loop does, it cannot encode those tokens
faster in float32 on this machine.

The plain loops are what one writes without evalkit: ``model.generate`` over
left-padded batches in item order; for options, one forward over every
prompt + option sequence (right padded), summing the option tokens' log-probs
(the usual lm-eval-style loop). Each timing is the best of ``--repeat``,
evalkit and plain alternating; samples per CPU second of this process are printed
beside samples per wall second, as on a shared machine the wall clock mostly
measures the neighbours. A benchmark, not a test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

from evalkit.conditions import ConditionTemplate, builtin_templates
from evalkit.dataset import load_dataset
from evalkit.messages import Message
from evalkit.providers.base import GenerationParams
from evalkit.providers.transformers_local import TransformersAdapter, TransformersModelConfig
from evalkit.resources import datasets_dir

MODEL = "smollm2-135m-instruct"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=64, help="prompts")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--max-new-tokens", type=int, default=32)
    parser.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--repeat", type=int, default=2, help="best of this many runs")
    parser.add_argument("--skip-load", action="store_true", help="do not time model loading")
    parser.add_argument("--only-load", action="store_true", help="time model loading only")
    parser.add_argument("--measure-load", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--plain-folder", help=argparse.SUPPRESS)
    parser.add_argument("--measure-scipy", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_scipy:
        return measure_scipy_import()
    if args.measure_load:
        return measure_load(args.threads, args.plain_folder)
    if args.only_load:
        return print_load_times(args.threads)

    items = load_dataset("facts-mcq", datasets_dir()).items[: args.n]
    template = ConditionTemplate("answer/neutral", builtin_templates()["answer/neutral"])
    conversations = [
        [Message(role="user", content=template.render(1, item, []).user)] for item in items
    ]
    choices = [list(item.choices or []) for item in items]
    # the same items asked by letter: every option one token (lm-eval's one-forward case)
    lettered = ConditionTemplate(
        "are_you_sure/multiple_choice", builtin_templates()["are_you_sure/multiple_choice"]
    )
    letter_conversations = [
        [Message(role="user", content=lettered.render(1, item, []).user)] for item in items
    ]
    letters = [[choice.letter for choice in item.lettered_choices] for item in items]
    params = GenerationParams(max_new_tokens=args.max_new_tokens)
    adapter = TransformersAdapter(
        TransformersModelConfig(model=MODEL, batch_size=args.batch_size, threads=args.threads)
    )
    plain = PlainLoop(adapter, args.batch_size, args.threads)
    adapter._executor.submit(adapter._generate_batch, [(conversations[0], params, None)]).result()
    plain.generate(conversations[:1], args.max_new_tokens)  # warm-up, both threads

    def evalkit_generate() -> list[str]:
        adapter.forget()  # each repeat generates: no answer remembered from the last one

        async def run() -> list[Any]:
            return await asyncio.gather(*(adapter.generate(c, params) for c in conversations))

        return [r.text for r in asyncio.run(run())]

    def evalkit_scores() -> list[list[float]]:
        async def run() -> list[Any]:
            pairs = zip(conversations, choices, strict=True)
            return await asyncio.gather(*(adapter.score_options(c, o) for c, o in pairs))

        return [s.logprobs for s in asyncio.run(run())]

    def evalkit_letter_scores() -> list[list[float]]:
        async def run() -> list[Any]:
            pairs = zip(letter_conversations, letters, strict=True)
            return await asyncio.gather(*(adapter.score_options(c, o) for c, o in pairs))

        return [s.logprobs for s in asyncio.run(run())]

    gen = best_of(
        args.repeat,
        evalkit_generate,
        lambda: plain.generate(conversations, args.max_new_tokens),
    )
    scores = best_of(args.repeat, evalkit_scores, lambda: plain.score(conversations, choices))
    letter_scores = best_of(
        args.repeat,
        evalkit_letter_scores,
        lambda: plain.score_one_token(letter_conversations, letters),
    )

    n = len(conversations)
    same_text = sum(a == b for a, b in zip(gen.ours, gen.theirs, strict=True))
    score_gap = max(
        abs(a - b)
        for timed in (scores, letter_scores)
        for ours, theirs in zip(timed.ours, timed.theirs, strict=True)
        for a, b in zip(ours, theirs, strict=True)
    )
    print(
        f"model: {MODEL} (float32, {args.threads} threads, {adapter.device}); {n} facts-mcq "
        f"prompts, batch {args.batch_size}, greedy max_new_tokens={args.max_new_tokens}, "
        f"best of {args.repeat}"
    )
    print(
        f"{'samples per':<24}{'wall s: evalkit':>16}{'plain':>8}{'ratio':>8}"
        f"{'CPU s: evalkit':>17}{'plain':>8}{'ratio':>8}"
    )
    rows = (
        ("generation", gen),
        ("option log-likelihood", scores),
        ("MC by letter (1 token)", letter_scores),
    )
    for label, r in rows:
        wall, theirs_wall = n / r.ours_s, n / r.theirs_s
        cpu, theirs_cpu = n / r.ours_cpu, n / r.theirs_cpu
        print(
            f"{label:<24}{wall:>16.2f}{theirs_wall:>8.2f}{wall / theirs_wall:>7.2f}x"
            f"{cpu:>17.2f}{theirs_cpu:>8.2f}{cpu / theirs_cpu:>7.2f}x"
        )
    print(f"identical replies: {same_text}/{n}; largest option log-prob gap: {score_gap:.1e}")
    ceiling, own, shared = max(
        (plain.forward_ceiling(letter_conversations) for _ in range(args.repeat)),
        key=lambda r: r[0],
    )
    print(
        f"MC by letter, the model's forward alone ({own} own tokens a prompt, the {shared} "
        f"every prompt opens with left out): {ceiling:.2f} samples/s, the ceiling of any loop "
        "here in float32"
    )
    if not args.skip_load:
        print_load_times(args.threads)


class Timed:
    """Best wall and CPU seconds (this process, all threads) of both sides, and their output."""

    def __init__(self) -> None:
        self.ours_s = self.theirs_s = self.ours_cpu = self.theirs_cpu = float("inf")
        self.ours: Any = None
        self.theirs: Any = None


def best_of(repeat: int, ours: Callable[[], Any], theirs: Callable[[], Any]) -> Timed:
    timed = Timed()
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        timed.ours = ours()
        timed.ours_s = min(timed.ours_s, time.perf_counter() - wall)
        timed.ours_cpu = min(timed.ours_cpu, time.process_time() - cpu)
        wall, cpu = time.perf_counter(), time.process_time()
        timed.theirs = theirs()
        timed.theirs_s = min(timed.theirs_s, time.perf_counter() - wall)
        timed.theirs_cpu = min(timed.theirs_cpu, time.process_time() - cpu)
    return timed


class PlainLoop:
    """The same model and tokenizer driven by hand, on the calling thread."""

    def __init__(self, adapter: TransformersAdapter, batch_size: int, threads: int) -> None:
        import torch

        torch.set_num_threads(threads)
        self.torch, self.batch_size = torch, batch_size
        self.model, self.tokenizer = adapter.model, adapter.tokenizer

    def _prompts(self, conversations: list[list[Message]]) -> list[list[int]]:
        return [
            list(
                self.tokenizer.apply_chat_template(
                    [m.model_dump() for m in c], add_generation_prompt=True, tokenize=True
                )["input_ids"]
            )
            for c in conversations
        ]

    def generate(self, conversations: list[list[Message]], max_new_tokens: int) -> list[str]:
        texts = []
        for start in range(0, len(conversations), self.batch_size):
            batch = self._prompts(conversations[start : start + self.batch_size])
            padded = self.tokenizer.pad({"input_ids": batch}, return_tensors="pt")
            with self.torch.inference_mode():
                out = self.model.generate(
                    **padded,
                    max_new_tokens=max_new_tokens,
                    do_sample=False,
                    temperature=None,
                    top_p=None,
                    top_k=None,
                    pad_token_id=self.tokenizer.pad_token_id,
                )
            for row in out[:, padded["input_ids"].shape[1] :].tolist():
                eos = self.tokenizer.eos_token_id
                row = row[: row.index(eos) + 1] if eos in row else row
                texts.append(self.tokenizer.decode(row, skip_special_tokens=True).strip())
        return texts

    def score_one_token(
        self, conversations: list[list[Message]], choices: list[list[str]]
    ) -> list[list[float]]:
        """lm-eval's loop when every option is one token: one forward per prompt (sorted by
        length, longest first, right padded), each option read at the prompt's last position."""
        torch = self.torch
        prompts = self._prompts(conversations)
        order = sorted(range(len(prompts)), key=lambda i: -len(prompts[i]))
        out: list[list[float]] = [[] for _ in prompts]
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            width = len(prompts[batch[0]])
            ids = torch.full((len(batch), width), self.tokenizer.pad_token_id)
            mask = torch.zeros((len(batch), width), dtype=torch.long)
            for row, i in enumerate(batch):
                ids[row, : len(prompts[i])], mask[row, : len(prompts[i])] = (
                    torch.tensor(prompts[i]),
                    1,
                )
            with torch.inference_mode():
                logits = self.model(input_ids=ids, attention_mask=mask).logits
            for row, i in enumerate(batch):
                logprobs = torch.log_softmax(logits[row, len(prompts[i]) - 1].float(), dim=-1)
                tokens = [
                    self.tokenizer(o, add_special_tokens=False)["input_ids"][0] for o in choices[i]
                ]
                out[i] = [float(logprobs[token]) for token in tokens]
        return out

    def forward_ceiling(self, conversations: list[list[Message]]) -> tuple[float, int, int]:
        """Samples per second of the model's forward alone over each prompt's own tokens:
        the opening every prompt shares is left out (as if encoded once), rows sorted by
        length and batched without masks, only the last position's logits. No loop that
        must encode those tokens can beat it. Returns (samples/s, own tokens, shared)."""
        torch = self.torch
        prompts = self._prompts(conversations)
        shared = 0
        while all(len(p) > shared + 1 and p[shared] == prompts[0][shared] for p in prompts):
            shared += 1
        rows = sorted((p[shared:] for p in prompts), key=len, reverse=True)
        started = time.perf_counter()
        with torch.inference_mode():
            for start in range(0, len(rows), self.batch_size):
                batch = rows[start : start + self.batch_size]
                width = len(batch[0])
                ids = torch.tensor([r + [r[-1]] * (width - len(r)) for r in batch])
                self.model(input_ids=ids, logits_to_keep=1)
        own = sum(len(r) for r in rows)
        return len(rows) / (time.perf_counter() - started), own // len(rows), shared

    def score(self, conversations: list[list[Message]], choices: list[list[str]]) -> list[Any]:
        torch = self.torch
        pairs = [
            (prompt, self.tokenizer(option, add_special_tokens=False)["input_ids"])
            for prompt, options in zip(self._prompts(conversations), choices, strict=True)
            for option in options
        ]
        flat: list[float] = []
        for start in range(0, len(pairs), self.batch_size):
            batch = pairs[start : start + self.batch_size]
            rows = [p + o for p, o in batch]
            width = max(len(r) for r in rows)
            ids = torch.full((len(rows), width), self.tokenizer.pad_token_id)
            mask = torch.zeros((len(rows), width), dtype=torch.long)
            for i, row in enumerate(rows):
                ids[i, : len(row)], mask[i, : len(row)] = torch.tensor(row), 1
            with torch.inference_mode():
                logprobs = torch.log_softmax(
                    self.model(input_ids=ids, attention_mask=mask).logits.float(), dim=-1
                )
            for i, (prompt, option) in enumerate(batch):
                flat.append(
                    sum(
                        float(logprobs[i, len(prompt) - 1 + k, token])
                        for k, token in enumerate(option)
                    )
                )
        out, cursor = [], 0
        for options in choices:
            out.append(flat[cursor : cursor + len(options)])
            cursor += len(options)
        return out


def measure_load(threads: int, plain_folder: str | None = None) -> None:
    """In a fresh process: seconds to import torch + transformers, then to load the model:
    evalkit's adapter, or (``plain_folder``) a bare ``from_pretrained`` of the same folder."""
    started = time.perf_counter()
    import torch
    import transformers

    imported = time.perf_counter()
    if plain_folder is not None:
        torch.set_num_threads(threads)
        transformers.AutoTokenizer.from_pretrained(plain_folder)
        transformers.AutoModelForCausalLM.from_pretrained(plain_folder, dtype=torch.float32)
        folder = plain_folder
    else:
        adapter = TransformersAdapter(TransformersModelConfig(model=MODEL, threads=threads))
        folder = adapter.loaded_from
    ready = time.perf_counter()
    print(
        json.dumps(
            {
                "import_s": imported - started,
                "ready_s": ready - imported,
                "from_cache": plain_folder is not None or adapter.loaded_from != adapter.source,
                "folder": folder,
            }
        )
    )


def measure_scipy_import() -> None:
    """In a fresh process, after torch + transformers: seconds to import scipy.optimize,
    which transformers' loss registry imports while loading any model when scipy is
    installed (the test extra's scikit-learn brings it; ``evalkit[local]`` does not)."""
    import torch  # noqa: F401
    import transformers  # noqa: F401

    started = time.perf_counter()
    import scipy.optimize  # noqa: F401

    print(json.dumps({"scipy_optimize_s": time.perf_counter() - started}))


def print_load_times(threads: int) -> None:
    with tempfile.TemporaryDirectory(prefix="evalkit-bench-cache-") as cache:
        env = {**os.environ, "EVALKIT_CACHE_DIR": cache}
        command = [sys.executable, __file__, "--measure-load", "--threads", str(threads)]

        def child(*extra: str) -> dict[str, Any]:
            done = subprocess.run([*command, *extra], env=env, capture_output=True, check=True)
            return json.loads(done.stdout)

        first = child()
        # the cached load, alternated with a bare from_pretrained of the same converted folder
        later, plain = [], []
        for _ in range(2):
            later.append(child())
            plain.append(child("--plain-folder", later[-1]["folder"]))
    print("model ready in a fresh process (after importing torch + transformers):")
    rows = [
        ("first run (GGUF conversion)", first, "from the GGUF"),
        ("later runs (cached)", min(later, key=lambda r: r["ready_s"]), "from the converted cache"),
        ("plain from_pretrained", min(plain, key=lambda r: r["ready_s"]), "of the same folder"),
    ]
    for label, run, where in rows:
        print(f"  {label:<28}{run['ready_s']:>6.1f} s {where}")
        print(f"  {'':<28}(imports before that: {run['import_s']:.1f} s)")
    if importlib.util.find_spec("scipy") is not None:
        scipy_s = min(child("--measure-scipy")["scipy_optimize_s"] for _ in range(2))
        print(
            f"  scipy is installed here: {scipy_s:.1f} s of each figure above is transformers"
            " importing scipy.optimize; an `evalkit[local]` install has no scipy"
        )


if __name__ == "__main__":
    main()
