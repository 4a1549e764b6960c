"""The fee report as text, CSV (with a BOM, for Excel) and XLSX."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

from counter.fees.report import FeeReport, Tally
from counter.fees.words import figures

METHOD_LABELS = {"cash": "Tiền mặt", "transfer": "Chuyển khoản"}
WEEKDAYS = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")
CHART_TITLE = "Thu theo ngày (đã trừ hoàn trả):"
BAR_WIDTH = 36
"""Columns of the longest bar of the daily takings chart (fits 80 columns with the day and the amount)."""


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
    """The fee figures as CSV (the command adds the BOM Excel needs: counter.cli.common.csv_bom)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["section", "key", "label", "count", "amount"])
    writer.writerows(rows(report, titles))
    return buffer.getvalue()


def figure_lines(report: FeeReport, titles: dict[str, str]) -> list[str]:
    """The figures as text lines: totals, by method, procedure and clerk, and the unpaid dossiers."""
    lines = []
    for section, key, label, count, amount in rows(report, titles):
        if section == "daily":
            continue
        indent = "  " if key else ""
        lines.append(f"{indent}{label}: {figures(int(amount))} ({count})")
    if report.unpaid_codes:
        lines.append("Hồ sơ chưa nộp: " + ", ".join(report.unpaid_codes))
    return lines


def to_text(report: FeeReport, titles: dict[str, str]) -> str:
    """The report as a clerk reads it on a terminal; a month ends with its chart of daily takings."""
    lines = [f"PHÍ, LỆ PHÍ {'NGÀY' if report.kind == 'day' else 'THÁNG'} {report.label}", *figure_lines(report, titles)]
    if report.kind == "month":
        lines += ["", CHART_TITLE, *daily_chart(report)]
    return "\n".join(lines)


def daily_chart(report: FeeReport, width: int = BAR_WIDTH) -> list[str]:
    """One line per day of the period: the day, a bar as long as its takings against the best day, the amount."""
    best = max([amount for amount in report.daily.values()] + [1])
    out = []
    for day, amount in sorted(report.daily.items()):
        bar = "█" * max(1, round(width * amount / best)) if amount > 0 else "·"
        weekday = WEEKDAYS[date.fromisoformat(day).weekday()]
        out.append(f"{weekday} {day[8:10]}/{day[5:7]} {bar:<{width}} {figures(amount):>13}")
    return out


def add_fee_sheets(book: Any, report: FeeReport, titles: dict[str, str]) -> None:
    """Two sheets in an openpyxl workbook: the fee figures, and the takings of each day with a bar chart."""
    from openpyxl.chart import BarChart, Reference

    sheet = book.create_sheet("Phí, lệ phí")
    sheet.append(["Mục", "Mã", "Tên", "Số lượng", "Số tiền (đ)"])
    for row in rows(report, titles):
        if row[0] != "daily":
            sheet.append(row)
    sheet.column_dimensions["C"].width = 40
    days = book.create_sheet("Thu theo ngày")
    days.append(["Ngày", "Số tiền (đ)"])
    for day, amount in sorted(report.daily.items()):
        days.append([date.fromisoformat(day), amount])
        days.cell(days.max_row, 1).number_format = "dd/mm/yyyy"
    days.column_dimensions["A"].width = 12
    chart = BarChart()
    chart.title, chart.y_axis.title, chart.legend = f"Thu phí, lệ phí theo ngày {report.label}", "đồng", None
    chart.add_data(Reference(days, min_col=2, min_row=1, max_row=days.max_row), titles_from_data=True)
    chart.set_categories(Reference(days, min_col=1, min_row=2, max_row=days.max_row))
    chart.width, chart.height = 24, 10
    days.add_chart(chart, "D2")


def write_xlsx(report: FeeReport, titles: dict[str, str], path: Path) -> None:
    """An Excel workbook: the figures, then the takings of each day with their chart."""
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    add_fee_sheets(book, report, titles)
    book.save(path)
