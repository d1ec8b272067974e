"""Which families ask a judge, and whether they can be scored without one (from the registry)."""

from __future__ import annotations

from scorers import registry


def judged_families() -> dict[str, bool]:
    """family -> True when its main figure cannot be computed without a judge."""
    return {
        name: family.judge.required
        for name, family in sorted(registry.families().items())
        if family.judge is not None
    }
