"""A known month of dossiers (March 2026) built through the store API with backdated times.

Calendar: Monday–Friday, no holidays (the test config keeps the package's 2026 days off open with
NO_HOLIDAYS). Clerks "An" and "Bình".
Every expected figure in tests/test_reports.py is derived by hand from the table in `build`.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime

from counter.config import CounterConfig
from counter.context import CounterContext, open_context
from counter.law import lifecycle
from counter.law.workdays import package_days_off
from counter.services.demo import demo_draft
from counter.services.dossiers import change_status, create_dossier, reschedule, return_result

RECEIVER_ID = "036090000123"

XN = "xac-nhan-tinh-trang-hon-nhan"  # 3 working days
CT01 = "thay-doi-cu-tru"  # 7 working days: always a permanent-residence request (temporary residence has 3)
CT = "chung-thuc-ban-sao"  # same day, 15:00 cut-off
AN, BINH = "An", "Bình"


NO_HOLIDAYS = "\n[calendar]\nnot_holidays = [{}]\n".format(
    ", ".join(f'"{day.isoformat()}"' for day in sorted(package_days_off(2026))))
"""write_config extra: every 2026 public holiday is a working day, as the hand-derived figures assume."""


def at(text: str) -> datetime:
    """A local time from 'YYYY-MM-DD HH:MM'."""
    return datetime.fromisoformat(text)


def build(ctx: CounterContext) -> dict[str, str]:
    """Create the dossiers D1–D15 and return their codes by name."""
    codes: dict[str, str] = {}

    def new(name: str, form: str, clerk: str, received: str) -> str:
        draft = demo_draft(ctx.forms[form], random.Random(name), at(received).date())
        if form == CT01:
            draft = replace(draft, values={**draft.values, "request": "Đăng ký thường trú"})
        codes[name] = create_dossier(ctx, draft, clerk, received_at=at(received)).code
        return codes[name]

    def step(name: str, status: str, when: str, clerk: str, reason: str = "") -> None:
        change_status(ctx, codes[name], status, clerk, reason, at=at(when))

    # Carried over from February.
    new("D1", XN, AN, "2026-02-27 09:00")  # due 2026-03-04 17:00
    step("D1", lifecycle.DONE, "2026-03-03 10:00", AN)  # early
    new("D2", CT01, BINH, "2026-02-20 10:00")  # due 2026-03-03 17:00
    step("D2", lifecycle.PROCESSING, "2026-02-23 08:00", BINH)
    step("D2", lifecycle.DONE, "2026-03-05 10:00", BINH)  # late
    return_result(ctx, codes["D2"], "Người nhận D2", BINH, at=at("2026-03-06 09:00"), receiver_id=RECEIVER_ID)
    new("D3", XN, AN, "2026-02-10 09:00")  # due 2026-02-13, done in February
    step("D3", lifecycle.DONE, "2026-02-12 09:00", AN)
    return_result(ctx, codes["D3"], "Người nhận D3", AN, at=at("2026-03-02 10:00"), receiver_id=RECEIVER_ID)
    new("D4", CT01, BINH, "2026-02-25 09:00")  # due 2026-03-06 17:00, still open
    step("D4", lifecycle.PROCESSING, "2026-02-26 08:00", BINH)
    # Received in March.
    new("D5", CT, AN, "2026-03-02 09:00")  # due 2026-03-02 17:00
    step("D5", lifecycle.DONE, "2026-03-02 11:00", AN)  # on time
    return_result(ctx, codes["D5"], "Người nhận D5", AN, at=at("2026-03-02 11:30"), receiver_id=RECEIVER_ID)
    new("D6", CT, BINH, "2026-03-02 16:00")  # after the cut-off: due 2026-03-03 17:00
    step("D6", lifecycle.DONE, "2026-03-03 16:00", BINH)  # on time
    new("D7", XN, AN, "2026-03-09 08:00")  # due 2026-03-12 17:00
    reschedule(ctx, codes["D7"], at("2026-03-16 17:00"), "Cần xác minh thêm", AN, at=at("2026-03-11 09:00"))
    step("D7", lifecycle.DONE, "2026-03-16 10:00", AN)  # on time against the new date
    new("D8", XN, AN, "2026-03-10 08:00")  # due 2026-03-13 17:00
    step("D8", lifecycle.DONE, "2026-03-17 10:00", AN)  # late
    new("D9", CT, BINH, "2026-03-20 10:00")
    step("D9", lifecycle.REFUSED, "2026-03-20 10:30", BINH, "Không thuộc thẩm quyền")
    new("D10", XN, BINH, "2026-03-25 09:00")
    step("D10", lifecycle.WITHDRAWN, "2026-03-26 09:00", BINH)
    new("D11", CT01, AN, "2026-03-27 09:00")  # due 2026-04-07 17:00, open
    step("D11", lifecycle.PROCESSING, "2026-03-27 10:00", AN)
    new("D12", XN, BINH, "2026-03-23 09:00")  # due 2026-03-26 17:00, waits for a supplement
    step("D12", lifecycle.NEED_SUPPLEMENT, "2026-03-24 09:00", BINH, "Thiếu giấy xác nhận cư trú")
    new("D13", XN, AN, "2026-03-30 09:00")  # due 2026-04-02 17:00, done in April (early)
    step("D13", lifecycle.DONE, "2026-04-01 08:00", AN)
    new("D15", CT, BINH, "2026-03-31 14:00")  # due 2026-03-31 17:00, done in April (late)
    step("D15", lifecycle.DONE, "2026-04-01 09:00", BINH)
    new("D14", XN, AN, "2026-04-01 10:00")  # April only: due 2026-04-06 17:00
    return codes


def second_counter(ctx: CounterContext) -> CounterContext:
    """The same database opened as counter Q2 (another block of the daily sequence)."""
    config = replace(ctx.config, counter=CounterConfig("Q2", 5000, 5999))
    return open_context(config=config)
