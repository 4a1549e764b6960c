"""The fee of what is on the form now, as the app shows it beside the fee line while the clerk types."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from counter.fees.amounts import CountMissing, Fee, FeeRefused, fee_of
from counter.fees.words import figures
from counter.law import cases, rules
from counter.law.forms import FormDef


@dataclass(frozen=True)
class Preview:
    """One line for the clerk, whether it is a problem, and the categories the clerk may pick now."""

    text: str
    problem: bool
    allowed: tuple[str, ...]
    fee: Fee | None = None


def preview(form: FormDef, values: Mapping[str, str], people: Mapping[str, Any], today: date,
            province: Mapping[str, int], exemption: str = "", source: str = "counter.toml") -> Preview:
    """The amount (or the exemption, or why it cannot be computed) for these values on `today`."""
    case = cases.case_of(form, rules.facts_of(dict(values), dict(people), today))
    procedure = cases.procedure_of(form, case)
    schedule = procedure.fee_schedule
    allowed = schedule.exemptions if schedule is not None else ()
    try:
        fee = fee_of(form.id, procedure.case, schedule, values, province, exemption, source)
    except CountMissing:
        return Preview(f"Phí, lệ phí: {procedure.fee}", False, allowed)
    except FeeRefused as exc:
        return Preview(exc.message, True, allowed)
    if fee is None:
        return Preview(f"Lệ phí: {procedure.fee}", False, allowed)
    if fee.exempt and fee.exemption is None:
        return Preview(f"Lệ phí: {procedure.fee}", False, allowed, fee)
    if fee.exempt:
        waived = f" (mức thu {figures(fee.waived)})" if fee.waived else ""
        return Preview(f"Phí, lệ phí: miễn — {fee.exempt_reason}{waived}", False, allowed, fee)
    steps = "; ".join(f"{line.quantity} {line.unit} × {figures(line.unit_amount)}" for line in fee.lines)
    return Preview(f"Phí, lệ phí: {figures(fee.amount)} ({steps})", False, allowed, fee)
