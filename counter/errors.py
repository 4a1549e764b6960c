"""Errors that carry a short title and a human message the clerk or operator can act on."""


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
