"""Legal checks declared in a form's [[rules]] and run in one place for the CLI, the app and pulled events.

The vocabulary (README "Rules in a form"): `min_age` (a role's age on the registration day), `sex` (a
role's sex), `distinct_people` (one ID number in one role), `date_order` (one date not after another)
and `older_than` (one person born before another). Each failure is one Vietnamese sentence that names
the people and the rule, keyed by the field beside which the app shows it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from counter.citizens.idnumber import mask
from counter.errors import FormDefinitionError

if TYPE_CHECKING:
    from counter.law.forms import FieldDef, FormDef

RECEIVED_DAY = "@received"
"""A date reference meaning the day the dossier is received (registered)."""
RULE_KINDS = ("min_age", "sex", "distinct_people", "date_order", "older_than")
_RULE_KEYS = {"kind", "role", "roles", "field", "years", "sex", "first", "then", "basis", "show_on"}


@dataclass(frozen=True)
class Rule:
    """One legal check of a form; which keys matter depends on `kind`."""

    kind: str
    role: str = ""
    roles: tuple[str, ...] = ()
    field: str = ""
    years: int = 0
    sex: str = ""
    first: str = ""
    then: str = ""
    basis: str = ""
    show_on: str = ""
    """The field beside which the sentence is shown."""


@dataclass(frozen=True)
class Person:
    """What the rules know of a scanned person."""

    id_number: str
    full_name: str
    sex: str
    birth_date: date | None


@dataclass(frozen=True)
class Facts:
    """A dossier as the rules see it: normalised values, scanned people by role, registration day."""

    values: Mapping[str, str]
    people: Mapping[str, Person]
    received: date


@dataclass(frozen=True)
class Moment:
    """A resolved date reference: a day, or only a year (year fields)."""

    day: date
    year_only: bool
    text: str


def person_from_json(data: Mapping[str, Any]) -> Person:
    """A person from an Identity's JSON (as stored in `received` events)."""
    birth = data.get("birth_date")
    try:
        born = date.fromisoformat(birth) if isinstance(birth, str) else None
    except ValueError:
        born = None
    return Person(str(data.get("id_number", "")), str(data.get("full_name", "")), str(data.get("sex", "")), born)


# -- parsing -----------------------------------------------------------------------------------------


def _problem(source: str, number: int, text: str) -> FormDefinitionError:
    return FormDefinitionError(f"{source}: quy tắc thứ {number}: {text}")


def parse_rules(source: str, raw: Any, roles: set[str], fields: Mapping[str, FieldDef]) -> tuple[Rule, ...]:
    """Validate the [[rules]] of a form file against its roles and fields."""
    if not isinstance(raw, list):
        raise FormDefinitionError(f"{source}: rules phải là danh sách bảng [[rules]].")
    return tuple(_parse_rule(source, n, r, roles, fields) for n, r in enumerate(raw, 1))


def date_ref_ok(ref: str, fields: Mapping[str, FieldDef]) -> bool:
    """True when `ref` is @received or a date/year field."""
    return ref == RECEIVED_DAY or (ref in fields and fields[ref].type in ("date", "year"))


