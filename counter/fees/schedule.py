"""A form's fee schedule, declared as data in its TOML file (`fee` table, or `fee` of a case).

    [fee]
    text = "2.000 đ/trang; từ trang thứ 3: 1.000 đ/trang; tối đa 200.000 đ/bản"
    name = "Phí chứng thực bản sao từ bản chính"
    basis = "Thông tư 226/2016/TT-BTC, Điều 4"
    per = "page"                      # "case", "copy" or "page" (each page of each copy)
    tiers = [{ from_page = 1, amount = 2000 }, { from_page = 3, amount = 1000 }]
    max_per_copy = 200000
    pages = "pages"                   # the integer field with the pages of one copy
    copies = "copies"                 # the integer field with the number of copies

`amount` is a whole number of đồng, or "province" for an amount the provincial council sets (counter.toml
`[fees]`, keyed by form id or "form-id/case-id"); `free` says why everyone is exempt; `exemptions` lists
the categories (counter.fees.exemptions) a clerk may pick. A fee that is only a sentence (older forms)
has no schedule: nothing is computed for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from counter.errors import FormDefinitionError
from counter.fees import exemptions

if TYPE_CHECKING:
    from counter.law.forms import FieldDef

PER = ("case", "copy", "page")
PROVINCE = "province"
_KEYS = {"text", "name", "basis", "per", "amount", "tiers", "max_per_copy", "pages", "copies", "exemptions", "free"}
_TIER_KEYS = {"from_page", "amount"}
MAX_AMOUNT = 100_000_000
"""Largest amount of one unit of a schedule (đồng); more is a typo."""


@dataclass(frozen=True)
class Tier:
    """From this page of a copy on, each page costs `amount`."""

    from_page: int
    amount: int


@dataclass(frozen=True)
class FeeSchedule:
    """How a procedure's fee is computed."""

    text: str
    name: str
    basis: str
    per: str = "case"
    amount: int | None = 0
    """Per case or per copy; None: set by the province in counter.toml [fees]."""
    tiers: tuple[Tier, ...] = ()
    max_per_copy: int = 0
    """Cap of one copy's amount (per = "page"); 0: none."""
    pages: str = ""
    copies: str = ""
    exemptions: tuple[str, ...] = ()
    free: str = ""
    """Why everyone is exempt (e.g. a birth registered on time); "" when the fee is charged."""


def _problem(source: str, where: str, text: str) -> FormDefinitionError:
    return FormDefinitionError(f"{source}: {where}: {text}")


def _whole(value: Any, low: int = 0) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= MAX_AMOUNT


def parse_fee(source: str, where: str, raw: Any, fields: Mapping[str, FieldDef]) -> tuple[str, FeeSchedule | None]:
    """The fee sentence and schedule of a form or case (`raw` a sentence: no schedule)."""
    if isinstance(raw, str):
        return raw, None
    if not isinstance(raw, dict):
        raise _problem(source, where, "fee phải là một câu hoặc một bảng [fee].")
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise _problem(source, where, f"khoá không được hỗ trợ “fee.{unknown[0]}”.")
    for key in ("text", "name", "basis"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise _problem(source, where, f"fee.{key} phải là chuỗi không rỗng.")
    per = raw.get("per", "case")
    if per not in PER:
        raise _problem(source, where, f"fee.per phải là một trong: {', '.join(PER)}.")
    schedule = FeeSchedule(
        text=raw["text"], name=raw["name"], basis=raw["basis"], per=per, amount=_amount(source, where, raw),
        tiers=_tiers(source, where, raw.get("tiers", []), per), max_per_copy=_cap(source, where, raw),
        pages=_field_ref(source, where, raw, "pages", fields, per == "page"),
        copies=_field_ref(source, where, raw, "copies", fields, per in ("copy", "page")),
        exemptions=_exemptions(source, where, raw.get("exemptions", [])),
        free=_free(source, where, raw),
    )
    return schedule.text, schedule


def _amount(source: str, where: str, raw: dict[str, Any]) -> int | None:
    value = raw.get("amount", 0)
    if value == PROVINCE:
        return None
    if not _whole(value):
        raise _problem(source, where, f"fee.amount phải là số nguyên đồng từ 0 đến {MAX_AMOUNT} hoặc \"province\".")
    if raw.get("per") == "page" and "amount" in raw:
        raise _problem(source, where, "fee.amount không dùng khi per = \"page\"; dùng fee.tiers.")
    return int(value)


def _tiers(source: str, where: str, raw: Any, per: str) -> tuple[Tier, ...]:
    if per != "page":
        if raw:
            raise _problem(source, where, "fee.tiers chỉ dùng khi per = \"page\".")
        return ()
    if not isinstance(raw, list) or not raw:
        raise _problem(source, where, "fee.tiers phải là danh sách bảng {from_page, amount}.")
    tiers = []
    for number, tier in enumerate(raw, 1):
        if not isinstance(tier, dict) or set(tier) != _TIER_KEYS:
            raise _problem(source, where, f"bậc thứ {number} của fee.tiers phải là bảng {{from_page, amount}}.")
        if not _whole(tier["from_page"], 1) or not _whole(tier["amount"]):
            raise _problem(source, where, f"bậc thứ {number} của fee.tiers cần from_page và amount là số nguyên.")
        tiers.append(Tier(tier["from_page"], tier["amount"]))
    starts = [t.from_page for t in tiers]
    if starts[0] != 1 or starts != sorted(set(starts)):
        raise _problem(source, where, "fee.tiers phải bắt đầu từ trang 1 và tăng dần.")
    return tuple(tiers)


def _cap(source: str, where: str, raw: dict[str, Any]) -> int:
    cap = raw.get("max_per_copy", 0)
    if not _whole(cap) or (cap and raw.get("per") != "page"):
        raise _problem(source, where, "fee.max_per_copy phải là số nguyên đồng và chỉ dùng khi per = \"page\".")
    return int(cap)


def _field_ref(source: str, where: str, raw: dict[str, Any], key: str, fields: Mapping[str, FieldDef],
               needed: bool) -> str:
    ref = raw.get(key, "")
    if not needed:
        if ref:
            raise _problem(source, where, f"fee.{key} không dùng với per = \"{raw.get('per', 'case')}\".")
        return ""
    if not isinstance(ref, str) or ref not in fields or fields[ref].type != "integer" or not fields[ref].required:
        raise _problem(source, where, f"fee.{key} phải là id của một trường kiểu integer bắt buộc.")
    return ref


def _exemptions(source: str, where: str, raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(c, str) for c in raw):
        raise _problem(source, where, "fee.exemptions phải là danh sách mã diện miễn.")
    unknown = [c for c in raw if exemptions.category(c) is None]
    if unknown:
        raise _problem(source, where, f"diện miễn “{unknown[0]}” không có; dùng: {exemptions.choices()}.")
    return tuple(raw)


def _free(source: str, where: str, raw: dict[str, Any]) -> str:
    free = raw.get("free", "")
    if not isinstance(free, str):
        raise _problem(source, where, "fee.free phải là một câu.")
    if free and (raw.get("amount", 0) != 0 or raw.get("exemptions")):
        raise _problem(source, where, "fee.free (miễn cho mọi người) không đi cùng amount hoặc exemptions.")
    return free


def fee_key(form_id: str, case_id: str = "") -> str:
    """The counter.toml [fees] key of a form's fee, or of one of its cases ("form-id/case-id")."""
    return f"{form_id}/{case_id}" if case_id else form_id
