"""The amount a dossier owes: its schedule applied to pages, copies and the case, less any exemption."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from counter.errors import CounterError
from counter.fees import exemptions
from counter.fees.schedule import FeeSchedule, Tier, fee_key
from counter.fees.words import figures

CURRENCY = "VND"


class FeeRefused(CounterError):
    """A fee that cannot be computed: a province amount not set, a bad count, an exemption not allowed."""

    title = "Không tính được lệ phí"


class CountMissing(FeeRefused):
    """Pages or copies are not (yet) a positive whole number: nothing to compute from."""


@dataclass(frozen=True)
class FeeLine:
    """One line of the computation, e.g. pages 1–2 of 3 copies at 2.000 đ."""

    label: str
    quantity: int
    unit: str
    unit_amount: int
    amount: int


@dataclass(frozen=True)
class Fee:
    """What the citizen pays (`amount`) and how it was reached; `waived` is what an exemption took off."""

    amount: int
    name: str
    basis: str
    lines: tuple[FeeLine, ...]
    exempt: bool
    exempt_reason: str | None
    exemption: str | None
    """The category picked by the clerk (None: none, or exempt for everyone)."""
    waived: int

    def to_json(self) -> dict[str, Any]:
        """The `fee` object of the JSON views and of the `received` event."""
        return {"amount": self.amount, "currency": CURRENCY, "name": self.name, "basis": self.basis,
                "lines": [asdict(line) for line in self.lines], "exempt": self.exempt,
                "exempt_reason": self.exempt_reason, "exemption": self.exemption, "waived": self.waived}


def count(values: Mapping[str, str], field_id: str, label: str) -> int:
    """A positive whole count typed in a field (pages, copies), or FeeRefused."""
    text = str(values.get(field_id, "")).strip()
    if not text.isdigit() or int(text) < 1:
        raise CountMissing(f"{label} phải là số nguyên lớn hơn 0 (đang là “{text}”).")
    return int(text)


def _page_lines(schedule: FeeSchedule, pages: int, copies: int) -> tuple[FeeLine, ...]:
    """Tiered pages of each copy, or one capped line per copy when a copy's sum passes the cap."""
    ends = [t.from_page - 1 for t in schedule.tiers[1:]] + [pages]
    per_copy: list[tuple[Tier, int, int]] = []
    for tier, end in zip(schedule.tiers, ends, strict=True):
        last = min(end, pages)
        if last >= tier.from_page:
            per_copy.append((tier, tier.from_page, last))
    copy_sum = sum((last - first + 1) * tier.amount for tier, first, last in per_copy)
    if schedule.max_per_copy and copy_sum > schedule.max_per_copy:
        return (FeeLine(f"Mức tối đa mỗi bản ({pages} trang)", copies, "bản", schedule.max_per_copy,
                        schedule.max_per_copy * copies),)
    return tuple(
        FeeLine(f"Trang {first}–{last}" if last > first else f"Trang {first}", (last - first + 1) * copies,
                "trang", tier.amount, (last - first + 1) * copies * tier.amount)
        for tier, first, last in per_copy)


def _lines(schedule: FeeSchedule, values: Mapping[str, str], unit_amount: int) -> tuple[FeeLine, ...]:
    if schedule.per == "page":
        return _page_lines(schedule, count(values, schedule.pages, "Số trang"),
                           count(values, schedule.copies, "Số bản"))
    if schedule.per == "copy":
        copies = count(values, schedule.copies, "Số bản")
        return (FeeLine(schedule.name, copies, "bản", unit_amount, copies * unit_amount),)
    return (FeeLine(schedule.name, 1, "trường hợp", unit_amount, unit_amount),)


def unit_amount(schedule: FeeSchedule, province: Mapping[str, int], key: str, source: str) -> int:
    """The schedule's amount per case or copy; a province amount missing from [fees] is refused by its key."""
    if schedule.amount is not None:
        return schedule.amount
    if key not in province:
        raise FeeRefused(f"{source}: chưa đặt mức lệ phí [fees].\"{key}\" do Hội đồng nhân dân tỉnh quy định; "
                         "không tính được lệ phí.")
    return province[key]


def compute(schedule: FeeSchedule, values: Mapping[str, str], province: Mapping[str, int], key: str,
            exemption: str = "", source: str = "counter.toml") -> Fee:
    """The fee of a dossier with these values; `exemption` a category the clerk picked ("" none)."""
    if schedule.free:
        if exemption:
            raise FeeRefused(f"Thủ tục này được miễn lệ phí cho mọi người ({schedule.free}); không cần chọn diện miễn.")
        return Fee(0, schedule.name, schedule.basis, (), True, schedule.free, None, 0)
    picked = exemptions.category(exemption) if exemption else None
    if exemption and picked is None:
        raise FeeRefused(f"Không có diện miễn “{exemption}”; chọn một trong: {exemptions.choices()}.")
    if picked is not None and picked.id not in schedule.exemptions:
        raise FeeRefused(f"{schedule.name} không áp dụng miễn cho diện “{picked.label}”.")
    lines = _lines(schedule, values, unit_amount(schedule, province, key, source) if schedule.per != "page" else 0)
    total = sum(line.amount for line in lines)
    if picked is not None:
        reason = f"{picked.label} ({picked.basis})"
        return Fee(0, schedule.name, schedule.basis, lines, True, reason, picked.id, total)
    return Fee(total, schedule.name, schedule.basis, lines, False, None, None, 0)


def summary(fee: Fee) -> str:
    """The fee in one line for the form screen and receipts, e.g. "14.000 đ" or "Miễn (Người khuyết tật)"."""
    if fee.exempt:
        return f"Miễn lệ phí: {fee.exempt_reason}"
    return figures(fee.amount)


def fee_of(form_id: str, case_id: str, schedule: FeeSchedule | None, values: Mapping[str, str],
           province: Mapping[str, int], exemption: str = "", source: str = "counter.toml") -> Fee | None:
    """The fee of a dossier under its procedure (the form's or a case's schedule); None without a schedule."""
    if schedule is None:
        if exemption:
            raise FeeRefused("Thủ tục này chưa có biểu phí, lệ phí; không chọn được diện miễn.")
        return None
    return compute(schedule, values, province, fee_key(form_id, case_id), exemption, source)


def province_keys(forms: Mapping[str, Any]) -> set[str]:
    """The [fees] keys the forms ask the province for: fees and case fees with amount = "province"."""
    keys = set()
    for form in forms.values():
        if form.fee_schedule is not None and form.fee_schedule.amount is None:
            keys.add(fee_key(form.id))
        keys.update(fee_key(form.id, c.id) for c in form.cases
                    if c.fee_schedule is not None and c.fee_schedule.amount is None)
    return keys


def unknown_province_key(province: Mapping[str, int], forms: Mapping[str, Any]) -> str | None:
    """The first [fees] key that names no province-set fee of these forms (a typo), or None."""
    wanted = province_keys(forms)
    return next((key for key in sorted(province) if key not in wanted), None)
