"""Print what computing fees costs: 10,000 fees (certified copies with tiers and cap, per copy, province
amounts, exemptions) against the field checks of the same values as the baseline, in the same run.

Figures only, never pass/fail.
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import date
from pathlib import Path

from counter.fees.amounts import fee_of
from counter.law import cases, forms, rules

FEES = 10_000
ROUNDS = 5
DAY = date(2026, 12, 3)
PROVINCE = {"khai-sinh/qua-han": 8000, "nhan-cha-me-con": 10000, "thay-doi-cu-tru": 20000,
            "xac-nhan-tinh-trang-hon-nhan": 15000}


def _inputs(all_forms: dict[str, forms.FormDef]) -> list[tuple[forms.FormDef, cases.Procedure, dict[str, str], str]]:
    """10,000 (form, procedure, values, exemption) of the charged forms, pages 1–300, copies 1–10."""
    rng = random.Random(7)
    charged = [f for f in all_forms.values() if f.fee_schedule is not None]
    out = []
    for _ in range(FEES):
        form = rng.choice(charged)
        values = {"pages": str(rng.randint(1, 300)), "copies": str(rng.randint(1, 10))}
        procedure = cases.procedure_of(form, cases.case_of(form, rules.facts_of(values, {}, DAY)))
        allowed = procedure.fee_schedule.exemptions if procedure.fee_schedule else ()
        exemption = rng.choice(allowed) if allowed and rng.random() < 0.2 else ""
        out.append((form, procedure, values, exemption))
    return out


def main() -> None:
    """Median time of one round of 10,000 fees, and of validating the same values, and their ratio."""
    all_forms = forms.load_forms(Path(__file__).resolve().parent.parent / "forms")
    inputs = _inputs(all_forms)
    fee_rounds, check_rounds = [], []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for form, procedure, values, exemption in inputs:
            fee_of(form.id, procedure.case, procedure.fee_schedule, values, PROVINCE, exemption)
        middle = time.perf_counter()
        for form, _, values, _ in inputs:
            forms.validate(form, values, DAY)
        end = time.perf_counter()
        fee_rounds.append(middle - start)
        check_rounds.append(end - middle)
    f, c = statistics.median(fee_rounds), statistics.median(check_rounds)
    print(f"fees: {FEES} fees in {f * 1000:.1f} ms ({f / FEES * 1e6:.1f} µs each); field checks of the same "
          f"values {c * 1000:.1f} ms (fees ×{f / c:.2f}), median of {ROUNDS} rounds")


if __name__ == "__main__":
    main()
