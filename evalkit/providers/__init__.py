"""Model providers, chosen in YAML by ``provider:``.

Each provider contributes a config class (its YAML keys) and an adapter class
(the loaded model). Adapters are imported only when a model is loaded, so a
provider's heavy dependencies are needed only by runs that use it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from evalkit.providers.anthropic_api import AnthropicModelConfig
from evalkit.providers.base import ModelAdapter
from evalkit.providers.model_config import ModelConfig
from evalkit.providers.openai_api import OpenAIModelConfig
from evalkit.providers.transformers_local import TransformersModelConfig

if TYPE_CHECKING:
    from evalkit.providers.hosted import HostedAdapter
    from evalkit.providers.response_cache import ResponseCache


@dataclass(frozen=True)
class Provider:
    name: str
    config_class: type[ModelConfig]
    adapter_path: str  # "module:Class", imported on load
    description: str
    supports_option_scores: bool = False
    uses_response_cache: bool = False


PROVIDERS: dict[str, Provider] = {
    p.name: p
    for p in [
        Provider(
            "transformers",
            TransformersModelConfig,
            "evalkit.providers.transformers_local:TransformersAdapter",
            "local Hugging Face model (id, folder or GGUF); alias smollm2-135m-instruct",
            supports_option_scores=True,
        ),
        Provider(
            "openai",
            OpenAIModelConfig,
            "evalkit.providers.openai_api:OpenAIAdapter",
            "OpenAI chat completions, or any compatible server (vLLM, Ollama, llama.cpp, TGI)",
            uses_response_cache=True,
        ),
        Provider(
            "anthropic",
            AnthropicModelConfig,
            "evalkit.providers.anthropic_api:AnthropicAdapter",
            "Anthropic messages API",
            uses_response_cache=True,
        ),
    ]
}


def load_adapter(config: ModelConfig, cache: ResponseCache | None = None) -> ModelAdapter:
    """Load the model described by ``config`` (may take a while: weights are read).

    ``cache`` is handed to providers that use the response cache (the HTTP ones).
    """
    loaded = adapter_class(config.provider)
    if PROVIDERS[config.provider].uses_response_cache:
        return loaded(config, cache)
    return loaded(config)


def check_credentials(config: ModelConfig) -> None:
    """Refuse an HTTP model whose key is not in the environment, without loading it: a
    run checks its judges' keys before its models run, not after them."""
    if (adapter := _hosted_adapter(config)) is not None:
        from evalkit.providers.hosted import api_key_for

        api_key_for(config, adapter)  # type: ignore[arg-type]


def check_destination(config: ModelConfig) -> None:
    """Refuse an HTTP model whose config sends its key where the user has not allowed, without
    a key, a connection or loading it (``evalkit validate``, and a run's judges before its
    models run)."""
    if (adapter := _hosted_adapter(config)) is not None:
        from evalkit.providers.hosted import checked_endpoint

        checked_endpoint(adapter, config)  # type: ignore[arg-type]


def _hosted_adapter(config: ModelConfig) -> type[HostedAdapter] | None:
    """The adapter class of an HTTP model (one that holds a key), else None."""
    if not PROVIDERS[config.provider].uses_response_cache:
        return None
    from evalkit.providers.hosted import HostedAdapter

    adapter = adapter_class(config.provider)
    return adapter if issubclass(adapter, HostedAdapter) else None


def adapter_class(provider: str) -> type[ModelAdapter]:
    module_name, class_name = PROVIDERS[provider].adapter_path.split(":")
    return getattr(importlib.import_module(module_name), class_name)
