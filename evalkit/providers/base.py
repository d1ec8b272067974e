"""The one interface every model provider implements.

The runner only ever sees :class:`ModelAdapter`: messages and generation
parameters in, a :class:`ModelResponse` out, asynchronously. Local providers
batch concurrent calls behind this interface; hosted providers keep requests
in flight. Scoring options by log-likelihood is optional
(``supports_option_scores``), and so are internal readouts (``readouts``).
"""

from __future__ import annotations

import asyncio
import re
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from evalkit.messages import Message

if TYPE_CHECKING:
    import numpy as np

    from evalkit.usage import ModelUsage

    Array = np.ndarray
else:
    Array = Any  # numpy is needed only by adapters that read states out

FinishReason = Literal["stop", "length", "content_filter", "other"]

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def well_formed(text: str) -> str:
    """``text`` with lone surrogates as U+FFFD.

    A server may send them as JSON escapes (``"\\udcff"``: valid JSON, not Unicode);
    results are written as UTF-8, which cannot hold them, so one such reply would
    stop the run.
    """
    return _LONE_SURROGATE.sub("\ufffd", text)


#: Text a provider hands back: always encodable as UTF-8.
ReplyText = Annotated[str, AfterValidator(well_formed)]


class GenerationParams(BaseModel):
    """How to sample a reply. ``temperature: 0`` means greedy decoding."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_new_tokens: int = Field(default=64, ge=1, le=32768)
    temperature: float = Field(default=0.0, ge=0.0, le=5.0)
    top_p: float = Field(default=1.0, gt=0.0, le=1.0)
    seed: int | None = None
    stop: list[str] = Field(default_factory=list)

    @property
    def greedy(self) -> bool:
        return self.temperature == 0.0


class Usage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    prompt_tokens: int = 0
    completion_tokens: int = 0


class TopLogprob(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: ReplyText
    logprob: float


class TokenLogprob(BaseModel):
    """One generated token with its log-probability and the provider's alternatives."""

    model_config = ConfigDict(extra="forbid")

    token: ReplyText
    logprob: float
    top: list[TopLogprob] = Field(default_factory=list)


class ModelResponse(BaseModel):
    """One reply, with what it cost and why it stopped.

    ``cached`` marks a reply served from the response cache or shared with an
    identical request of the same run: it cost nothing this time.
    """

    model_config = ConfigDict(extra="forbid")

    text: ReplyText
    finish_reason: FinishReason
    usage: Usage = Field(default_factory=Usage)
    latency_s: float = 0.0
    model: ReplyText = ""
    logprobs: list[TokenLogprob] | None = None
    cached: bool = False


class OptionScores(BaseModel):
    """log P(option text | conversation) for each option, as the assistant's reply.

    ``num_tokens`` is kept so a scorer can length-normalise without the model.
    """

    model_config = ConfigDict(extra="forbid")

    options: list[str]
    logprobs: list[float]
    num_tokens: list[int]

    @property
    def best_index(self) -> int:
        return max(range(len(self.logprobs)), key=self.logprobs.__getitem__)


class TurnReadout(BaseModel):
    """What a model's internals say about one answered turn with options.

    ``states`` holds, for each option, the hidden states at the adapter's
    ``probe_layers`` at the last token of the conversation continued with the
    assistant saying the option (:data:`evalkit.readouts.STATEMENT`): float16,
    shape ``(n_options, n_layers, hidden)``.
    """

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    scores: OptionScores | None = None
    states: Array | None = None


class ModelAdapter(ABC):
    """A loaded model. Create through :func:`evalkit.providers.load_adapter`."""

    #: True when :meth:`score_options` is implemented.
    supports_option_scores: bool = False
    #: True when a final assistant message is continued (a prefill) rather than answered;
    #: the runner sends a condition's prefill only then.
    supports_prefill: bool = False
    #: How many samples the runner should keep in flight for this model.
    max_concurrency: int = 1
    #: Internal readouts :meth:`read_out` gives ("option_loglik", "probe"); none for hosted models.
    readouts: tuple[str, ...] = ()
    #: Hidden-state indices stored for the probe (0: embeddings, as in HF ``hidden_states``).
    probe_layers: list[int] = []  # set per instance, never mutated

    @property
    def usage(self) -> ModelUsage:
        """Requests, cache hits and tokens of this model in this process."""
        if "_usage" not in self.__dict__:
            from evalkit.usage import ModelUsage

            self.__dict__["_usage"] = ModelUsage()
        return self.__dict__["_usage"]

    @abstractmethod
    async def generate(self, messages: list[Message], params: GenerationParams) -> ModelResponse:
        """Reply to ``messages``: the last one is the user's, or with ``supports_prefill`` an
        assistant prefix that the returned text continues."""

    async def score_options(self, messages: list[Message], options: list[str]) -> OptionScores:
        """Score each option as the assistant's next reply."""
        raise NotImplementedError(f"{type(self).__name__} cannot score options by log-likelihood")

    async def read_out(self, messages: list[Message], options: list[str]) -> TurnReadout:
        """The :attr:`readouts` of the answer to ``messages`` with these ``options``."""
        raise NotImplementedError(f"{type(self).__name__} has no internal readouts")

    async def generate_and_read_out(
        self, messages: list[Message], params: GenerationParams, options: list[str]
    ) -> tuple[ModelResponse, TurnReadout]:
        """The reply to ``messages`` and the readouts of that answer; an adapter that can share
        the work between the two does."""
        response, readout = await asyncio.gather(
            self.generate(messages, params), self.read_out(messages, options)
        )
        return response, readout

    @abstractmethod
    def describe(self) -> dict[str, Any]:
        """Provider, model identity and library versions, for the run manifest."""

    async def aclose(self) -> None:  # noqa: B027 - optional hook
        """Release resources (threads, HTTP clients)."""
