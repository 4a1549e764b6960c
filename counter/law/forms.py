"""Standard declaration forms, one TOML file each in forms/; adding a form is adding a file.

The standard forms ship inside the package (counter.defaults, importlib.resources); a `[storage].forms_dir`
adds forms and replaces shipped ones with the same id.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from counter.citizens.identity import Identity
from counter.citizens.mojibake import looks_garbled, repair
from counter.defaults import files
from counter.errors import FormDefinitionError
from counter.fees.schedule import FeeSchedule, parse_fee
from counter.law import cases as case_rules
from counter.law import rules as legal_rules
from counter.text.plaintext import text_problem
from counter.text.textfold import matches

FIELD_TYPES = ("text", "longtext", "date", "year", "integer", "choice", "id_number", "phone")
PREFILL_SOURCES = ("full_name", "id_number", "old_id_number", "birth_date", "birth_year", "sex",
                   "address", "issue_date", "id_document")
_FORM_KEYS = {"id", "title", "procedure", "form_code", "legal_basis", "addressee", "processing_days",
              "cutoff_applies", "fee", "documents", "roles", "fields", "notes", "procedure_code", "version", "rules",
              "cases", "optional_documents"}
_ROLE_KEYS = {"id", "label"}
_FIELD_KEYS = {"id", "label", "role", "type", "required", "choices", "prefill", "pattern", "pattern_message",
               "max_length", "min", "max", "not_future", "help"}


@dataclass(frozen=True)
class Role:
    """A person on the form (requester, child, mother, …) who may be filled from a card scan."""

    id: str
    label: str


@dataclass(frozen=True)
class FieldDef:
    """One field of a form with its type, constraints and identity prefill."""

    id: str
    label: str
    role: str
    type: str
    required: bool
    choices: tuple[str, ...]
    prefill: str
    pattern: str
    pattern_message: str
    max_length: int
    min: int | None
    max: int | None
    not_future: bool
    help: str


@dataclass(frozen=True)
class FormDef:
    """A standard form and the procedure it belongs to."""

    id: str
    title: str
    procedure: str
    form_code: str
    legal_basis: str
    addressee: str
    processing_days: int
    cutoff_applies: bool
    fee: str
    documents: tuple[str, ...]
    roles: tuple[Role, ...]
    fields: tuple[FieldDef, ...]
    notes: str
    source: str
    procedure_code: str = ""
    """Code of the procedure in the national catalogue (mã TTHC); "" where not verified."""
    version: str = "1"
    rules: tuple[legal_rules.Rule, ...] = ()
    cases: tuple[case_rules.Case, ...] = ()
    optional_documents: tuple[str, ...] = ()
    """Documents handed in only in some cases (unticked by default on the form screen)."""
    canonical: str = ""
    """The form file's content as canonical JSON: what a dossier pins by SHA-256."""
    fee_schedule: FeeSchedule | None = None
    """How the fee is computed (the `[fee]` table); None for a fee given only as a sentence."""

    @property
    def sha256(self) -> str:
        """SHA-256 of the canonical content (hex)."""
        return hashlib.sha256(self.canonical.encode("utf-8")).hexdigest()

    def role(self, role_id: str) -> Role:
        """The role with this id."""
        for role in self.roles:
            if role.id == role_id:
                return role
        raise KeyError(role_id)

    def field(self, field_id: str) -> FieldDef:
        """The field with this id."""
        for field_def in self.fields:
            if field_def.id == field_id:
                return field_def
        raise KeyError(field_id)

    def fields_of(self, role_id: str) -> tuple[FieldDef, ...]:
        """The fields that belong to one role ("" for the form's general fields)."""
        return tuple(f for f in self.fields if f.role == role_id)

    @property
    def scan_roles(self) -> tuple[Role, ...]:
        """Roles that a card scan can fill (they have at least one prefilled field)."""
        return tuple(r for r in self.roles if any(f.prefill for f in self.fields_of(r.id)))

    @property
    def processing_label(self) -> str:
        """Processing time in words, e.g. "Trong ngày" or "3 ngày làm việc"."""
        if self.processing_days == 0:
            return "Trong ngày" + (" (sau 15 giờ: ngày làm việc tiếp theo)" if self.cutoff_applies else "")
        return f"{self.processing_days} ngày làm việc"


def _fail(source: str, problem: str) -> FormDefinitionError:
    return FormDefinitionError(f"{source}: {problem}")


