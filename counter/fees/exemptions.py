"""Who is exempt from a fee: the categories of the Law on Civil Status, art. 11, as data.

A clerk picks a category for the citizen; a fee allows only the categories its form lists (a
certification fee allows none). Cases exempt for everyone (a birth or death registered on time, a
marriage in Vietnam, guardianship) are not picked: the form's schedule says `free` and the amount is 0.
"""

from __future__ import annotations

from dataclasses import dataclass

CIVIL_STATUS_LAW = "Luật Hộ tịch 2014, Điều 11"


@dataclass(frozen=True)
class Category:
    """One exemption category a clerk may pick."""

    id: str
    label: str
    basis: str


CATEGORIES: dict[str, Category] = {c.id: c for c in (
    Category("nguoi-co-cong", "Người thuộc gia đình có công với cách mạng", CIVIL_STATUS_LAW),
    Category("ho-ngheo", "Người thuộc hộ nghèo", CIVIL_STATUS_LAW),
    Category("khuyet-tat", "Người khuyết tật", CIVIL_STATUS_LAW),
)}


def category(category_id: str) -> Category | None:
    """The category with this id, or None."""
    return CATEGORIES.get(category_id)


def choices() -> str:
    """The category ids, for help texts and refusals."""
    return ", ".join(CATEGORIES)
