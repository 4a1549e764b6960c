"""Realistic demo data: invented citizens and valid dossiers of every form over the last days."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from counter.accounts import users
from counter.addresses.samples import sample_address
from counter.citizens.identity import CARD_CAN_CUOC, CARD_CCCD, Identity
from counter.citizens.idnumber import PROVINCES
from counter.context import CounterContext
from counter.fees.amounts import province_keys
from counter.law import lifecycle
from counter.law.forms import FormDef
from counter.records.dossiers import DossierDraft, due_at_on
from counter.services.dossiers import change_status, create_dossier, reschedule

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
LATE_SHARE = 0.02
"""Dossiers past their due time finished late (communes report 97–98 % on time)."""
STUCK_SHARE = 0.012
"""Dossiers past their due time still open: the few a supervisor must chase."""
CLOSED_EARLY_SHARE = 0.03
"""Dossiers refused or withdrawn before their due time."""
REASONS = {lifecycle.NEED_SUPPLEMENT: "Thiếu bản sao giấy tờ chứng minh nơi cư trú",
           lifecycle.REFUSED: "Không thuộc thẩm quyền giải quyết của xã",
           lifecycle.WITHDRAWN: "Công dân xin rút hồ sơ"}


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
"""The demo's accounts on an empty data directory; the clerks receive the dossiers, the supervisor none."""


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


def demo_clerks(ctx: CounterContext) -> tuple[str, ...]:
    """Who receives the demo dossiers: the counter's clerk accounts, else demo names; never a supervisor."""
    with ctx.store.read() as session:
        accounts = [(a.name, a.role) for a in users.list_clerks(session)]
    clerks = tuple(name for name, role in accounts if role == users.CLERK)
    others = {name for name, role in accounts if role != users.CLERK}
    return clerks or tuple(name for name in DEMO_CLERKS if name not in others)


def fill_demo(ctx: CounterContext, dossiers: int, days: int, seed: int = 2026,
              clerk_names: tuple[str, ...] | None = None) -> int:
    """Create `dossiers` realistic dossiers received over the last `days` working days; returns the count.

    Like a real commune: nearly every dossier due by now was finished in time (and most handed over),
    a few finished late or are still open past their due time, the rest are in progress.
    """
    rng = random.Random(seed)
    clerks = clerk_names or demo_clerks(ctx)
    now = ctx.now()
    workdays: list[date] = []
    day = now.date()
    while len(workdays) < max(1, days):
        if ctx.calendar.is_workday(day):
            workdays.append(day)
        day -= timedelta(days=1)
    unset = province_keys(ctx.forms) - set(ctx.config.fees.amounts)
    forms = [f for f in ctx.forms.values() if f.id not in unset]
    times = sorted(_receipt_times(ctx, rng, workdays, dossiers, now))
    tally = _Tally()
    for first in range(0, len(times), BATCH):
        with ctx.store.write():
            for received in times[first:first + BATCH]:
                _demo_dossier(ctx, rng, rng.choice(forms), received, rng.choice(clerks), now, tally)
    return len(times)


def _demo_dossier(ctx: CounterContext, rng: random.Random, form: FormDef, received: datetime, clerk: str,
                  now: datetime, tally: _Tally) -> None:
    """One demo dossier through the real write path: received, then the moves its fate gives it."""
    draft = demo_draft(form, rng, received.date(), ctx.config.unit.ward_code)
    dossier = create_dossier(ctx, draft, clerk, received_at=received)
    for status, at in _fate(rng, received, dossier.due_at, now, tally):
        details = {"receiver": dossier.applicant_name} if status == lifecycle.RETURNED else {}
        dossier = change_status(ctx, dossier.code, status, clerk, REASONS.get(status, ""), at=at, **details)
    if dossier.status in lifecycle.OPEN and dossier.due_at > now and rng.random() < 0.03:
        new_day = ctx.calendar.add_workdays(dossier.due_at.date(), 2)
        reschedule(ctx, dossier.code, due_at_on(ctx, new_day), "Cần xác minh thêm với nơi cư trú trước đây",
                   clerk, at=now)


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """A moment in [start, end] (start when the span is empty)."""
    seconds = int((end - start).total_seconds())
    return start + timedelta(seconds=rng.randint(0, seconds)) if seconds > 0 else start


@dataclass
class _Tally:
    """Dossiers due by now, and how many of them were made late or left stuck (shares kept exact)."""

    due: int = 0
    late: int = 0
    stuck: int = 0

    def pick(self, rng: random.Random) -> str:
        """The fate of the next dossier due by now: late, stuck, closed early or on time."""
        self.due += 1
        if self.late < int(self.due * LATE_SHARE + 0.5):
            self.late += 1
            return "late"
        if self.stuck < int(self.due * STUCK_SHARE + 0.5):
            self.stuck += 1
            return "stuck"
        return "closed" if rng.random() < CLOSED_EARLY_SHARE else "on_time"


def _fate(rng: random.Random, received: datetime, due: datetime, now: datetime,
          tally: _Tally) -> list[tuple[str, datetime]]:
    """The moves a dossier made by now, with their times, so that the counter's figures look like a commune's."""
    start = min(received + timedelta(minutes=5), now)
    if due <= now:
        fate = tally.pick(rng)
        if fate == "late":
            done = _between(rng, min(due + timedelta(hours=1), now), min(now, due + timedelta(days=2)))
            return [(lifecycle.PROCESSING, start), (lifecycle.DONE, done)]
        if fate == "stuck":
            return rng.choice([[], [(lifecycle.PROCESSING, start)], [(lifecycle.NEED_SUPPLEMENT, start)]])
        if fate == "closed":
            return [(rng.choice([lifecycle.REFUSED, lifecycle.WITHDRAWN]), _between(rng, start, due))]
        done = _between(rng, start, max(start, due - timedelta(minutes=5)))
        moves = [(lifecycle.PROCESSING, start), (lifecycle.DONE, done)]
        if rng.random() < 0.85:
            moves.append((lifecycle.RETURNED, _between(rng, done, min(now, due + timedelta(days=3)))))
        return moves
    roll = rng.random()
    if roll < 0.25:
        done = _between(rng, start, now)
        moves = [(lifecycle.PROCESSING, start), (lifecycle.DONE, done)]
        return moves + ([(lifecycle.RETURNED, _between(rng, done, now))] if rng.random() < 0.5 else [])
    if roll < 0.32:
        return [(lifecycle.NEED_SUPPLEMENT, _between(rng, start, now))]
    return [] if roll < 0.6 else [(lifecycle.PROCESSING, start)]


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
