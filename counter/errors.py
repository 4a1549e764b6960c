"""Errors that carry a short title and a human message the clerk or operator can act on."""

import errno

OS_REASONS = {
    errno.EEXIST: "đã có một tệp trùng tên ở đó",
    errno.ENOTDIR: "một phần của đường dẫn là tệp chứ không phải thư mục",
    errno.EISDIR: "đó là thư mục chứ không phải tệp",
    errno.EACCES: "không có quyền truy cập",
    errno.EPERM: "hệ điều hành không cho phép",
    errno.ENOENT: "không tìm thấy",
    errno.EROFS: "ổ đĩa chỉ cho đọc",
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EBUSY: "đang bị chương trình khác dùng",
}
"""Why the operating system refused, in Vietnamese, for the errors a counter meets."""


def os_reason(exc: OSError) -> str:
    """The operating system's refusal in Vietnamese (its own words only for a rare error)."""
    return OS_REASONS.get(exc.errno or 0, exc.strerror or type(exc).__name__)


def os_error_message(exc: OSError) -> str:
    """One sentence for an operating-system error, naming the path."""
    where = f" {exc.filename}" if exc.filename else ""
    return f"Không truy cập được{where}: {os_reason(exc)}."


class CounterError(Exception):
    """Base error: `title` names what failed, `message` says why in one sentence."""

    title = "Lỗi"

    def __init__(self, message: str, title: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if title is not None:
            self.title = title

    def __str__(self) -> str:
        return self.message


class ConfigError(CounterError):
    """The configuration file is missing, malformed or holds a bad value."""

    title = "Cấu hình không hợp lệ"


class FormDefinitionError(CounterError):
    """A form file in forms/ is malformed."""

    title = "Mẫu tờ khai không hợp lệ"


class StoreError(CounterError):
    """The local database cannot be opened, checked or upgraded."""

    title = "Lỗi cơ sở dữ liệu"


class NotFoundError(CounterError):
    """A dossier, citizen or clerk that was asked for does not exist."""

    title = "Không tìm thấy"
