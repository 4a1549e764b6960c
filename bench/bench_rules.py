"""Print what the law costs per check: field checks alone (baseline) vs field checks + the form's rules + case.

Runs the core functions the CLI, the app (on every keystroke) and pulled events call, on demo drafts of
every form. Figures only, never pass/fail.
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import date
from pathlib import Path

from counter.law import cases, forms, rules
from counter.records.dossiers import legal_errors, merged_values
from counter.services.demo import demo_draft

RUNS = 2000
DAY = date(2026, 11, 24)


def _median_us(samples: list[float]) -> float:
    return statistics.median(samples) * 1e6


def main() -> None:
    """Time both checks on the same drafts, interleaved, and print medians and the ratio."""
    all_forms = forms.load_forms(Path(__file__).resolve().parent.parent / "forms")
    rng = random.Random(1)
    drafts = [(f, d, merged_values(f, d.people, d.values))
              for f in all_forms.values() for d in [demo_draft(f, rng, DAY) for _ in range(5)]]
    base, law = [], []
    for n in range(RUNS):
        form, draft, values = drafts[n % len(drafts)]
        start = time.perf_counter()
        forms.validate(form, values, DAY)
        middle = time.perf_counter()
        legal_errors(form, values, dict(draft.people), DAY)
        cases.case_of(form, rules.facts_of(values, draft.people, DAY))
        end = time.perf_counter()
        base.append(middle - start)
        law.append(end - middle)
    b, w = _median_us(base), _median_us(law)
    print(f"rules: field checks only {b:.1f} µs, with rules and case {w:.1f} µs (×{w / b:.2f}), "
          f"median of {RUNS} over {len(all_forms)} forms")


if __name__ == "__main__":
    main()
