"""Cases that switch a form's procedure (its own name, code, processing time and fee), declared in [[cases]].

A case applies when its condition holds on the dossier, e.g. a birth registered more than 60 days after
the birth is "Đăng ký khai sinh quá hạn". The first case whose condition holds wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from counter.errors import FormDefinitionError
from counter.fees.schedule import FeeSchedule, parse_fee
from counter.law.rules import RECEIVED_DAY, Facts, date_ref_ok

if TYPE_CHECKING:
    from counter.law.forms import FieldDef, FormDef

_CASE_KEYS = {"id", "procedure", "procedure_code", "processing_days", "cutoff_applies", "fee", "when", "note"}
_WHEN_KEYS = {"days_after": {"kind", "first", "then", "more_than"}, "choice_in": {"kind", "field", "values"}}
CONDITION_KINDS = tuple(_WHEN_KEYS)


@dataclass(frozen=True)
class Condition:
    """`days_after`: more than `more_than` days from date `first` to date `then`;
    `choice_in`: the choice field `field` holds one of `values`."""

    kind: str
    first: str = ""
    then: str = ""
    more_than: int = 0
    field: str = ""
    values: tuple[str, ...] = ()

    def declared(self) -> dict[str, Any]:
        """The condition as its form file writes it (only its kind's keys)."""
        return {key: getattr(self, key) for key in sorted(_WHEN_KEYS[self.kind])}


@dataclass(frozen=True)
class Case:
    """A variant of the form's procedure with its own facts."""

    id: str
    procedure: str
    procedure_code: str
    processing_days: int
    cutoff_applies: bool
    fee: str
    when: Condition
    note: str
    fee_schedule: FeeSchedule | None = None


@dataclass(frozen=True)
class Procedure:
    """The procedure a dossier is handled under: the form's own, or one of its cases."""

    name: str
    code: str
    processing_days: int
    cutoff_applies: bool
    fee: str
    case: str
    """The case id, "" for the form's ordinary procedure."""
    fee_schedule: FeeSchedule | None = None
    """How the fee is computed (None: a fee given only as a sentence)."""

    @property
    def processing_label(self) -> str:
        """Processing time in words, e.g. "Trong ngày" or "3 ngày làm việc"."""
        if self.processing_days == 0:
            return "Trong ngày" + (" (sau 15 giờ: ngày làm việc tiếp theo)" if self.cutoff_applies else "")
        return f"{self.processing_days} ngày làm việc"


def _problem(source: str, number: int, text: str) -> FormDefinitionError:
    return FormDefinitionError(f"{source}: trường hợp thứ {number}: {text}")


def parse_cases(source: str, raw: Any, fields: Mapping[str, FieldDef]) -> tuple[Case, ...]:
    """Validate the [[cases]] of a form file."""
    if not isinstance(raw, list):
        raise FormDefinitionError(f"{source}: cases phải là danh sách bảng [[cases]].")
    cases = tuple(_parse_case(source, n, c, fields) for n, c in enumerate(raw, 1))
    ids = [c.id for c in cases]
    if len(set(ids)) != len(ids):
        raise FormDefinitionError(f"{source}: hai trường hợp trùng id.")
    return cases


def _parse_case(source: str, number: int, raw: Any, fields: Mapping[str, FieldDef]) -> Case:
    if not isinstance(raw, dict):
        raise _problem(source, number, "phải là một bảng.")
    unknown = sorted(set(raw) - _CASE_KEYS)
    if unknown:
        raise _problem(source, number, f"khoá không được hỗ trợ “{unknown[0]}”.")
    for key in ("id", "procedure"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise _problem(source, number, f"cần khoá “{key}” là chuỗi không rỗng.")
    days = raw.get("processing_days")
    if not isinstance(days, int) or isinstance(days, bool) or days < 0:
        raise _problem(source, number, "processing_days phải là số nguyên ≥ 0.")
    when = raw.get("when")
    kind = when.get("kind") if isinstance(when, dict) else None
    if not isinstance(when, dict) or kind not in _WHEN_KEYS or set(when) != _WHEN_KEYS[kind]:
        raise _problem(source, number, "when phải là bảng {kind, first, then, more_than} (kind = days_after) "
                                       "hoặc {kind, field, values} (kind = choice_in).")
    condition = _days_after(source, number, when, fields) if kind == "days_after" else _choice_in(
        source, number, when, fields)
    fee, fee_schedule = parse_fee(source, f"trường hợp thứ {number}", raw.get("fee"), fields)
    return Case(
        id=raw["id"], procedure=raw["procedure"], procedure_code=str(raw.get("procedure_code", "")),
        processing_days=days, cutoff_applies=bool(raw.get("cutoff_applies", False)), fee=fee,
        when=condition, note=str(raw.get("note", "")), fee_schedule=fee_schedule,
    )


def _days_after(source: str, number: int, when: dict[str, Any], fields: Mapping[str, FieldDef]) -> Condition:
    more_than = when.get("more_than")
    if not isinstance(more_than, int) or isinstance(more_than, bool) or more_than < 0:
        raise _problem(source, number, "when.more_than phải là số nguyên ≥ 0.")
    for key in ("first", "then"):
        ref = when.get(key)
        if not isinstance(ref, str) or not date_ref_ok(ref, fields) or (
                ref != RECEIVED_DAY and fields[ref].type != "date"):
            raise _problem(source, number, f"when.{key} phải là @received hoặc một trường kiểu date.")
    return Condition("days_after", first=when["first"], then=when["then"], more_than=more_than)


def _choice_in(source: str, number: int, when: dict[str, Any], fields: Mapping[str, FieldDef]) -> Condition:
    field_id, values = when.get("field"), when.get("values")
    field = fields.get(field_id) if isinstance(field_id, str) else None
    if field is None or field.type != "choice":
        raise _problem(source, number, "when.field phải là id của một trường kiểu choice.")
    if not isinstance(values, list) or not values or any(v not in field.choices for v in values):
        raise _problem(source, number, f"when.values phải là danh sách khác rỗng các lựa chọn của “{field_id}”.")
    return Condition("choice_in", field=field.id, values=tuple(values))


def _day(facts: Facts, ref: str) -> date | None:
    if ref == RECEIVED_DAY:
        return facts.received
    try:
        return date.fromisoformat(facts.values.get(ref, "").strip())
    except ValueError:
        return None


def holds(condition: Condition, facts: Facts) -> bool:
    """True when the condition is met (False when a date it needs is missing)."""
    if condition.kind == "choice_in":
        return facts.values.get(condition.field, "").strip() in condition.values
    first, then = _day(facts, condition.first), _day(facts, condition.then)
    return first is not None and then is not None and (then - first).days > condition.more_than


def case_of(form: FormDef, facts: Facts) -> str:
    """The id of the first case of `form` that applies, or ""."""
    return next((c.id for c in form.cases if holds(c.when, facts)), "")


def procedure_of(form: FormDef, case_id: str = "", codes: Mapping[str, str] | None = None) -> Procedure:
    """The procedure facts of the form or of one of its cases (an unknown case id gives the form's own).

    `codes` are the province's own procedure codes ([forms].procedure_codes): by form id, or
    "form-id/case-id" for a case; they win over the code in the form file.
    """
    codes = codes or {}
    case = next((c for c in form.cases if c.id == case_id), None)
    if case is None:
        return Procedure(form.procedure, codes.get(form.id) or form.procedure_code, form.processing_days,
                         form.cutoff_applies, form.fee, "", form.fee_schedule)
    return Procedure(case.procedure, codes.get(f"{form.id}/{case.id}") or case.procedure_code,
                     case.processing_days, case.cutoff_applies, case.fee, case.id, case.fee_schedule)
