"""Dossier statuses and the transitions allowed between them (research/domain.md §4.4)."""

from __future__ import annotations

RECEIVED = "received"
PROCESSING = "processing"
NEED_SUPPLEMENT = "need_supplement"
DONE = "done"
RETURNED = "returned"
REFUSED = "refused"
WITHDRAWN = "withdrawn"
SUSPENDED = "suspended"

STATUS_LABELS: dict[str, str] = {
    RECEIVED: "Đã tiếp nhận",
    PROCESSING: "Đang xử lý",
    NEED_SUPPLEMENT: "Chờ bổ sung",
    DONE: "Đã xử lý xong",
    RETURNED: "Đã trả kết quả",
    REFUSED: "Từ chối",
    WITHDRAWN: "Công dân rút",
    SUSPENDED: "Dừng xử lý",
}

TRANSITIONS: dict[str, frozenset[str]] = {
    RECEIVED: frozenset({PROCESSING, NEED_SUPPLEMENT, DONE, REFUSED, WITHDRAWN, SUSPENDED}),
    PROCESSING: frozenset({NEED_SUPPLEMENT, DONE, REFUSED, WITHDRAWN, SUSPENDED}),
    NEED_SUPPLEMENT: frozenset({PROCESSING, REFUSED, WITHDRAWN, SUSPENDED}),
    DONE: frozenset({RETURNED}),
    SUSPENDED: frozenset({PROCESSING, WITHDRAWN}),
    RETURNED: frozenset(),
    REFUSED: frozenset(),
    WITHDRAWN: frozenset(),
}

FINISHED = frozenset({DONE, RETURNED})
"""Statuses in which the result is ready: lateness is judged at the moment of finishing."""
CLOSED = frozenset({RETURNED, REFUSED, WITHDRAWN})
"""Statuses after which nothing more happens."""
OPEN = frozenset(STATUS_LABELS) - FINISHED - CLOSED
"""Statuses still being worked on (they can become overdue)."""
REASON_REQUIRED = frozenset({NEED_SUPPLEMENT, REFUSED, SUSPENDED})
"""Statuses whose slip must state a reason (phiếu yêu cầu bổ sung, phiếu từ chối, dừng xử lý)."""


def label(status: str) -> str:
    """Vietnamese label of a status."""
    return STATUS_LABELS.get(status, status)


def transition_error(current: str, target: str) -> str | None:
    """Why the dossier cannot go from `current` to `target` (Vietnamese), or None when allowed."""
    if target not in STATUS_LABELS:
        return f"Trạng thái “{target}” không tồn tại; dùng một trong: {', '.join(STATUS_LABELS)}."
    if target == current:
        return f"Hồ sơ đã ở trạng thái “{label(current)}”."
    if target not in TRANSITIONS.get(current, frozenset()):
        allowed = ", ".join(f"“{label(s)}”" for s in sorted(TRANSITIONS.get(current, frozenset())))
        then = f"; từ trạng thái này chỉ chuyển được sang {allowed}" if allowed else "; hồ sơ đã kết thúc"
        return f"Không thể chuyển hồ sơ từ “{label(current)}” sang “{label(target)}”{then}."
    return None
