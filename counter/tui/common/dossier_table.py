"""A table of dossiers (code, applicant, status, due date, procedure); Enter or a click opens one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rich.text import Text

from counter.citizens.idnumber import mask
from counter.law import lifecycle
from counter.law.forms import FormDef
from counter.tui.common.fitted import Cell, Column, FittedTable

WITH_APPLICANT = (Column("Mã hồ sơ", keep=True), Column("Người nộp", keep=True), Column("Trạng thái", keep=True),
                  Column("Hẹn trả"), Column("Thủ tục"))
"""Code, name and status stay whole at 80 columns; the due date and the procedure are shortened."""
WITHOUT_APPLICANT = tuple(c for c in WITH_APPLICANT if c.label != "Người nộp")


def due_cell(due: Any, style: str = "") -> Cell:
    """A due date in full, or without the year when the table is narrow."""
    return (Text(f"{due:%d/%m/%Y %H:%M}", style=style), Text(f"{due:%d/%m %H:%M}", style=style))


class DossierTable(FittedTable):
    """Dossier rows keyed by code; the owning screen handles DataTable.RowSelected."""

    def __init__(self, *, id: str | None = None, show_applicant: bool = True) -> None:
        self.COLUMNS = WITH_APPLICANT if show_applicant else WITHOUT_APPLICANT
        super().__init__(id=id)
        self.show_applicant = show_applicant

    def show(self, dossiers: Iterable[Any], forms: Mapping[str, FormDef], now: Any = None) -> None:
        """Replace the rows with `dossiers` (rows of the dossier table)."""
        rows = []
        for dossier in dossiers:
            form = forms.get(dossier.form_id)
            status = lifecycle.label(dossier.status)
            late = now is not None and dossier.status in lifecycle.OPEN and now > dossier.due_at
            cells: list[Cell] = [dossier.code]
            if self.show_applicant:
                cells.append((f"{dossier.applicant_name} ({mask(dossier.applicant_id_number)})",
                              dossier.applicant_name))
            cells += [Text(f"{status} · quá hạn", style="bold red") if late else status, due_cell(dossier.due_at),
                      form.procedure if form else dossier.form_id]
            rows.append((dossier.code, cells))
        self.set_rows(rows)
