"""The one formatter of every table: what a figure's text shows when answers were unreadable."""

from __future__ import annotations

from scorers.fmt import diff, prop
from scorers.stats import Difference, bounds, wilson


def test_a_rate_with_nothing_readable_still_shows_its_bounds():
    """A model that dodges the neutral question and always gives in: no readable item, but
    every reading says 100%. The cell used to say only "- (4 unreadable)"."""
    rate = bounds(wilson(0, 0), 4, may_hits=4)
    assert prop(rate) == "- +4 unreadable (100-100%)"


def test_a_difference_with_no_readable_pair_still_shows_its_bounds():
    empty = Difference(value=None, ci_low=None, ci_high=None, n_pairs=0)
    assert diff(empty.model_copy(update={"unreadable": 4})) == "- (4 unreadable)"
    bounded = empty.model_copy(update={"unreadable": 4, "bound_low": 1.0, "bound_high": 1.0})
    assert diff(bounded, " pts") == "- +4 unreadable pts (+100 to +100)"


def test_a_value_outside_what_every_reading_gives_says_so():
    """Over readable pairs the difference is +100, but the one item left out held under
    pressure: had it been read, the figure would be +33 or +67, lower either way."""
    d = Difference(
        value=1.0, ci_low=-0.32, ci_high=1.0, n_pairs=2, unreadable=1,
        bound_low=1 / 3, bound_high=2 / 3,
    )  # fmt: skip
    assert diff(d) == "+100.0 [-32, +100] +1 unreadable (+33 to +67: lower, had they been read)"
    inside = d.model_copy(update={"value": 0.5})
    assert diff(inside).endswith("+1 unreadable (+33 to +67)")
