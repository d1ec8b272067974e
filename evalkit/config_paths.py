"""Where a path written in a config may point.

A config from someone else names its datasets, templates, gate baselines and
cache folder. Without a rule, ``dataset: ~/.aws/credentials`` (read as CSV)
would put the user's secrets into prompts sent to the endpoint and into the
results they may share back, and a project's ``.env`` beside the config the
same. So such a path is refused if it is, or lies in, a hidden file or folder
beyond where the config itself or evalkit's own data lie.
"""

from __future__ import annotations

from pathlib import Path

from evalkit.errors import EvalkitError
from evalkit.resources import datasets_dir, prompts_dir


def config_input(reference: str, base_dir: Path, field: str | None) -> Path:
    """Where a path written in a config points, resolved (``~`` expanded, relative to
    ``base_dir``, the config's folder), refused if hidden.

    Only the part of the resolved path below the config's folder (or below evalkit's
    own data) counts: a checkout in a hidden folder is the user's choice, a file or
    folder whose name starts with ``.`` below it or anywhere else is not the
    config's to read. Links are followed first, so a link beside the config to
    ``~/.ssh/id_rsa`` is refused too. Whether the path exists is the caller's check.
    """
    path = written_path(reference, base_dir).resolve()
    hidden = min(
        (_hidden_parts(path, root.resolve()) for root in _own_roots(base_dir)),
        key=len,
    )
    if hidden:
        where = "is hidden" if hidden[-1] == path.name else "is in a hidden folder"
        raise EvalkitError(
            f"{reference!r} {where} ({hidden[0]})",
            field=field,
            expected="a path with no hidden file or folder in it: a config may not reach "
            "dotfiles (copy the data beside the config)",
        )
    return path


def written_path(reference: str, base_dir: Path) -> Path:
    """The path as written: ``~`` expanded, relative to ``base_dir``; not resolved or checked."""
    candidate = Path(reference).expanduser()
    return candidate if candidate.is_absolute() else base_dir / candidate


def _own_roots(base_dir: Path) -> list[Path]:
    return [base_dir, datasets_dir(), prompts_dir()]


def _hidden_parts(path: Path, root: Path) -> list[str]:
    """The hidden names in ``path`` below ``root`` (every part, if not below it)."""
    parts = path.relative_to(root).parts if path.is_relative_to(root) else path.parts
    return [part for part in parts if part.startswith(".") and part not in (".", "..")]
