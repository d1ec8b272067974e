"""The sycophancy families: one module each, pure functions from saved records to metrics.

Each family module declares one :class:`scorers.contract.Family` (``FAMILY``),
found through :mod:`scorers.registry`. Scorers never call a model, so
``evalkit score RUN_DIR`` can re-score a run.
"""
