"""Where the built-in prompts and datasets live.

In a wheel they are packaged under ``evalkit/_data``; in a source checkout
(including editable installs) they are the repository's ``prompts/`` and
``datasets/`` folders.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    packaged = _PACKAGE_DIR / "_data" / name
    if packaged.is_dir():
        return packaged
    return _PACKAGE_DIR.parent / name


def prompts_dir() -> Path:
    return _data_dir("prompts")


def datasets_dir() -> Path:
    return _data_dir("datasets")
