"""`[queue]` of counter.toml: ticket groups (a letter each) and the procedures (form ids) each serves."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from counter.errors import ConfigError

GROUP_ID = re.compile(r"^[A-Z]$")


@dataclass(frozen=True)
class TicketGroup:
    """One line of the queue: its letter, its name on the ticket and the display, its procedures."""

    id: str
    name: str
    forms: tuple[str, ...] = ()


DEFAULT_GROUPS = (
    TicketGroup("A", "Hộ tịch", ("khai-sinh", "ket-hon", "khai-tu", "nhan-cha-me-con", "xac-nhan-tinh-trang-hon-nhan",
                                 "trich-luc-ho-tich")),
    TicketGroup("B", "Chứng thực", ("chung-thuc-ban-sao", "chung-thuc-chu-ky")),
    TicketGroup("C", "Cư trú và thủ tục khác", ("thay-doi-cu-tru",)),
)
"""The groups of the shipped counter.toml (the same values apply without any file)."""


@dataclass(frozen=True)
class QueueConfig:
    """The ticket groups and the one a ticket goes to when no group is named."""

    groups: dict[str, TicketGroup] = field(default_factory=lambda: {g.id: g for g in DEFAULT_GROUPS})
    default_group: str = "A"

    def group_of_form(self, form_id: str) -> str:
        """The group whose procedures include `form_id` (the default group when none lists it)."""
        return next((g.id for g in self.groups.values() if form_id in g.forms), self.default_group)


def _group(source: str, group_id: str, table: Any) -> TicketGroup:
    where = f"{source}: khoá [queue.groups.{group_id}]"
    if not GROUP_ID.match(group_id):
        raise ConfigError(f"{where} không hợp lệ: tên nhóm là một chữ cái in hoa (A–Z).")
    if not isinstance(table, dict) or set(table) - {"name", "forms"}:
        raise ConfigError(f"{where} không hợp lệ: chỉ có name và forms.")
    name, forms = table.get("name", ""), table.get("forms", [])
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{where}.name không hợp lệ: cần tên nhóm không rỗng.")
    if not isinstance(forms, list) or not all(isinstance(f, str) and f for f in forms):
        raise ConfigError(f"{where}.forms không hợp lệ: cần danh sách id mẫu tờ khai.")
    return TicketGroup(group_id, name.strip(), tuple(forms))


def parse_queue(source: str, table: dict[str, Any]) -> QueueConfig:
    """Validate `[queue]`; every refusal names the file and the key."""
    unknown = sorted(set(table) - {"groups", "default_group"})
    if unknown:
        raise ConfigError(f"{source}: khoá không được hỗ trợ [queue].{unknown[0]}.")
    if "groups" not in table:
        default = QueueConfig()
        groups = default.groups
    else:
        raw = table["groups"]
        if not isinstance(raw, dict) or not raw:
            raise ConfigError(f"{source}: khoá [queue].groups không hợp lệ: cần ít nhất một nhóm.")
        groups = {key: _group(source, key, value) for key, value in raw.items()}
    default_group = table.get("default_group", next(iter(groups)))
    if default_group not in groups:
        raise ConfigError(f"{source}: khoá [queue].default_group không hợp lệ: cần một nhóm trong "
                          f"{', '.join(groups)}.")
    return QueueConfig(groups, default_group)
