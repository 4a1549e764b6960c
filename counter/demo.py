"""Realistic demo data: invented citizens and valid dossiers of every form over the last days."""

from __future__ import annotations

import random
import secrets
from datetime import date, datetime, time, timedelta

from counter import lifecycle, users
from counter.addresses.samples import sample_address
from counter.context import CounterContext
from counter.dossiers import DossierDraft, change_status, create_dossier, due_at_on, reschedule
from counter.forms import FormDef
from counter.identity import CARD_CAN_CUOC, CARD_CCCD, Identity
from counter.idnumber import PROVINCES

FAMILY_NAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
                "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE_MALE = ["Văn", "Hữu", "Đức", "Quốc", "Minh", "Thành", "Công", "Xuân"]
MIDDLE_FEMALE = ["Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mai", "Thị Thu", "Thị Hồng"]
GIVEN_MALE = ["Bình", "Dũng", "Hùng", "Huy", "Khoa", "Long", "Nam", "Phúc", "Quang", "Sơn", "Tuấn", "Việt"]
GIVEN_FEMALE = ["Anh", "Hà", "Hằng", "Hoa", "Hồng", "Lan", "Linh", "Mai", "Ngân", "Nhung", "Trang", "Yến"]
HAMLETS = ["Xóm 1", "Xóm 3", "Thôn Đông", "Thôn Trung", "Thôn Hạ", "Tổ 5", "Xóm Bến", "Thôn Lạc Thiện"]
COMMUNES = ["Xã Hải Minh", "Xã Hải Đường", "Xã Hải Anh", "Phường Hải Châu", "Xã Quảng Hòa"]
PROVINCE_NAMES = ["Tỉnh Ninh Bình", "Tỉnh Nam Định", "Tỉnh Thanh Hóa", "Thành phố Đà Nẵng"]
DOCUMENTS = ["Bằng tốt nghiệp trung học phổ thông", "Giấy khai sinh", "Sổ hộ khẩu", "Học bạ",
             "Giấy chứng nhận quyền sử dụng đất"]
PURPOSES = ["Để đăng ký kết hôn", "Để bổ sung hồ sơ vay vốn", "Để làm thủ tục mua bán nhà đất"]
BATCH = 500
"""Dossiers written per transaction: the demo commits in large batches, not once per event."""
STATUS_PATHS = [
    [], [lifecycle.PROCESSING], [lifecycle.PROCESSING, lifecycle.DONE],
    [lifecycle.PROCESSING, lifecycle.DONE, lifecycle.RETURNED], [lifecycle.NEED_SUPPLEMENT],
    [lifecycle.DONE, lifecycle.RETURNED], [lifecycle.REFUSED],
]


def random_person(rng: random.Random, sex: str | None = None, born_between: tuple[int, int] = (1950, 2006),
                  today: date | None = None, home: int = 0) -> Identity:
    """An invented citizen whose ID number agrees with birth year and sex, living at a real address
    (mostly in the unit's ward `home`), written as a card issued on that day carries it."""
    today = today or date.today()
    sex = sex or rng.choice(["Nam", "Nữ"])
    male = sex == "Nam"
    birth = date(rng.randint(*born_between), rng.randint(1, 12), rng.randint(1, 28))
    digit = (birth.year - 1900) // 100 * 2 + (0 if male else 1)
    id_number = f"{rng.choice(list(PROVINCES))}{digit}{birth.year % 100:02d}{rng.randint(0, 999999):06d}"
    name = " ".join([rng.choice(FAMILY_NAMES), rng.choice(MIDDLE_MALE if male else MIDDLE_FEMALE),
                     rng.choice(GIVEN_MALE if male else GIVEN_FEMALE)])
    earliest_issue = max(birth + timedelta(days=14 * 365), date(2021, 1, 1))
    issue = earliest_issue + timedelta(days=rng.randint(0, max(0, (today - earliest_issue).days)))
    issue = min(issue, today)
    address = sample_address(rng, issue, home)
    kind = CARD_CAN_CUOC if issue >= date(2024, 7, 1) else CARD_CCCD
    old_id = f"{rng.randint(0, 999999999):09d}" if birth.year < 1990 and rng.random() < 0.6 else ""
    extra = ("", "", "", "") if kind == CARD_CAN_CUOC else ()
    return Identity(id_number, old_id, name, birth, sex, address, issue, kind, extra)


def _value_for(field_id: str, field_type: str, choices: tuple[str, ...], rng: random.Random, day: date,
               low: int | None, high: int | None) -> str:
    if field_type == "choice":
        return rng.choice(choices)
    if field_type == "date" and field_id.endswith("birth_date") and not field_id.startswith("child"):
        return (day - timedelta(days=rng.randint(25 * 366, 80 * 365))).isoformat()
    if field_type == "date":
        return (day - timedelta(days=rng.randint(1, 40))).isoformat()
    if field_type in ("integer", "year"):
        return str(rng.randint(low if low is not None else 1, min(high if high is not None else 3, 3)))
    if field_type == "id_number":
        return random_person(rng).id_number
    if field_type == "phone":
        return "09" + "".join(str(rng.randint(0, 9)) for _ in range(8))
    by_suffix = {
        "_ethnicity": lambda: "Kinh", "_nationality": lambda: "Việt Nam",
        "_birthplace": lambda: "Trạm y tế " + rng.choice(COMMUNES),
        "_hometown": lambda: rng.choice(PROVINCE_NAMES), "_relationship": lambda: "Con",
        "death_place": lambda: "Tại nhà riêng, " + rng.choice(HAMLETS), "death_cause": lambda: "Bệnh già",
        "death_time": lambda: f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
        "death_notice": lambda: f"Giấy báo tử số {rng.randint(1, 99)}/GBT, Trạm y tế xã, {day:%d/%m/%Y}",
        "purpose": lambda: rng.choice(PURPOSES), "document_name": lambda: rng.choice(DOCUMENTS),
        "request_details": lambda: f"Chuyển đến {rng.choice(HAMLETS)}, {rng.choice(COMMUNES)}",
    }
    by_suffix["_name"] = lambda: random_person(rng, born_between=(day.year - 1, day.year - 1)).full_name
    for suffix, make in by_suffix.items():
        if field_id.endswith(suffix):
            return make()
    return "Không"


