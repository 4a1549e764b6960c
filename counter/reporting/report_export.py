"""Report figures as text, CSV and XLSX: the same numbers and labels as the supervisor screens."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from counter.fees.report import FeeReport
from counter.fees.words import figures as money
from counter.reporting.fee_export import METHOD_LABELS, add_fee_sheets
from counter.reporting.figures import FIGURE_NAMES, FORMULA, RATE_NAMES, Report

FIGURE_LABELS: dict[str, str] = {
    "received": "Tiếp nhận trong kỳ",
    "carried_over": "Kỳ trước chuyển sang",
    "to_handle": "Cần xử lý",
    "finished": "Đã xử lý xong",
    "early": "  – trước hạn",
    "on_time": "  – đúng hạn",
    "late_finished": "  – trễ hạn",
    "returned": "Đã trả kết quả",
    "refused": "Từ chối",
    "withdrawn": "Công dân rút",
    "in_progress": "Đang xử lý",
    "late_in_progress": "  – trễ hạn (quá hạn)",
    "overdue": "Quá hạn",
    "rescheduled": "Đã hẹn lại",
    "outside_unit": "Công dân ngoài địa bàn",
    "on_time_rate": "Tỉ lệ đúng hạn",
    "digitised_components": "Hồ sơ có thành phần số hóa",
    "digitised_components_share": "  – tỉ lệ số hóa (trên tiếp nhận)",
    "reused_components": "Hồ sơ dùng lại bản số hóa",
    "reused_components_share": "  – tỉ lệ dùng lại (trên tiếp nhận)",
    "digitised_results": "Kết quả trả đã số hóa",
    "digitised_results_share": "  – tỉ lệ kết quả số hóa (trên đã trả)",
}
LABEL_WIDTH = max(len(label) for label in FIGURE_LABELS.values())
"""Labels are padded to this width so the values line up in text and on the supervisor screen."""
TEXT_ORDER = ("received", "carried_over", "to_handle", "finished", "early", "on_time", "late_finished",
              "returned", "refused", "withdrawn", "in_progress", "late_in_progress", "rescheduled",
              "outside_unit", "on_time_rate", "digitised_components", "digitised_components_share",
              "reused_components", "reused_components_share", "digitised_results", "digitised_results_share")


def percent(rate: float | None) -> str:
    """A rate as the screens show it: 93,5 % (Vietnamese decimal comma), or a dash."""
    return "—" if rate is None else f"{rate * 100:.1f} %".replace(".", ",")


def _title(report: Report) -> str:
    kind = "Ngày" if report.period.kind == "day" else "Tháng"
    label = report.period.start.strftime("%d/%m/%Y" if report.period.kind == "day" else "%m/%Y")
    return f"{kind} {label} (tính đến {report.as_of:%H:%M %d/%m/%Y})"


def table_rows(report: Report, titles: dict[str, str]) -> list[list[Any]]:
    """Rows [scope, key, title, figures…, fee_total] for the whole, each procedure and each clerk."""
    fees = report.fees or FeeReport(report.period.kind, report.period.label, report.period.start.date(),
                                    report.period.start.date())

    def taken(tallies: dict[str, Any], key: str) -> int:
        return tallies[key].amount if key in tallies else 0

    rows: list[list[Any]] = [["total", "", "Tổng", *_values(report.total.to_json()), fees.total]]
    rows += [["procedure", k, titles.get(k, k), *_values(v.to_json()), taken(fees.by_procedure, k)]
             for k, v in report.by_procedure.items()]
    rows += [["clerk", k, k, *_values(v.to_json()), taken(fees.by_clerk, k)] for k, v in report.by_clerk.items()]
    return rows


def fee_lines(fees: FeeReport, indent: str = "  ", width: int = 8) -> list[str]:
    """The fee totals of a period as the figures end with them (`width`: the column the amounts end in)."""
    methods = ", ".join(f"{METHOD_LABELS.get(key, key).lower()} {money(tally.amount)}"
                        for key, tally in sorted(fees.by_method.items()))
    rows = (("Phí, lệ phí đã thu", fees.total, f" ({methods})" if methods else ""),
            ("  – được miễn", fees.exempt.amount, f" ({fees.exempt.count} hồ sơ)"),
            ("  – chưa nộp", fees.unpaid.amount, f" ({fees.unpaid.count} hồ sơ)"))
    return [f"{indent}{label:<{LABEL_WIDTH}} {money(amount):>{width}}{note}" for label, amount, note in rows]


def _values(data: dict[str, Any]) -> list[Any]:
    return [data[name] for name in FIGURE_NAMES]


def to_text(report: Report, titles: dict[str, str]) -> str:
    """Human-readable figures with the formula, then one line per procedure and per clerk."""
    total = report.total.to_json()
    lines = [_title(report)]
    for name in TEXT_ORDER:
        value = percent(total[name]) if name in RATE_NAMES else total[name]
        lines.append(f"  {FIGURE_LABELS[name]:<{LABEL_WIDTH}} {value:>8}")
    lines.append(f"  {FORMULA}")
    if report.fees is not None:
        lines += fee_lines(report.fees)
    for heading, groups, names in (("Theo thủ tục", report.by_procedure, titles),
                                   ("Theo cán bộ tiếp nhận", report.by_clerk, {})):
        lines.append(heading)
        lines.append(f"  {'':<40} {'tiếp nhận':>9} {'xong':>6} {'trễ':>5} {'đang xử lý':>10} "
                     f"{'quá hạn':>8} {'đúng hạn':>9}")
        for key, figures in groups.items():
            lines.append(f"  {names.get(key, key)[:40]:<40} {figures.received:>9} {figures.finished:>6} "
                         f"{figures.late_finished:>5} {figures.in_progress:>10} {figures.overdue:>8} "
                         f"{percent(figures.on_time_rate):>9}")
    return "\n".join(lines)


CSV_BOM = "\ufeff"
"""Excel opens a CSV as UTF-8 (Vietnamese diacritics intact) only when it starts with this mark."""


def to_csv(report: Report, titles: dict[str, str]) -> str:
    """CSV with a UTF-8 BOM, one header line and one row per group (total, procedures, clerks)."""
    out = io.StringIO()
    out.write(CSV_BOM)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["scope", "key", "title", *FIGURE_NAMES, "fee_total"])
    writer.writerows(table_rows(report, titles))
    return out.getvalue()


def write_xlsx(report: Report, titles: dict[str, str], path: Path) -> None:
    """An Excel workbook: summary with the formula, then sheets by procedure and by clerk."""
    from openpyxl import Workbook

    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "Tổng hợp"
    summary.append([_title(report)])
    total = report.total.to_json()
    for name in TEXT_ORDER:
        summary.append([FIGURE_LABELS[name].strip(" –"), total[name]])
        if name in RATE_NAMES:
            summary.cell(summary.max_row, 2).number_format = "0.0%"
    if report.fees is not None:
        summary.append(["Phí, lệ phí đã thu (đ)", report.fees.total])
    summary.append([])
    summary.append([FORMULA])
    summary.column_dimensions["A"].width = 30
    header = ["Mã", "Tên", *(FIGURE_LABELS[n].strip(" –") for n in FIGURE_NAMES), "Phí, lệ phí đã thu (đ)"]
    rows = table_rows(report, titles)
    for sheet_title, scope in (("Theo thủ tục", "procedure"), ("Theo cán bộ", "clerk")):
        sheet = book.create_sheet(sheet_title)
        sheet.append(header)
        for row in rows:
            if row[0] == scope:
                sheet.append(row[1:])
                for name in RATE_NAMES:
                    sheet.cell(sheet.max_row, 3 + FIGURE_NAMES.index(name)).number_format = "0.0%"
        sheet.column_dimensions["B"].width = 40
    if report.fees is not None:
        add_fee_sheets(book, report.fees, titles)
    book.save(path)
