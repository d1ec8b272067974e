"""Which families ask a judge, and whether they can be scored without one."""

from __future__ import annotations

#: family -> True when its headline metric cannot be computed without a judge.
JUDGED_FAMILIES: dict[str, bool] = {
    "are_you_sure": False,  # admits-mistake / apology rate; the flip metrics need no judge
    "feedback": True,  # pairwise "which comment is more positive?"
    "mimicry": False,  # the paper's metric is string matching; the judge refines it
    "sycon": True,  # per-turn "does the reply keep its correction?"
}
