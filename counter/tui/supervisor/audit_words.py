"""Audit-log codes (kept in English in the database and the CLI) as a supervisor reads them on screen."""

from __future__ import annotations

from counter.law import lifecycle

ACTIONS = {
    "view": "Xem", "create": "Tiếp nhận hồ sơ", "reschedule": "Hẹn lại ngày trả", "search": "Tìm kiếm",
    "sign_in": "Đăng nhập", "sign_in_failed": "Đăng nhập sai mã PIN", "sign_in_locked": "Tài khoản bị tạm khoá",
    "user_add": "Thêm tài khoản", "user_pin": "Đổi mã PIN", "export": "Xuất số liệu", "rebuild": "Dựng lại dữ liệu",
    "print": "In / lưu PDF", "print-failed": "In không được", "return": "Trả kết quả",
}
"""Known actions; an action not listed (added later) is shown as its code."""
SUBJECTS = {
    "dossier": "Hồ sơ", "citizen": "Công dân", "queue": "Hàng đợi", "report": "Số liệu", "clerk": "Tài khoản",
    "database": "Dữ liệu",
}
"""Known kinds of subject; others are shown as their code."""


def action_label(action: str) -> str:
    """An action code in Vietnamese ("status:done" becomes "Chuyển trạng thái: Đã xử lý xong")."""
    if action.startswith("status:"):
        return f"Chuyển trạng thái: {lifecycle.label(action.split(':', 1)[1])}"
    return ACTIONS.get(action, action)


def subject_label(kind: str) -> str:
    """A subject kind in Vietnamese."""
    return SUBJECTS.get(kind, kind)