def _parse_rule(source: str, number: int, raw: Any, roles: set[str], fields: Mapping[str, FieldDef]) -> Rule:
    if not isinstance(raw, dict):
        raise _problem(source, number, "phải là một bảng.")
    unknown = sorted(set(raw) - _RULE_KEYS)
    if unknown:
        raise _problem(source, number, f"khoá không được hỗ trợ “{unknown[0]}”.")
    kind = raw.get("kind")
    if kind not in RULE_KINDS:
        raise _problem(source, number, f"kind phải là một trong: {', '.join(RULE_KINDS)}.")
    for key in ("role", "field", "sex", "first", "then", "basis", "show_on"):
        if not isinstance(raw.get(key, ""), str):
            raise _problem(source, number, f"“{key}” phải là chuỗi.")
    years = raw.get("years", 0)
    if not isinstance(years, int) or isinstance(years, bool) or years < 0:
        raise _problem(source, number, "years phải là số nguyên ≥ 0.")
    role_list = raw.get("roles", [])
    if not isinstance(role_list, list) or not all(isinstance(r, str) for r in role_list):
        raise _problem(source, number, "roles phải là danh sách id vai trò.")
    rule = Rule(kind=kind, role=raw.get("role", ""), roles=tuple(role_list), field=raw.get("field", ""),
                years=years, sex=raw.get("sex", ""), first=raw.get("first", ""), then=raw.get("then", ""),
                basis=raw.get("basis", ""), show_on=raw.get("show_on", ""))
    for role in (rule.role, *rule.roles):
        if role and role not in roles:
            raise _problem(source, number, f"vai trò “{role}” chưa được khai báo trong [[roles]].")
    needs = {"min_age": ("role", "field", "years"), "sex": ("role", "sex"), "distinct_people": ("roles",),
             "date_order": ("first", "then"), "older_than": ("first", "then")}[kind]
    missing = [key for key in needs if not getattr(rule, key)]
    if missing:
        raise _problem(source, number, f"kind “{kind}” cần khoá “{missing[0]}”.")
    if kind == "distinct_people" and len(rule.roles) < 2:
        raise _problem(source, number, "distinct_people cần ít nhất hai vai trò.")
    for ref in (rule.field, rule.first, rule.then):
        if ref and not date_ref_ok(ref, fields):
            raise _problem(source, number, f"“{ref}” phải là @received hoặc một trường kiểu date/year.")
    if rule.show_on and rule.show_on not in fields:
        raise _problem(source, number, f"show_on “{rule.show_on}” không phải trường của mẫu.")
    return rule


# -- checking ----------------------------------------------------------------------------------------


def _moment(form: FormDef, facts: Facts, ref: str) -> Moment | None:
    if ref == RECEIVED_DAY:
        return Moment(facts.received, False, f"{facts.received:%d/%m/%Y}")
    text = facts.values.get(ref, "").strip()
    if not text:
        return None
    if form.field(ref).type == "year":
        valid = text.isdigit() and 1 <= int(text) <= 9999
        return Moment(date(int(text), 1, 1), True, f"năm {text}") if valid else None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return Moment(day, False, f"{day:%d/%m/%Y}")


def _role_value(form: FormDef, facts: Facts, role: str, prefill: str) -> str:
    """A role's value from its field prefilled with `prefill` (a name: or its `…_name` field), else the card's."""
    for field_def in form.fields_of(role):
        named = prefill == "full_name" and field_def.id.endswith("_name") and field_def.type == "text"
        if (field_def.prefill == prefill or named) and facts.values.get(field_def.id, "").strip():
            return facts.values[field_def.id].strip()
    person = facts.people.get(role)
    return str(getattr(person, prefill, "") or "") if person else ""


def _id_number(form: FormDef, facts: Facts, role: str) -> str:
    person = facts.people.get(role)
    if person and person.id_number:
        return person.id_number
    return next((facts.values[f.id] for f in form.fields_of(role)
                 if f.type == "id_number" and facts.values.get(f.id)), "")


def _who(form: FormDef, facts: Facts, role: str) -> str:
    """"Bên nữ Nguyễn Thị Lan": the role and, when known, the person's name."""
    name = _role_value(form, facts, role, "full_name")
    label = form.role(role).label if role else "Hồ sơ"
    return f"{label} {name}" if name else label


def _label(form: FormDef, ref: str) -> str:
    if ref == RECEIVED_DAY:
        return "ngày đăng ký"
    label = form.field(ref).label
    return label[:1].lower() + label[1:]


def _basis(rule: Rule) -> str:
    return f" ({rule.basis})" if rule.basis else ""


def _age(born: Moment, on: date) -> int:
    if born.year_only:
        return on.year - born.day.year
    return on.year - born.day.year - ((on.month, on.day) < (born.day.month, born.day.day))


def _first_field(form: FormDef, role: str) -> str:
    return next((f.id for f in form.fields_of(role)), "")


