"""Judges: a model that answers one narrow question about a reply, where a metric needs one.

Deterministic extraction comes first; a family asks a judge only what string
matching cannot settle (which of two comments is more positive, whether a reply
that names the wrong author accepts or disputes the attribution, whether a
multi-turn reply keeps its correction). The judging pass runs after the
samples (:func:`evalkit.judges.run.run_judging`), stores every verdict with
its raw reply in ``judgements.jsonl`` in the run directory, and the scorers
read them from there: scoring stays pure and ``evalkit score`` never calls a
judge.
"""
