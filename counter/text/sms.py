"""Text messages to a citizen's phone: which numbers may get one, and a no-diacritics text that fits one SMS."""

from __future__ import annotations

import re

from counter.text.textfold import strip_marks

MOBILE = re.compile(r"0[35789][0-9]{8}")
"""A Vietnamese mobile number: 10 digits, 03/05/07/08/09 (the only numbers notices go to)."""
SMS_LIMIT = 160
"""Characters of one SMS in the GSM 7-bit alphabet: a notice's no-diacritics text fits in one."""
SHORTEST_NAME = 12
"""A long procedure name is cut, never below this many characters, before the text itself is cut."""


def mobile_error(phone: str) -> str | None:
    """Why `phone` cannot receive notices (a Vietnamese mobile: 10 digits, 03/05/07/08/09), or None."""
    digits = "".join(phone.split())
    if not digits:
        return "Cần số điện thoại di động của công dân để gửi thông báo."
    if not MOBILE.fullmatch(digits):
        return "Số điện thoại nhận thông báo phải là số di động Việt Nam: 10 chữ số, bắt đầu 03, 05, 07, 08 hoặc 09."
    return None


def sms_text(text: str) -> str:
    """`text` without diacritics (đ → d), in printable ASCII (anything else becomes "-")."""
    return "".join(ch if 32 <= ord(ch) < 127 else "-" for ch in " ".join(strip_marks(text).split()))


def render(template: str, values: dict[str, str]) -> tuple[str, str]:
    """(Vietnamese text, no-diacritics text of at most 160 characters): a long procedure name is shortened first."""
    text = template.format(**values)
    procedure = values.get("procedure", "")
    short = sms_text(text)
    while len(short) > SMS_LIMIT and len(procedure) > SHORTEST_NAME + 3:
        procedure = procedure[: max(SHORTEST_NAME, len(procedure) - (len(short) - SMS_LIMIT) - 3)].rstrip() + "..."
        short = sms_text(template.format(**{**values, "procedure": procedure}))
    if len(short) > SMS_LIMIT:
        short = short[: SMS_LIMIT - 3].rstrip() + "..."
    return text, short