def _check_one(form: FormDef, rule: Rule, facts: Facts) -> tuple[str, str] | None:
    """(field id, sentence) when `rule` fails on `facts`; None when it holds or lacks its inputs."""
    if rule.kind == "min_age":
        born = _moment(form, facts, rule.field)
        if born is None or _age(born, facts.received) >= rule.years:
            return None
        age = _age(born, facts.received)
        return rule.show_on or rule.field, (
            f"{_who(form, facts, rule.role)} sinh {born.text}, đến ngày đăng ký {facts.received:%d/%m/%Y} "
            f"mới {max(age, 0)} tuổi; {form.role(rule.role).label.lower()} phải từ đủ {rule.years} tuổi"
            f"{_basis(rule)}.")
    if rule.kind == "sex":
        actual = _role_value(form, facts, rule.role, "sex")
        if not actual or actual == rule.sex:
            return None
        return rule.show_on or _first_field(form, rule.role), (
            f"{_who(form, facts, rule.role)} có giới tính {actual}; người ở vai trò "
            f"“{form.role(rule.role).label}” phải là {rule.sex}{_basis(rule)}.")
    if rule.kind == "distinct_people":
        seen: dict[str, str] = {}
        for role in rule.roles:
            number = _id_number(form, facts, role)
            if number and number in seen:
                first = seen[number]
                name = _role_value(form, facts, role, "full_name") or _role_value(form, facts, first, "full_name")
                return rule.show_on or _first_field(form, role), (
                    f"“{form.role(first).label}” và “{form.role(role).label}” là cùng một người"
                    f"{' (' + name + ', ' if name else ' ('}số định danh {mask(number)}); "
                    f"một người chỉ được đứng ở một vai trò{_basis(rule)}.")
            if number:
                seen[number] = role
        return None
    earlier, later = _moment(form, facts, rule.first), _moment(form, facts, rule.then)
    if earlier is None or later is None:
        return None
    coarse = earlier.year_only or later.year_only
    a, b = (earlier.day.year, later.day.year) if coarse else (earlier.day, later.day)
    if rule.kind == "date_order":
        if a <= b:  # type: ignore[operator]
            return None
        owner = form.field(rule.first).role if rule.first != RECEIVED_DAY else ""
        who = _who(form, facts, owner) + ": " if owner else ""
        return rule.show_on or (rule.first if rule.first != RECEIVED_DAY else rule.then), (
            f"{who}{_label(form, rule.first)} ({earlier.text}) không được sau {_label(form, rule.then)} "
            f"({later.text}){_basis(rule)}.")
    if a < b:  # type: ignore[operator]
        return None
    older = form.field(rule.first).role if rule.first != RECEIVED_DAY else ""
    younger = form.field(rule.then).role if rule.then != RECEIVED_DAY else ""
    return rule.show_on or rule.first, (
        f"{_who(form, facts, older)} (sinh {earlier.text}) phải lớn tuổi hơn {_who(form, facts, younger)} "
        f"(sinh {later.text}){_basis(rule)}.")


def check(form: FormDef, facts: Facts) -> dict[str, str]:
    """Every failed rule of `form` as {field id: sentence}; two failures on one field are joined."""
    problems: dict[str, str] = {}
    for rule in form.rules:
        failed = _check_one(form, rule, facts)
        if failed is None:
            continue
        field_id, sentence = failed
        problems[field_id] = f"{problems[field_id]} {sentence}" if field_id in problems else sentence
    return problems


def facts_of(values: Mapping[str, str], people: Mapping[str, Any], received: date) -> Facts:
    """Facts from values and people given as Identity objects or their JSON."""
    persons = {role: person_from_json(p if isinstance(p, Mapping) else p.to_json()) for role, p in people.items()}
    return Facts(values, persons, received)


def check_received(form: FormDef, payload: Mapping[str, Any]) -> dict[str, str]:
    """The rules on a `received` event's payload (values, people, received_day): for pulled events."""
    received = date.fromisoformat(str(payload["received_day"]))
    return check(form, facts_of(payload.get("values", {}), payload.get("people", {}), received))
