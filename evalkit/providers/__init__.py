"""Model providers, chosen in YAML by ``provider:``.

Each provider contributes a config class (its YAML keys) and an adapter class
(the loaded model). Adapters are imported only when a model is loaded, so a
provider's heavy dependencies are needed only by runs that use it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from evalkit.providers.base import ModelAdapter
from evalkit.providers.model_config import ModelConfig
from evalkit.providers.transformers_local import TransformersModelConfig


@dataclass(frozen=True)
class Provider:
    name: str
    config_class: type[ModelConfig]
    adapter_path: str  # "module:Class", imported on load
    description: str


PROVIDERS: dict[str, Provider] = {
    p.name: p
    for p in [
        Provider(
            "transformers",
            TransformersModelConfig,
            "evalkit.providers.transformers_local:TransformersAdapter",
            "local Hugging Face model (id, folder or GGUF); alias smollm2-135m-instruct",
        ),
    ]
}


def load_adapter(config: ModelConfig) -> ModelAdapter:
    """Load the model described by ``config`` (may take a while: weights are read)."""
    module_name, class_name = PROVIDERS[config.provider].adapter_path.split(":")
    adapter_class = getattr(importlib.import_module(module_name), class_name)
    return adapter_class(config)