def demo_draft(form: FormDef, rng: random.Random, day: date, home: int = 0) -> DossierDraft:
    """A complete, valid draft of `form` with invented people scanned into its roles."""
    roles = list(form.scan_roles)
    people: dict[str, Identity] = {}
    for role in roles[: 1 + (len(roles) > 1 and rng.random() < 0.7)]:
        sex = {"bride": "Nữ", "mother": "Nữ", "groom": "Nam", "father": "Nam"}.get(role.id)
        parent = role.id in ("mother", "father")
        born = (1985, 2004) if parent else (1950, day.year - 21 if role.id in ("bride", "groom") else 2006)
        people[role.id] = random_person(rng, sex, born_between=born, today=day, home=home)
    prefilled = {f.id for r in people for f in form.fields_of(r) if f.prefill}
    values = {
        f.id: _value_for(f.id, f.type, f.choices, rng, day, f.min, f.max)
        for f in form.fields if f.required and f.id not in prefilled
    }
    requester = people.get("requester")
    if form.id == "khai-sinh" and requester is not None:
        values["requester_relationship"] = "Cha" if requester.sex == "Nam" else "Mẹ"
    return DossierDraft(form.id, people, values)


DEMO_SUPERVISOR = "Lê Thị Hoa"
DEMO_CLERKS = ("Nguyễn Thị Lan", "Trần Văn Hùng")


def _random_pin() -> str:
    while True:
        pin = f"{secrets.randbelow(10 ** 6):06d}"
        if users.pin_problem(pin) is None:
            return pin


def create_demo_accounts(ctx: CounterContext) -> list[tuple[users.Account, str]]:
    """On an empty data directory: the demo supervisor and clerks, each with a fresh random PIN (shown once)."""
    supervisor = users.bootstrap_supervisor(ctx, DEMO_SUPERVISOR, pin := _random_pin())
    created = [(supervisor, pin)]
    for name in DEMO_CLERKS:
        pin = _random_pin()
        created.append((users.add_clerk(ctx, name, users.CLERK, pin, by=supervisor.name), pin))
    return created


def fill_demo(ctx: CounterContext, dossiers: int, days: int, seed: int = 2026,
              clerk_names: tuple[str, ...] = DEMO_CLERKS) -> int:
    """Create `dossiers` realistic dossiers received over the last `days` working days; returns the count."""
    rng = random.Random(seed)
    now = ctx.now()
    workdays: list[date] = []
    day = now.date()
    while len(workdays) < max(1, days):
        if ctx.calendar.is_workday(day):
            workdays.append(day)
        day -= timedelta(days=1)
    forms = list(ctx.forms.values())
    times = sorted(_receipt_times(ctx, rng, workdays, dossiers, now))
    for first in range(0, len(times), BATCH):
        with ctx.store.write():
            for received in times[first:first + BATCH]:
                _demo_dossier(ctx, rng, rng.choice(forms), received, rng.choice(clerk_names), now)
    return len(times)


def _demo_dossier(ctx: CounterContext, rng: random.Random, form: FormDef, received: datetime, clerk: str,
                  now: datetime) -> None:
    """One demo dossier through the real write path: received, then a realistic run of status changes."""
    draft = demo_draft(form, rng, received.date(), ctx.config.unit.ward_code)
    dossier = create_dossier(ctx, draft, clerk, received_at=received)
    moment = received
    for status in rng.choice(STATUS_PATHS):
        moment = min(moment + timedelta(hours=rng.randint(1, 30)), now)
        details = {"receiver": dossier.applicant_name} if status == lifecycle.RETURNED else {}
        reason = "Thiếu giấy tờ" if status in (lifecycle.NEED_SUPPLEMENT, lifecycle.REFUSED) else ""
        dossier = change_status(ctx, dossier.code, status, clerk, reason, at=moment, **details)
    if dossier.status in lifecycle.OPEN and rng.random() < 0.05:
        new_day = ctx.calendar.add_workdays(dossier.due_at.date(), 2)
        reschedule(ctx, dossier.code, due_at_on(ctx, new_day), "Cần xác minh thêm", clerk, at=min(moment, now))


def _receipt_times(ctx: CounterContext, rng: random.Random, workdays: list[date], count: int,
                   now: datetime) -> list[datetime]:
    """Random receipt times in working hours, spread over `workdays`, none in the future."""
    times = []
    for index in range(count):
        day = workdays[index % len(workdays)]
        opens = datetime.combine(day, ctx.config.hours.opens)
        latest = min(now, datetime.combine(day, time(16, 30)))
        if latest <= opens:
            day = workdays[-1] if len(workdays) > 1 else day - timedelta(days=1)
            opens, latest = datetime.combine(day, ctx.config.hours.opens), datetime.combine(day, time(16, 30))
        times.append(opens + timedelta(seconds=rng.randint(0, int((latest - opens).total_seconds()))))
    return times
