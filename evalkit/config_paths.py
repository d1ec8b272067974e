"""Where a path written in a config may point.

A config from someone else names its datasets, templates, gate baselines and
cache folder. Without a rule, ``dataset: ~/.aws/credentials`` (read as CSV)
would put the user's secrets into prompts sent to the endpoint and into the
results they may share back, and a project's ``.env`` beside the config the
same. So such a path is refused if it is, or lies in, a hidden file or folder
beyond where the config itself or evalkit's own data lie.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from evalkit.errors import EvalkitError
from evalkit.resources import datasets_dir, prompts_dir
from evalkit.system_files import is_system_file


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
    if is_system_file(path):
        raise EvalkitError(
            f"{reference!r} is a file of the running system ({path.parts[1]})",
            field=field,
            expected="a data file or folder: a config may not read the system's own files",
        )
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


def check_folder_links(folder: Path, *, recursive: bool = True) -> None:
    """Refuse a dataset folder holding a link that leads out of it or to a hidden file.

    A folder's files are read by name (``questions.txt``, every ``*.jsonl``), not
    written in the config, so :func:`config_input` never sees them: a shared folder
    whose ``questions.txt`` links to ``../.env`` or ``/proc/self/environ`` would put
    that file into prompts and results. Hidden files in it are not read at all.
    """
    root = folder.resolve()
    for entry in _visible_entries(root, recursive):
        if not entry.is_symlink():
            continue
        target = entry.resolve()
        if not target.is_relative_to(root) or is_system_file(target):
            problem = "links outside its dataset folder"
        elif _hidden_parts(target, root):
            problem = "links to a hidden file or folder"
        else:
            continue
        raise EvalkitError(
            f"{entry.relative_to(root)} {problem}",
            file=folder,
            expected="a dataset folder whose links stay inside it, to files that are not "
            "hidden (copy the data into the folder)",
        )


def _visible_entries(root: Path, recursive: bool) -> Iterator[Path]:
    """Files, folders and links below ``root`` whose names do not start with ``.``;
    hidden folders are not walked (nothing in them is read), nor are linked ones."""
    for folder, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")] if recursive else []
        here = Path(folder)
        yield from (here / name for name in (*dirnames, *filenames) if not name.startswith("."))


def folder_member(path: Path, folder: Path, field: str | None) -> Path:
    """``path``, a file named inside ``folder`` (resolved): refused if it leaves the folder
    or is hidden below it (``hf://owner/name/../../.env`` with a ``local_path``)."""
    root = folder.resolve()
    target = path.resolve()
    if not target.is_relative_to(root) or _hidden_parts(target, root):
        raise EvalkitError(
            f"{path.relative_to(folder) if path.is_relative_to(folder) else path} is not a "
            "visible file of this folder",
            file=folder,
            field=field,
            expected="a file inside the folder, not hidden and not linked out of it",
        )
    return target


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
