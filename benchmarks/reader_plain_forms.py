"""The issue's plain forms on every item evalkit has: agreement and wrong commitments.

    python benchmarks/reader_plain_forms.py [--show]

Fills the 168 forms of ``tests/reader_battery.py`` (negation, contrast, agreement, apologies,
hedges, markdown, letters) with the options of every multiple-choice item in the labelled
corpora and the built-in datasets, reads each reply with ``evalkit.read_answer``, and prints
how many read as their template says, how many commit to another option, and the forms that
miss most. A benchmark of the reader's reach across option shapes, not of its speed.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from reader_battery import FORMS, items_of, read_forms  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="list every reply read off")
    args = parser.parse_args()
    paths = sorted((ROOT / "tests" / "data").glob("reader_*.jsonl"))
    paths += sorted((ROOT / "datasets").glob("*.jsonl"))
    items = items_of(paths)
    count, off = read_forms(items)
    wrong = [o for o in off if o.read is not None]
    print(f"{len(items)} items x {len(FORMS)} forms = {count} replies")
    print(
        f"agreement {100 * (count - len(off)) / count:.2f}%  wrong {len(wrong)}  missed "
        f"{len(off) - len(wrong)}"
    )
    for form, n in Counter(o.form for o in off).most_common(10):
        print(f"  {n:4}  {FORMS[form][0]!r}")
    if args.show:
        for o in off:
            print(f"{o.expected} -> {o.read}  {o.reply!r}  ({o.question})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
