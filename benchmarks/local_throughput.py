"""Throughput of the transformers provider on the embedded SmolLM2: batched vs one at a time.

    python benchmarks/local_throughput.py [--n 32] [--batch-size 32] [--max-new-tokens 32]

Prints samples/s for greedy generation one prompt at a time and in batches
(left padding), whether both produced the same tokens, and samples/s for
option log-likelihood scoring. Prompts are facts-mcq questions rendered with
the built-in answer/neutral template. A benchmark, not a test: figures
depend on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time

from evalkit.conditions import ConditionTemplate, builtin_templates
from evalkit.dataset import load_dataset
from evalkit.messages import Message
from evalkit.providers.base import GenerationParams
from evalkit.providers.transformers_local import TransformersAdapter, TransformersModelConfig
from evalkit.resources import datasets_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=32, help="prompts")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--max-new-tokens", type=int, default=32)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    args = parser.parse_args()

    items = load_dataset("facts-mcq", datasets_dir()).items[: args.n]
    template = ConditionTemplate("answer/neutral", builtin_templates()["answer/neutral"])
    conversations = [
        [Message(role="user", content=template.render(1, item, []).user)] for item in items
    ]
    params = GenerationParams(max_new_tokens=args.max_new_tokens)

    started = time.perf_counter()
    adapter = TransformersAdapter(
        TransformersModelConfig(
            model="smollm2-135m-instruct", batch_size=args.batch_size, threads=args.threads
        )
    )
    load_s = time.perf_counter() - started
    adapter._generate_batch([(conversations[0], params)])  # warm-up

    started = time.perf_counter()
    single = [adapter._generate_batch([(c, params)])[0] for c in conversations]
    single_s = time.perf_counter() - started

    async def batched_generate():
        return await asyncio.gather(*(adapter.generate(c, params) for c in conversations))

    started = time.perf_counter()
    batched = asyncio.run(batched_generate())
    batched_s = time.perf_counter() - started

    async def batched_scores():
        return await asyncio.gather(
            *(
                adapter.score_options(c, list(i.choices or []))
                for c, i in zip(conversations, items, strict=True)
            )
        )

    started = time.perf_counter()
    asyncio.run(batched_scores())
    loglik_s = time.perf_counter() - started

    identical = sum(a.text == b.text for a, b in zip(single, batched, strict=True))
    n = len(conversations)
    print(
        f"model: smollm2-135m-instruct ({adapter.describe()['dtype']}, "
        f"{adapter.describe()['threads']} threads, device {adapter.device}); load {load_s:.1f} s"
    )
    print(f"prompts: {n} facts-mcq questions, greedy, max_new_tokens={args.max_new_tokens}")
    print(f"{'mode':<34}{'wall s':>8}{'samples/s':>11}")
    print(f"{'generate, one at a time':<34}{single_s:>8.1f}{n / single_s:>11.2f}")
    print(f"{f'generate, batch {args.batch_size}':<34}{batched_s:>8.1f}{n / batched_s:>11.2f}")
    print(
        f"{f'option log-likelihood, batch {args.batch_size}':<34}{loglik_s:>8.1f}"
        f"{n / loglik_s:>11.2f}"
    )
    print(
        f"speed-up batched/single: {single_s / batched_s:.1f}x; identical replies: {identical}/{n}"
    )


if __name__ == "__main__":
    main()
