"""Blocks every commune document starts with: the unit and national-motto header."""

from __future__ import annotations

from counter.config import UnitConfig
from counter.documents.model import Columns, Text

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
ONE_STOP = "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ"
HEADER = 0.8


def header(unit: UnitConfig, office: str = ONE_STOP) -> Columns:
    """Unit (province, commune, office) on the left; the national motto on the right."""
    left = [Text(unit.province.upper(), size=HEADER, align="C"), Text(unit.name.upper(), "B", "C", HEADER)]
    if office == ONE_STOP:
        left += [Text("BỘ PHẬN TIẾP NHẬN", "B", "C", HEADER), Text("VÀ TRẢ KẾT QUẢ", "B", "C", HEADER)]
    elif office:
        left.append(Text(office, "B", "C", HEADER))
    right = (Text(MOTTO[0], "B", "C", HEADER), Text(MOTTO[1], "B", "C", HEADER))
    return Columns(tuple(left), right)


def motto() -> Columns:
    """Only the national motto, centred across the page (declaration forms)."""
    return Columns((), (Text(MOTTO[0], "B", "C"), Text(MOTTO[1], "B", "C")))
