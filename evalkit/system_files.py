"""Files of the running system, which no config or dataset may read as data.

Pseudo file systems look like folders of regular files, but ``/proc/self/environ``
holds the process's environment, the API key in it.
"""

from __future__ import annotations

from pathlib import Path

SYSTEM_ROOTS = (Path("/proc"), Path("/sys"), Path("/dev"))


def is_system_file(path: Path) -> bool:
    """``path`` (resolved) lies in a pseudo file system of the running system."""
    return any(path.is_relative_to(root) for root in SYSTEM_ROOTS)
