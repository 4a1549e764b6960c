"""`[notices]` of counter.toml: the Vietnamese template of each status notice; its no-diacritics SMS is derived."""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import Any

from counter.errors import ConfigError
from counter.text.plaintext import text_problem
from counter.text.sms import SMS_LIMIT, sms_text

KINDS = ("received", "need_supplement", "done", "refused", "overdue")
"""The status changes a citizen is told about (`overdue`: the apology with the new date, when rescheduled)."""
PLACEHOLDERS = ("unit", "code", "procedure", "due")
SAMPLE = {"unit": "UBND phường Nguyễn Trung Trực", "code": "000.00.36.H40-261203-0012",
          "procedure": "Đăng ký khai sinh", "due": "17:00 05/12/2026"}
"""Values a template is tried with when the configuration is read (a long unit name, a short procedure)."""
DEFAULT_TEMPLATES = {
    "received": "{unit} đã tiếp nhận hồ sơ {code} ({procedure}), hẹn trả kết quả {due}.",
    "need_supplement": "{unit}: hồ sơ {code} cần bổ sung giấy tờ; xin liên hệ bộ phận một cửa.",
    "done": "{unit}: hồ sơ {code} đã có kết quả; mời ông/bà đến nhận.",
    "refused": "{unit}: hồ sơ {code} không được giải quyết; xin liên hệ bộ phận một cửa để biết lý do.",
    "overdue": "{unit} xin lỗi ông/bà: hồ sơ {code} chưa có kết quả đúng hẹn, xin hẹn lại {due}.",
}


@dataclass(frozen=True)
class NoticesConfig:
    """The template of each kind of notice (placeholders {unit}, {code}, {procedure}, {due})."""

    templates: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_TEMPLATES))


def template_error(template: Any) -> str | None:
    """Why a template is not usable (one clause), or None."""
    if not isinstance(template, str) or not template.strip():
        return "cần một câu tiếng Việt"
    if text_problem(template):
        return "chỉ được là văn bản một dòng"
    try:
        fields = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(template) if name is not None]
    except ValueError:
        return "dấu { } không cân"
    if any(name not in PLACEHOLDERS or spec or conv for name, spec, conv in fields):
        return "chỉ dùng {unit}, {code}, {procedure}, {due}"
    if len(sms_text(template.format(**{**SAMPLE, "procedure": "x" * 15}))) > SMS_LIMIT:
        return f"bản không dấu phải vừa một tin nhắn ({SMS_LIMIT} ký tự) khi tên thủ tục đã rút gọn"
    return None


def parse_notices(source: str, table: dict[str, Any]) -> NoticesConfig:
    """Validate `[notices]`: known kinds only, each a one-line text using only the known placeholders."""
    if set(table) - {"templates"}:
        raise ConfigError(f"{source}: khoá [notices].{sorted(set(table) - {'templates'})[0]} không được hỗ trợ.")
    given = table.get("templates", {})
    if not isinstance(given, dict):
        raise ConfigError(f"{source}: [notices.templates] phải là một bảng.")
    templates = dict(DEFAULT_TEMPLATES)
    for kind, template in given.items():
        where = f"{source}: khoá [notices.templates].{kind}"
        if kind not in KINDS:
            raise ConfigError(f"{where} không được hỗ trợ; dùng: {', '.join(KINDS)}.")
        problem = template_error(template)
        if problem:
            raise ConfigError(f"{where} không hợp lệ: {problem}.")
        templates[kind] = template.strip()
    return NoticesConfig(templates)