def _expect(source: str, table: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str,
            default: Any = None) -> Any:
    if key not in table:
        if default is None:
            raise _fail(source, f"thiếu khoá “{key}” {where}.")
        return default
    value = table[key]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise _fail(source, f"khoá “{key}” {where} sai kiểu.")
    return value


def parse_form(raw: dict[str, Any], source: str) -> FormDef:
    """Validate one parsed form file."""
    unknown = sorted(set(raw) - _FORM_KEYS)
    if unknown:
        raise _fail(source, f"khoá không được hỗ trợ “{unknown[0]}”.")
    top = "ở đầu tệp"
    form_id = _expect(source, raw, "id", str, top)
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", form_id):
        raise _fail(source, f"id “{form_id}” chỉ được gồm chữ thường không dấu, số và dấu -.")
    roles_raw = _expect(source, raw, "roles", list, top)
    roles = []
    for number, role_raw in enumerate(roles_raw, 1):
        where = f"ở vai trò thứ {number}"
        if not isinstance(role_raw, dict):
            raise _fail(source, f"vai trò thứ {number} phải là một bảng.")
        if set(role_raw) - _ROLE_KEYS:
            raise _fail(source, f"khoá không được hỗ trợ “{sorted(set(role_raw) - _ROLE_KEYS)[0]}” {where}.")
        roles.append(Role(_expect(source, role_raw, "id", str, where), _expect(source, role_raw, "label", str, where)))
    role_ids = [r.id for r in roles]
    if len(set(role_ids)) != len(role_ids):
        raise _fail(source, "hai vai trò trùng id.")
    fields = [_parse_field(source, number, f, set(role_ids))
              for number, f in enumerate(_expect(source, raw, "fields", list, top), 1)]
    field_ids = [f.id for f in fields]
    duplicates = {i for i in field_ids if field_ids.count(i) > 1}
    if duplicates:
        raise _fail(source, f"trường “{sorted(duplicates)[0]}” bị khai báo hai lần.")
    processing_days = _expect(source, raw, "processing_days", int, top)
    if processing_days < 0:
        raise _fail(source, "processing_days phải ≥ 0.")
    documents = _expect(source, raw, "documents", list, top)
    optional_documents = _expect(source, raw, "optional_documents", list, top, [])
    if not all(isinstance(d, str) for d in [*documents, *optional_documents]):
        raise _fail(source, "documents và optional_documents phải là danh sách chuỗi.")
    by_id = {f.id: f for f in fields}
    version = _expect(source, raw, "version", (str, int), top, "1")
    fee, fee_schedule = parse_fee(source, "lệ phí của mẫu", raw.get("fee"), by_id)
    return FormDef(
        id=form_id,
        title=_expect(source, raw, "title", str, top),
        procedure=_expect(source, raw, "procedure", str, top),
        form_code=_expect(source, raw, "form_code", str, top),
        legal_basis=_expect(source, raw, "legal_basis", str, top),
        addressee=_expect(source, raw, "addressee", str, top),
        processing_days=processing_days,
        cutoff_applies=_expect(source, raw, "cutoff_applies", bool, top),
        fee=fee,
        fee_schedule=fee_schedule,
        documents=tuple(documents),
        roles=tuple(roles),
        fields=tuple(fields),
        notes=_expect(source, raw, "notes", str, top, ""),
        source=source,
        procedure_code=_expect(source, raw, "procedure_code", str, top, ""),
        version=str(version),
        rules=legal_rules.parse_rules(source, raw.get("rules", []), set(role_ids), by_id),
        cases=case_rules.parse_cases(source, raw.get("cases", []), by_id),
        optional_documents=tuple(optional_documents),
        canonical=canonical_content(raw),
    )


