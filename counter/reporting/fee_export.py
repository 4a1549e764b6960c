"""The fee report as text, CSV (with a BOM, for Excel) and XLSX."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from counter.fees.report import FeeReport, Tally
from counter.fees.words import figures

METHOD_LABELS = {"cash": "Tiền mặt", "transfer": "Chuyển khoản"}


def rows(report: FeeReport, titles: dict[str, str]) -> list[list[str | int]]:
    """One row per figure: section, key, label, count, amount."""
    out: list[list[str | int]] = [
        ["total", "", "Tổng thu (đã trừ hoàn trả)", report.paid.count - report.refunded.count, report.total],
        ["paid", "", "Đã thu", report.paid.count, report.paid.amount],
        ["refunded", "", "Đã hoàn trả", report.refunded.count, report.refunded.amount],
        ["exempt", "", "Được miễn (số tiền miễn)", report.exempt.count, report.exempt.amount],
        ["unpaid", "", "Chưa nộp", report.unpaid.count, report.unpaid.amount],
    ]
    sections: tuple[tuple[str, dict[str, Tally], dict[str, str]], ...] = (
        ("by_method", report.by_method, METHOD_LABELS), ("by_procedure", report.by_procedure, titles),
        ("by_clerk", report.by_clerk, {}))
    for section, tallies, labels in sections:
        out += [[section, key, labels.get(key, key), tallies[key].count, tallies[key].amount]
                for key in sorted(tallies)]
    out += [["daily", day, day, "", amount] for day, amount in sorted(report.daily.items())]
    return out


def to_csv(report: FeeReport, titles: dict[str, str]) -> str:
    """CSV starting with a UTF-8 BOM so Excel shows the diacritics."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["section", "key", "label", "count", "amount"])
    writer.writerows(rows(report, titles))
    return "\ufeff" + buffer.getvalue()


def to_text(report: FeeReport, titles: dict[str, str]) -> str:
    """The report as a clerk reads it on a terminal."""
    lines = [f"PHÍ, LỆ PHÍ {'NGÀY' if report.kind == 'day' else 'THÁNG'} {report.label}"]
    for section, key, label, count, amount in rows(report, titles):
        if section == "daily":
            continue
        indent = "  " if key else ""
        lines.append(f"{indent}{label}: {figures(int(amount))} ({count})")
    if report.unpaid_codes:
        lines.append("Hồ sơ chưa nộp: " + ", ".join(report.unpaid_codes))
    return "\n".join(lines)


def write_xlsx(report: FeeReport, titles: dict[str, str], path: Path) -> None:
    """An Excel workbook: the figures, then the takings of each day."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Phí, lệ phí"
    sheet.append(["Mục", "Mã", "Tên", "Số lượng", "Số tiền (đ)"])
    for row in rows(report, titles):
        if row[0] != "daily":
            sheet.append(row)
    days = book.create_sheet("Theo ngày")
    days.append(["Ngày", "Số tiền (đ)"])
    for day, amount in sorted(report.daily.items()):
        days.append([day, amount])
    sheet.column_dimensions["C"].width = 40
    book.save(path)
