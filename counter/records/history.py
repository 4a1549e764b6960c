"""A dossier's events as lines of its history, in Vietnamese: what happened, to what, and why."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from counter.fees.words import METHOD_LABELS, figures
from counter.law import lifecycle
from counter.law.forms import FormDef
from counter.ratings.levels import LEVELS

EVENT_LABELS = {
    "received": "Tiếp nhận", "field_corrected": "Sửa thông tin", "status_changed": "Chuyển trạng thái",
    "rescheduled": "Hẹn lại ngày trả", "handed_over": "Chuyển hồ sơ sang quầy khác",
    "attachment_added": "Đính kèm bản số hóa", "attachment_removed": "Gỡ tệp đính kèm",
    "fee_paid": "Nộp phí, lệ phí", "fee_refunded": "Hoàn trả phí, lệ phí", "rated": "Công dân đánh giá",
}


def event_summary(event_type: str, payload: dict[str, Any]) -> str:
    """One line saying what an event did ("Chuyển trạng thái: Đã xử lý xong"), without who or when."""
    label = EVENT_LABELS.get(event_type, event_type)
    detail = _detail(event_type, payload)
    return f"{label}: {detail}" if detail else label


def _detail(event_type: str, payload: dict[str, Any]) -> str:
    """The object of the event: the new status, the new day, the counter, the file, the amount."""
    if event_type == "status_changed":
        target = lifecycle.label(str(payload.get("to", "")))
        receiver = str(payload.get("receiver", "")).strip()
        return f"{target} (người nhận: {receiver})" if receiver else target
    if event_type == "rescheduled":
        day = str(payload.get("new_due_at", ""))
        return f"{day[8:10]}/{day[5:7]}/{day[:4]}" if len(day) >= 10 else ""
    if event_type == "handed_over":
        return f"quầy {payload.get('to', '')}"
    if event_type in ("attachment_added", "attachment_removed"):
        return str(payload.get("title", ""))
    if event_type in ("fee_paid", "fee_refunded") and isinstance(payload.get("amount"), int):
        method = METHOD_LABELS.get(str(payload.get("method", "")), "")
        return f"{figures(payload['amount'])}" + (f", {method.lower()}" if method else "")
    if event_type == "rated":
        level = payload.get("level")
        return LEVELS.get(level, "") if isinstance(level, int) else ""
    return ""


def history_lines(events: list[dict[str, Any]], field_label: Callable[[str], str]) -> list[str]:
    """The history of a dossier as plain lines (events as `detail_json` gives them, oldest first): when,
    what, who and where, then each changed field and the reason, indented."""
    lines = []
    for event in events:
        unsent = "" if event["synced"] else " (chưa gửi)"
        lines.append(f"{datetime.fromisoformat(event['at']):%H:%M %d/%m/%Y}  {event['summary']} — "
                     f"{event['clerk']}, quầy {event['counter']}{unsent}")
        lines += [f"    {field_label(field_id)}: {change['old'] or '(trống)'} → {change['new']}"
                  for field_id, change in event.get("changes", {}).items()]
        if event["reason"]:
            lines.append(f"    Lý do: {event['reason']}")
    return lines


def field_label(form: FormDef | None) -> Callable[[str], str]:
    """A field's label in `form` (the id itself for a field the form no longer has, or with no form)."""
    known = {field.id: field.label for field in form.fields} if form is not None else {}
    return lambda field_id: known.get(field_id, field_id)
