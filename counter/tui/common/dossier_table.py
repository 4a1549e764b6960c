"""A table of dossiers (code, status, due date, procedure, applicant); Enter or a click opens one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from textual.widgets import DataTable

from counter.citizens.idnumber import mask
from counter.law import lifecycle
from counter.law.forms import FormDef

COLUMNS = ("Mã hồ sơ", "Trạng thái", "Hẹn trả", "Thủ tục", "Người nộp")
"""Most useful first, so that a narrow terminal still shows status and due date."""


class DossierTable(DataTable[str]):
    """Dossier rows keyed by code; the owning screen handles DataTable.RowSelected."""

    def __init__(self, *, id: str | None = None, show_applicant: bool = True) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.show_applicant = show_applicant

    def on_mount(self) -> None:
        """Declare the columns."""
        for column in COLUMNS:
            if column != "Người nộp" or self.show_applicant:
                self.add_column(column, key=column)

    def show(self, dossiers: Iterable[Any], forms: Mapping[str, FormDef], now: Any = None) -> None:
        """Replace the rows with `dossiers` (rows of the dossier table)."""
        self.clear()
        for dossier in dossiers:
            form = forms.get(dossier.form_id)
            status = lifecycle.label(dossier.status)
            late = now is not None and dossier.status in lifecycle.OPEN and now > dossier.due_at
            cells = [dossier.code, f"[b red]{status} · quá hạn[/]" if late else status,
                     f"{dossier.due_at:%d/%m/%Y %H:%M}", form.procedure if form else dossier.form_id]
            if self.show_applicant:
                cells.append(f"{dossier.applicant_name} ({mask(dossier.applicant_id_number)})")
            self.add_row(*cells, key=dossier.code)

    @property
    def selected_code(self) -> str | None:
        """The code of the row under the cursor."""
        if self.row_count == 0:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
