"""The truth probe's math (scorers/probe.py) on synthetic hidden states: it finds a planted
direction, reads noise as chance, cannot leak an item across a split, reads a training item
with the model that held it out, and is deterministic."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from evalkit.errors import EvalkitError
from scorers.probe import (
    ItemStatements,
    ProbeFit,
    assign_folds,
    control_labels,
    fit_probe,
    splits,
)

LAYERS = [3, 7, 11]
PLANTED = 7  # the layer (LAYERS[1]) whose correct-option state carries the direction


def _options(index: int, n_options: int | list[int]) -> int:
    return n_options if isinstance(n_options, int) else n_options[index % len(n_options)]


def planted(
    n: int,
    *,
    strength: float = 3.0,
    hidden: int = 16,
    n_options: int | list[int] = 4,
    seed: int = 0,
    prefix: str = "ds|",
    truthful: bool = True,
) -> list[ItemStatements]:
    """Noise everywhere; at layer PLANTED one option's state also carries a fixed direction.
    That option is the correct one (``truthful``), or one unrelated to the label."""
    rng = np.random.default_rng(seed)
    direction = np.random.default_rng(1234).normal(size=hidden)
    direction *= strength / np.linalg.norm(direction)
    items = []
    for i in range(n):
        count = _options(i, n_options)
        states = rng.normal(size=(count, len(LAYERS), hidden))
        correct = int(rng.integers(count))
        marked = correct if truthful else int(rng.integers(count))
        states[marked, LAYERS.index(PLANTED)] += direction
        items.append(ItemStatements(f"{prefix}{i}", states.astype(np.float16), correct))
    return items


def memorising(n: int, *, hidden: int = 256, seed: int = 0) -> list[ItemStatements]:
    """Every option of every item has its own random pattern (the same at both layers):
    nothing is shared between items, so only a model that saw an item (any of its options)
    can tell its correct option; one that did not is at chance, exactly."""
    rng = np.random.default_rng(seed)
    items = []
    for i in range(n):
        states = rng.normal(size=(4, 1, hidden)) + 0.3 * rng.normal(size=(4, 2, hidden))
        items.append(ItemStatements(f"mem|{i}", states.astype(np.float16), int(rng.integers(4))))
    return items


def _hits(fit: ProbeFit, items: list[ItemStatements], key=lambda item: item.key) -> int:
    return sum(fit.pick(key(item), item.states) == item.correct for item in items)


def test_a_planted_direction_is_found_at_its_layer():
    items = planted(80)
    fit = fit_probe(items, LAYERS)
    assert fit.n_items == 80 and fit.chance == 0.25 and fit.folds == 5
    assert fit.held_out.value > 0.8 and fit.held_out.ci_low > fit.chance
    assert fit.chosen_layers == [PLANTED] * 5 and fit.full_layer == PLANTED
    assert [s.layer for s in fit.per_layer] == LAYERS
    best = max(fit.per_layer, key=lambda s: s.accuracy.value)
    assert best.layer == PLANTED
    for score in fit.per_layer:
        if score.layer != PLANTED:  # noise: see the band in the test below
            assert abs(score.accuracy.value - fit.chance) < 0.15, score
    # the control never saw the truth: far below the real probe
    assert fit.control.ci_high < fit.held_out.ci_low
    # new items (not in training) are read by the model fit on all items
    fresh = planted(60, seed=1, prefix="new|")
    assert _hits(fit, fresh) / len(fresh) > 0.8


def test_picks_of_training_items_reproduce_the_held_out_figure():
    items = planted(80)
    fit = fit_probe(items, LAYERS)
    assert _hits(fit, items) == fit.held_out.count
    probabilities = fit.probabilities(items[0].key, items[0].states)
    assert len(probabilities) == 4 and all(0 < p < 1 for p in probabilities)
    assert int(np.argmax(probabilities)) == fit.pick(items[0].key, items[0].states)


def test_pure_noise_and_labels_unrelated_to_the_states_are_at_chance():
    # CV picks share training items, so across data sets they spread about 1.5x more than
    # the binomial that Wilson assumes (measured on noise): bands of ~2.5 binomial SDs
    for items in (planted(100, strength=0.0), planted(100, truthful=False)):
        fit = fit_probe(items, LAYERS)
        assert abs(fit.held_out.value - fit.chance) < 0.12, fit.held_out
        assert abs(fit.control.value - fit.chance) < 0.12, fit.control
        for score in fit.per_layer:
            assert abs(score.accuracy.value - fit.chance) < 0.15, score
            assert abs(score.control.value - fit.chance) < 0.15, score


def test_the_layer_is_chosen_without_the_outer_test_items():
    # 12 layers of noise: choosing each fold's layer on its own test items would report
    # the best of 12 chance draws (about 0.4); inner CV on the training items does not
    rng = np.random.default_rng(5)
    items = [
        ItemStatements(f"n|{i}", rng.normal(size=(4, 12, 8)), int(rng.integers(4)))
        for i in range(150)
    ]
    fit = fit_probe(items, list(range(12)))
    # 0.15-0.29 over 8 fold seeds; 0.34-0.39 when each fold chose on its test items
    assert fit.held_out.value < 0.32, fit.held_out
    assert max(s.accuracy.value for s in fit.per_layer) > fit.held_out.value


def test_control_marks_a_uniformly_random_option_per_item():
    items = planted(400, n_options=[2, 3, 4, 5])
    labels = control_labels(items, seed=0)
    assert labels == control_labels(list(reversed(items)), seed=0)[::-1]
    assert labels != control_labels(items, seed=1)
    assert all(0 <= label < len(item.states) for label, item in zip(labels, items, strict=True))
    same = sum(label == item.correct for label, item in zip(labels, items, strict=True))
    expected = np.mean([1 / len(item.states) for item in items])
    assert abs(same / len(items) - expected) < 0.07


def test_no_item_is_on_both_sides_of_any_split():
    items = memorising(40)
    items += [items[3]._replace(states=items[3].states[::-1])]  # one key twice
    keys = {item.key for item in items}
    found = splits(items)
    outer = [s for s in found if s.inner is None]
    assert len(outer) == 5 and len(found) == 5 + 5 * 4
    assert set().union(*(s.test for s in outer)) == keys
    assert sum(len(s.test) for s in outer) == len(keys)
    for split in found:
        assert not split.train & split.test
        if split.inner is None:
            assert split.train | split.test == keys
        else:  # inner CV sees only the outer training items
            held = outer[split.outer].test
            assert not (split.train | split.test) & held
            assert split.train | split.test == keys - held


def test_a_memorising_readout_is_at_chance_held_out():
    items = memorising(40)
    fit = fit_probe(items, [0, 1])
    assert abs(fit.held_out.value - fit.chance) < 0.15, fit.held_out  # 40 items
    assert all(s.accuracy.value < fit.chance + 0.15 for s in fit.per_layer)
    # the same states under an unseen key go to the model fit on every item, which has
    # memorised them: a model trained on an item would read it differently
    assert _hits(fit, items, key=lambda item: item.key + "#unseen") / len(items) > 0.9
    # pick of a training item uses the fold that held it out: no better than held out
    assert _hits(fit, items) == fit.held_out.count
    assert {fit.fold_of(item.key) for item in items} == set(range(5))
    assert fit.fold_of("mem|unseen") is None


def test_the_same_seed_gives_the_same_figures():
    items = planted(40, strength=1.0)
    first, second = fit_probe(items, LAYERS, seed=3), fit_probe(items, LAYERS, seed=3)
    assert first.model_dump() == second.model_dump()
    assert [first.probabilities(i.key, i.states) for i in items] == [
        second.probabilities(i.key, i.states) for i in items
    ]
    keys = [item.key for item in items]
    assert assign_folds(keys, 5, 3) == assign_folds(keys[::-1], 5, 3)
    assert assign_folds(keys, 5, 3) != assign_folds(keys, 5, 4)


def test_too_few_items_or_folds_is_a_clear_error():
    with pytest.raises(ValueError, match="too few items for a probe: 3"):
        fit_probe(planted(3), LAYERS)
    twice = planted(3) + planted(3)  # six statements sets, three distinct items
    with pytest.raises(ValueError, match="too few items for a probe: 3"):
        fit_probe(twice, LAYERS)
    with pytest.raises(ValueError, match="folds >= 3"):
        fit_probe(planted(10), LAYERS, folds=2)
    with pytest.raises(ValueError, match="fewer than 2 options"):  # a single class
        fit_probe(planted(10, n_options=1), LAYERS)
    fit = fit_probe(planted(4), LAYERS)  # as many folds as items allow
    assert fit.folds == 4 and fit.n_items == 4


def test_malformed_states_are_refused():
    items = planted(10)
    with pytest.raises(ValueError, match="expected \\(n_options, 2, hidden\\)"):
        fit_probe(items, [3, 7])
    with pytest.raises(ValueError, match="out of range"):
        fit_probe([*items[:-1], items[-1]._replace(correct=4)], LAYERS)
    broken = items[-1].states.copy()
    broken[0, :, 0] = np.inf
    with pytest.raises(ValueError, match="not finite"):
        fit_probe([*items[:-1], items[-1]._replace(states=broken)], LAYERS)
    fit = fit_probe(items, LAYERS)
    with pytest.raises(ValueError, match="have shape"):
        fit.pick(items[0].key, items[0].states[:, :2])
    assert fit.pick(items[0].key, broken) is None  # a broken capture is not a pick
    assert fit.pick(items[0].key, items[0].states[:0]) is None


def test_items_may_have_two_to_five_options():
    items = planted(120, n_options=[2, 3, 4, 5])
    fit = fit_probe(items, LAYERS)
    assert fit.chance == pytest.approx(np.mean([1 / 2, 1 / 3, 1 / 4, 1 / 5]))
    assert fit.held_out.value > 0.8 and fit.full_layer == PLANTED
    for item in items[:8]:
        assert len(fit.probabilities(item.key, item.states)) == len(item.states)
        assert 0 <= fit.pick(item.key, item.states) < len(item.states)


def test_without_scikit_learn_the_probe_asks_for_the_probe_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)
    with pytest.raises(EvalkitError, match=r"evalkit\[local,probe\]"):
        fit_probe(planted(10), LAYERS)


def test_scorers_import_without_numpy_or_scikit_learn():
    code = (
        "import sys; sys.modules['numpy'] = None; sys.modules['sklearn'] = None\n"
        "import scorers.probe, scorers.registry; print('ok')"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "ok", done.stderr
