"""What resolving an address gives: its detail, its status, today's unit (or the candidates)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

EXACT = "exact"
AMBIGUOUS = "ambiguous"
UNKNOWN = "unknown"
STATUSES = (EXACT, AMBIGUOUS, UNKNOWN)


@dataclass(frozen=True)
class Unit:
    """A current ward (xã, phường or đặc khu) and its province, by the dataset's integer codes."""

    ward: str
    ward_code: int
    province: str
    province_code: int

    @property
    def label(self) -> str:
        """"Xã Lâm Thao, Tỉnh Phú Thọ"."""
        return f"{self.ward}, {self.province}"

    def to_json(self) -> dict[str, Any]:
        """The JSON object of `counter address normalize --json`."""
        return {"ward": self.ward, "ward_code": self.ward_code, "province": self.province,
                "province_code": self.province_code}


@dataclass(frozen=True)
class LegacyUnits:
    """The three-level unit the text named before July 2025."""

    ward: str
    ward_code: int
    district: str
    district_code: int
    province: str
    province_code: int

    def to_json(self) -> dict[str, Any]:
        """The `legacy` object of the JSON output."""
        return {"ward": self.ward, "ward_code": self.ward_code, "district": self.district,
                "district_code": self.district_code, "province": self.province, "province_code": self.province_code}


@dataclass(frozen=True)
class Resolution:
    """One address resolved against the national table; `formatted` is empty unless exact."""

    input: str
    detail: str
    status: str
    legacy: LegacyUnits | None
    current: Unit | None
    candidates: tuple[Unit, ...]
    data_version: str

    @property
    def formatted(self) -> str:
        """The address as printed today: "Khu 6, Xã Lâm Thao, Tỉnh Phú Thọ" ("" unless exact)."""
        return format_address(self.detail, self.current) if self.current is not None else ""

    def to_json(self) -> dict[str, Any]:
        """One line of `counter address normalize --json`."""
        return {
            "input": self.input, "detail": self.detail, "status": self.status,
            "legacy": self.legacy.to_json() if self.legacy else None,
            "current": self.current.to_json() if self.current else None,
            "candidates": [c.to_json() for c in self.candidates], "formatted": self.formatted,
            "data_version": self.data_version,
        }

    def choose(self, unit: Unit) -> Resolution:
        """The same address settled by the clerk on `unit` (one of the candidates or a picked ward)."""
        return Resolution(self.input, self.detail, EXACT, self.legacy, unit, self.candidates, self.data_version)


def format_address(detail: str, unit: Unit) -> str:
    """Detail, ward and province joined the way today's papers print them."""
    return ", ".join(part for part in (detail, unit.ward, unit.province) if part)