def canonical_content(raw: dict[str, Any]) -> str:
    """A form file's parsed content as canonical JSON (sorted keys, no spacing): the same law, the same hash."""
    return json.dumps(raw, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _parse_field(source: str, number: int, raw: Any, role_ids: set[str]) -> FieldDef:
    if not isinstance(raw, dict):
        raise _fail(source, f"trường thứ {number} phải là một bảng.")
    where = f"ở trường thứ {number} ({raw.get('id', '?')})"
    unknown = sorted(set(raw) - _FIELD_KEYS)
    if unknown:
        raise _fail(source, f"khoá không được hỗ trợ “{unknown[0]}” {where}.")
    field_type = _expect(source, raw, "type", str, where)
    if field_type not in FIELD_TYPES:
        raise _fail(source, f"kiểu “{field_type}” {where} không hợp lệ; dùng một trong: {', '.join(FIELD_TYPES)}.")
    role = _expect(source, raw, "role", str, where, "")
    if role and role not in role_ids:
        raise _fail(source, f"vai trò “{role}” {where} chưa được khai báo trong [[roles]].")
    prefill = _expect(source, raw, "prefill", str, where, "")
    if prefill and prefill not in PREFILL_SOURCES:
        raise _fail(source, f"prefill “{prefill}” {where} không hợp lệ; dùng một trong: {', '.join(PREFILL_SOURCES)}.")
    if prefill and not role:
        raise _fail(source, f"trường có prefill {where} phải thuộc một vai trò.")
    choices = _expect(source, raw, "choices", list, where, [])
    if field_type == "choice" and not choices:
        raise _fail(source, f"trường kiểu choice {where} cần danh sách choices.")
    pattern = _expect(source, raw, "pattern", str, where, "")
    try:
        re.compile(pattern)
    except re.error as exc:
        raise _fail(source, f"pattern {where} không phải biểu thức chính quy hợp lệ ({exc}).") from None
    return FieldDef(
        id=_expect(source, raw, "id", str, where),
        label=_expect(source, raw, "label", str, where),
        role=role,
        type=field_type,
        required=_expect(source, raw, "required", bool, where, False),
        choices=tuple(str(c) for c in choices),
        prefill=prefill,
        pattern=pattern,
        pattern_message=_expect(source, raw, "pattern_message", str, where, ""),
        max_length=_expect(source, raw, "max_length", int, where, 500),
        min=raw.get("min"),
        max=raw.get("max"),
        not_future=_expect(source, raw, "not_future", bool, where, False),
        help=_expect(source, raw, "help", str, where, ""),
    )


def _plain_strings(raw: Any, source: str, where: str = "") -> None:
    """Every string of a form file is plain text (line breaks allowed: labels and notes may wrap)."""
    if isinstance(raw, dict):
        for key, value in raw.items():
            _plain_strings(value, source, f"{where}.{key}" if where else str(key))
    elif isinstance(raw, list):
        for index, value in enumerate(raw):
            _plain_strings(value, source, f"{where}[{index}]")
    elif isinstance(raw, str):
        problem = text_problem(raw, multiline=True)
        if problem:
            raise _fail(source, f"khoá “{where}” {problem}.")


def load_form(path: Traversable) -> FormDef:
    """Load and validate one form file."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise _fail(path.name, f"không đọc được tệp ({exc}).") from None
    _plain_strings(raw, path.name)
    form = parse_form(raw, path.name)
    stem = path.name.removesuffix(".toml")
    if form.id != stem:
        raise _fail(path.name, f"id “{form.id}” phải trùng tên tệp “{stem}”.")
    return form


def shipped_forms() -> Traversable:
    """The standard forms shipped with the app (any *.toml in the repository's forms/)."""
    return files() / "forms"


def load_forms(directory: Path | Traversable | None = None) -> dict[str, FormDef]:
    """The shipped forms, then those of `directory` adding or replacing by id; file-name order."""
    forms: dict[str, FormDef] = {}
    for folder in (shipped_forms(), directory) if directory is not None else (shipped_forms(),):
        if not folder.is_dir():
            raise FormDefinitionError(f"{folder}: không tìm thấy thư mục mẫu tờ khai.")
        for path in sorted((p for p in folder.iterdir() if p.name.endswith(".toml")), key=lambda p: p.name):
            form = load_form(path)
            forms[form.id] = form
    return dict(sorted(forms.items()))


def search(forms: dict[str, FormDef], query: str) -> list[FormDef]:
    """Forms whose title or procedure matches `query`, ignoring diacritics and đ/Đ."""
    return [f for f in forms.values() if matches(query, f"{f.procedure} {f.title} {f.id}")]


def prefill_value(field_def: FieldDef, person: Identity) -> str:
    """The value a card scan puts into `field_def` (stored form: dates ISO)."""
    source = field_def.prefill
    if source == "birth_year":
        return str(person.birth_date.year)
    if source in ("birth_date", "issue_date"):
        value: date = getattr(person, source)
        return value.isoformat()
    if source == "id_document":
        return person.id_document
    return str(getattr(person, source))


def prefill(form: FormDef, role_id: str, person: Identity) -> dict[str, str]:
    """Field values that a scan of `person` in `role_id` fills."""
    return {f.id: prefill_value(f, person) for f in form.fields_of(role_id) if f.prefill}


def normalize_value(field_def: FieldDef, value: str) -> str:
    """Canonical stored form of a typed value (mojibake repaired; dates to ISO; whitespace trimmed)."""
    value = repair(value)
    value = " ".join(value.split()) if field_def.type != "longtext" else value.strip()
    if field_def.type == "date" and value:
        parsed = parse_date(value)
        return parsed.isoformat() if parsed else value
    return value


def display_value(field_def: FieldDef, value: str) -> str:
    """A stored value as a clerk reads it (dates as dd/mm/yyyy)."""
    if field_def.type == "date":
        parsed = parse_date(value)
        return f"{parsed:%d/%m/%Y}" if parsed else value
    return value


def parse_date(text: str) -> date | None:
    """A date typed as dd/mm/yyyy, dd-mm-yyyy, ddmmyyyy or ISO yyyy-mm-dd; None if not a real date."""
    text = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
        found = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text) or re.fullmatch(
            r"(\d{2})(\d{2})(\d{4})", text)
        if found:
            return date(int(found[3]), int(found[2]), int(found[1]))
    except ValueError:
        return None
    return None


def _plain_problem(value: str, multiline: bool = False) -> str | None:
    """A control or broken character in a typed or --set value, as a field's sentence."""
    problem = text_problem(value, multiline)
    return f"{problem[0].upper()}{problem[1:]}; chỉ nhận chữ, số và dấu câu." if problem else None


def field_error(field_def: FieldDef, value: str, today: date, typed: bool = True) -> str | None:
    """Why `value` is not acceptable for `field_def` (one Vietnamese sentence), or None.

    `typed` False: a value a counter saved already (sent with an event), neither repaired nor checked for mojibake.
    """
    if not value:
        return "Bắt buộc nhập." if field_def.required else None
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        return _plain_problem(value)
    value = repair(value) if typed else value
    problem = _plain_problem(value, multiline=field_def.type == "longtext")
    if problem:
        return problem
    if typed and looks_garbled(value):
        return "Có ký tự lạ do sai bảng mã (như “Ã”, “á»”); gõ lại theo giấy tờ."
    if len(value) > field_def.max_length:
        return f"Dài quá {field_def.max_length} ký tự."
    if field_def.type == "date":
        parsed = parse_date(value)
        if parsed is None:
            return "Ngày không hợp lệ (nhập dạng ngày/tháng/năm, ví dụ 05/09/2026)."
        if field_def.not_future and parsed > today:
            return "Ngày không được ở trong tương lai."
    elif field_def.type in ("year", "integer"):
        if not value.isdigit():
            return "Phải là số."
        number = int(value)
        low = field_def.min if field_def.min is not None else (1900 if field_def.type == "year" else None)
        high = field_def.max if field_def.max is not None else (today.year if field_def.type == "year" else None)
        if (low is not None and number < low) or (high is not None and number > high):
            return f"Phải nằm trong khoảng {low}–{high}."
    elif field_def.type == "choice" and value not in field_def.choices:
        return "Chọn một trong: " + ", ".join(field_def.choices) + "."
    elif field_def.type == "id_number" and not (len(value) == 12 and value.isdigit()):
        return "Số định danh cá nhân phải gồm 12 chữ số."
    elif field_def.type == "phone" and not re.fullmatch(r"0\d{9,10}", value.replace(" ", "")):
        return "Số điện thoại phải gồm 10–11 chữ số, bắt đầu bằng 0."
    if field_def.pattern and not re.fullmatch(field_def.pattern, value):
        return field_def.pattern_message or "Không đúng định dạng."
    return None


def validate(form: FormDef, values: dict[str, str], today: date) -> dict[str, str]:
    """Errors by field id for the whole form; unknown field ids are errors too."""
    errors = {key: "Mẫu tờ khai không có trường này." for key in values if key not in {f.id for f in form.fields}}
    for field_def in form.fields:
        problem = field_error(field_def, values.get(field_def.id, ""), today)
        if problem:
            errors[field_def.id] = problem
    return errors
