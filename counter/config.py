"""Strict, typed configuration read from counter.toml; every refusal names the file and the key.

Where the file comes from, first match wins: `--config PATH`, `$COUNTER_CONFIG`, `./counter.toml`,
the documented default counter.toml shipped inside the package (counter.defaults, importlib.resources).
`$COUNTER_DATA_DIR` overrides `storage.data_dir`.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, time
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from counter import platform
from counter.defaults import files
from counter.errors import ConfigError
from counter.settings.display import DisplayConfig, RatingsConfig, parse_display, parse_ratings
from counter.settings.notices import NoticesConfig, parse_notices
from counter.settings.queue import QueueConfig, parse_queue

UNIT_CODE_PATTERN = re.compile(r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[0-9A-Z]{3}$")
WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_SEQUENCE = 9999
DECODERS = ("auto", "zxing", "zbar", "opencv")
PRINTER_KINDS = ("pdf", "system", "escpos")
PAPERS = ("A4", "A5", "80mm")
BUNDLED_FORMS_DIR: Traversable = files() / "forms"
BUNDLED_CONFIG: Traversable = files() / "counter.toml"


@dataclass(frozen=True)
class UnitConfig:
    """The commune (unit) this counter belongs to."""

    code: str
    """Unit code per QCVN 102:2016, the prefix of every dossier code."""
    name: str
    """Name printed on receipts, e.g. "UBND xã Hải Minh"."""
    province: str
    """Province name printed above the unit name."""
    ward_code: int = 0
    """The commune's current code in the national table (0: not set); names default to the table's."""


@dataclass(frozen=True)
class CounterConfig:
    """This counter (desk) and the block of the unit's daily sequence it may use offline."""

    id: str
    sequence_first: int
    sequence_last: int


@dataclass(frozen=True)
class HoursConfig:
    """Working hours, the same-day cut-off and the unit's time zone."""

    opens: time
    closes: time
    same_day_cutoff: time
    workdays: tuple[int, ...]
    """Weekday numbers (Monday = 0) that are normally working days."""
    timezone: str


@dataclass(frozen=True)
class CalendarConfig:
    """What the government announced on top of the `holidays` package's calendar (counter.law.workdays)."""

    holidays: frozenset[date]
    """Announced days off the package does not know (bridge days, extra days)."""
    make_up_workdays: frozenset[date]
    """Weekend days worked in exchange for a bridge day off."""
    not_holidays: frozenset[date] = frozenset()
    """Days the package calls holidays that the announcement makes working days."""
    announced_through: date | None = None
    """The last day whose announcement has been checked; None: no reminder."""


@dataclass(frozen=True)
class StorageConfig:
    """Where the local database and credentials live."""

    data_dir: Path
    forms_dir: Path | None
    """A directory of form files adding to or replacing (by id) the shipped forms; None: the shipped ones only."""
    encrypt: bool = True
    """SQLCipher encryption of the database (false only for development)."""


@dataclass(frozen=True)
class SyncConfig:
    """How this counter reaches the provincial hub."""

    hub_url: str
    ca_bundle: str
    batch_size: int
    interval_seconds: int
    max_backoff_seconds: int


@dataclass(frozen=True)
class ScannerConfig:
    """QR sources besides the keyboard-wedge scanner, and which decoder reads images."""

    decoder: str
    """auto (best available first), zxing, zbar or opencv."""
    serial_port: str
    """Serial (USB-CDC) scanner port such as COM3 or /dev/ttyACM0; empty: none."""
    serial_baudrate: int
    camera: str
    """Camera: a device index ("0"), a video file or a stream URL; empty: none."""


@dataclass(frozen=True)
class PrinterConfig:
    """Where receipts and forms are printed."""

    kind: str
    """pdf (save only), system (the spooler: lp / Windows default printer) or escpos (80 mm thermal)."""
    name: str
    """System printer name; empty: the default printer."""
    device: str
    """ESC/POS device or file, e.g. /dev/usb/lp0."""
    paper: str
    """A4, A5 or 80mm."""
    font: str = ""
    """A .ttf file covering Vietnamese to print with; empty: found on the system."""
    pdf_dir: str = ""
    """Where PDFs are saved when no file is named; empty: <data_dir>/prints."""


@dataclass(frozen=True)
class BackupConfig:
    """Where and to whom the encrypted backups go, how many are kept, when a missing one is warned about."""

    dir: str = ""
    """Folder for backups (a USB drive, a network share); empty: no automatic backups."""
    recipient: str = ""
    """The age recipient (age1…) backups are encrypted to; its identity stays off this PC."""
    keep: int = 30
    warn_after_days: int = 7


@dataclass(frozen=True)
class DigitisationConfig:
    """Scanned papers: the scanner's folder, the size limit and whether a returned result needs its scan."""

    inbox: str = ""
    """The folder a USB or network scanner saves into (the app offers its files newest first); empty: none."""
    max_mb: int = 50
    """Largest attachment accepted, in MB (each file and the PDF made of them)."""
    require_result: bool = False
    """Returning a result needs a `result` attachment on the dossier."""


@dataclass(frozen=True)
class SecurityConfig:
    """Sign-in lockout, idle lock and how long a command-line session lasts."""

    max_failed_pins: int
    lockout_minutes: int
    idle_lock_minutes: int
    cli_session_minutes: int


@dataclass(frozen=True)
class FormsConfig:
    """The province's own procedure codes (mã TTHC) by form id, or "form-id/case-id" for a case."""

    procedure_codes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FeesConfig:
    """Fee amounts the provincial council sets (đồng), by form id or "form-id/case-id" (counter.fees)."""

    amounts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class PaymentConfig:
    """The unit's bank account for fees paid by transfer (VietQR); empty: no transfer QR."""

    bank_bin: str = ""
    """The bank's 6-digit NAPAS BIN, e.g. "970415"."""
    account_number: str = ""
    account_name: str = ""
    purpose: str = "LE PHI"
    """Start of the transfer purpose (plain ASCII); the dossier code's day and number follow it."""

    @property
    def enabled(self) -> bool:
        """True when an account is set."""
        return bool(self.bank_bin)


@dataclass(frozen=True)
class HubConfig:
    """Trust bounds shared by the hub and the counter when they take events from elsewhere."""

    max_clock_ahead_seconds: int = 600
    """A clock stamp further ahead of the receiver's own clock is refused (hub) or not adopted (counter)."""
    request_timeout_seconds: int = 30
    """`counter hub serve`: longest wait for a request's head or body, or on an idle connection."""
    notice_sender: str = "log"
    """How the hub sends citizens' notices: "log" (its console) or "http" (an SMS gateway)."""
    notice_gateway_url: str = ""
    notice_gateway_token: str = ""
    notice_interval_seconds: int = 10
    """Seconds between the hub's notice passes."""
    notice_max_attempts: int = 6
    """Attempts per notice before it is marked failed (retries back off exponentially, with jitter)."""
    system: str = "reference"
    """`counter hub serve`: the provincial system to serve (a `motcua_counter.provincial_systems` entry point)."""
    replace_active_token: bool = True
    """`counter hub serve`: enrolling a counter id again revokes its token (False: refused while it is valid)."""


@dataclass(frozen=True)
class Config:
    """The whole configuration of one counter."""

    unit: UnitConfig
    counter: CounterConfig
    hours: HoursConfig
    calendar: CalendarConfig
    storage: StorageConfig
    sync: SyncConfig
    scanner: ScannerConfig
    printer: PrinterConfig
    security: SecurityConfig
    hub: HubConfig = HubConfig()
    backup: BackupConfig = field(default_factory=BackupConfig)
    source: str = field(default="(mặc định)")
    """Which file this came from, for messages."""
    forms: FormsConfig = field(default_factory=FormsConfig)
    queue: QueueConfig = field(default_factory=QueueConfig)
    display: DisplayConfig = field(default_factory=DisplayConfig)
    ratings: RatingsConfig = field(default_factory=RatingsConfig)
    digitisation: DigitisationConfig = field(default_factory=DigitisationConfig)
    fees: FeesConfig = field(default_factory=FeesConfig)
    payment: PaymentConfig = field(default_factory=PaymentConfig)
    notices: NoticesConfig = field(default_factory=NoticesConfig)

    @property
    def database_path(self) -> Path:
        """The SQLite file of this counter."""
        return self.storage.data_dir / "counter.db"


class _Section:
    """Typed reader over one TOML table that refuses unknown keys and bad values."""

    def __init__(self, source: str, name: str, table: dict[str, Any]) -> None:
        self.source = source
        self.name = name
        self.table = dict(table)
        self.seen: set[str] = set()

    def _fail(self, key: str, expected: str) -> ConfigError:
        return ConfigError(f"{self.source}: khoá [{self.name}].{key} không hợp lệ: cần {expected}.")

    def _get(self, key: str, default: Any) -> Any:
        self.seen.add(key)
        return self.table.get(key, default)

    def text(self, key: str, default: str, check: Callable[[str], bool] | None = None,
             expected: str = "một chuỗi") -> str:
        value = self._get(key, default)
        if not isinstance(value, str) or (check is not None and not check(value)):
            raise self._fail(key, expected)
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self._get(key, default)
        if not isinstance(value, bool):
            raise self._fail(key, "true hoặc false")
        return value

    def integer(self, key: str, default: int, low: int, high: int) -> int:
        value = self._get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise self._fail(key, f"một số nguyên từ {low} đến {high}")
        return value

    def clock(self, key: str, default: str) -> time:
        value = self._get(key, default)
        if isinstance(value, time):
            return value
        if isinstance(value, str):
            try:
                return time.fromisoformat(value)
            except ValueError:
                pass
        raise self._fail(key, 'giờ dạng "HH:MM"')

    def day(self, key: str) -> date | None:
        value = self._get(key, "")
        if isinstance(value, date):
            return value
        if value == "":
            return None
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            raise self._fail(key, 'một ngày dạng "YYYY-MM-DD" (hoặc rỗng)') from None

    def dates(self, key: str) -> frozenset[date]:
        value = self._get(key, [])
        if not isinstance(value, list):
            raise self._fail(key, 'một danh sách ngày dạng "YYYY-MM-DD"')
        parsed: set[date] = set()
        for item in value:
            if isinstance(item, date):
                parsed.add(item)
                continue
            try:
                parsed.add(date.fromisoformat(item))
            except (TypeError, ValueError):
                raise self._fail(key, f'một danh sách ngày dạng "YYYY-MM-DD" (sai: {item!r})') from None
        return frozenset(parsed)

    def weekdays(self, key: str, default: list[str]) -> tuple[int, ...]:
        value = self._get(key, default)
        if not isinstance(value, list) or not value or any(v not in WEEKDAY_NAMES for v in value):
            raise self._fail(key, "danh sách ngày trong tuần: " + ", ".join(WEEKDAY_NAMES))
        return tuple(sorted(WEEKDAY_NAMES.index(v) for v in value))

    def done(self) -> None:
        """Refuse any key this section does not know."""
        unknown = sorted(set(self.table) - self.seen)
        if unknown:
            raise ConfigError(f"{self.source}: khoá không được hỗ trợ [{self.name}].{unknown[0]}.")


def _unit_names(s: _Section, ward_code: int) -> tuple[str, str]:
    """Default unit and province names: from the national table when [unit].ward_code is set."""
    if not ward_code:
        return "UBND xã Mẫu", "Tỉnh Mẫu"
    from counter import addresses

    unit = addresses.unit(ward_code)
    if unit is None:
        raise s._fail("ward_code", "mã xã/phường hiện hành có trong bảng đơn vị hành chính "
                      "(tìm bằng `counter address search TÊN`)")
    return addresses.council_name(unit), unit.province


SECTIONS = ("unit", "counter", "hours", "calendar", "storage", "sync", "scanner", "printer", "security", "hub",
            "forms", "backup", "queue", "display", "ratings", "digitisation", "fees", "payment",
            "notices")


def parse_config(raw: dict[str, Any], source: str, base_dir: Path | None = None) -> Config:
    """Validate a parsed TOML document into a Config."""
    unknown = sorted(set(raw) - set(SECTIONS))
    if unknown:
        raise ConfigError(f"{source}: mục không được hỗ trợ [{unknown[0]}].")
    for name in SECTIONS:
        if name in raw and not isinstance(raw[name], dict):
            raise ConfigError(f"{source}: [{name}] phải là một bảng (table).")

    def section(name: str) -> _Section:
        return _Section(source, name, raw.get(name, {}))

    s = section("unit")
    ward_code = s.integer("ward_code", 0, 0, 99999)
    default_name, default_province = _unit_names(s, ward_code)
    unit = UnitConfig(
        code=s.text("code", "000.00.00.X01", lambda v: bool(UNIT_CODE_PATTERN.match(v)),
                    'mã đơn vị dạng "V1V2V3.Z1Z2.Y1Y2.MX1X2", ví dụ "000.00.36.H40"'),
        name=s.text("name", default_name, bool, "tên đơn vị không rỗng"),
        province=s.text("province", default_province, bool, "tên tỉnh không rỗng"),
        ward_code=ward_code,
    )
    s.done()

    s = section("counter")
    counter = CounterConfig(
        id=s.text("id", "Q1", lambda v: bool(re.fullmatch(r"[A-Za-z0-9_-]{1,16}", v)),
                  "1–16 ký tự chữ, số, - hoặc _"),
        sequence_first=s.integer("sequence_first", 1, 1, MAX_SEQUENCE),
        sequence_last=s.integer("sequence_last", 4999, 1, MAX_SEQUENCE),
    )
    if counter.sequence_last < counter.sequence_first:
        raise ConfigError(f"{source}: khoá [counter].sequence_last không hợp lệ: cần ≥ sequence_first.")
    s.done()

    s = section("hours")
    hours = HoursConfig(
        opens=s.clock("opens", "07:30"),
        closes=s.clock("closes", "17:00"),
        same_day_cutoff=s.clock("same_day_cutoff", "15:00"),
        workdays=s.weekdays("workdays", ["mon", "tue", "wed", "thu", "fri"]),
        timezone=s.text("timezone", "Asia/Ho_Chi_Minh", _valid_timezone, "tên múi giờ IANA"),
    )
    if not hours.opens < hours.same_day_cutoff <= hours.closes:
        raise ConfigError(f"{source}: khoá [hours].same_day_cutoff không hợp lệ: cần nằm giữa opens và closes.")
    s.done()

    s = section("calendar")
    calendar = CalendarConfig(holidays=s.dates("holidays"), make_up_workdays=s.dates("make_up_workdays"),
                              not_holidays=s.dates("not_holidays"), announced_through=s.day("announced_through"))
    s.done()

    s = section("storage")
    data_dir_text = s.text("data_dir", "")
    forms_dir_text = s.text("forms_dir", "")
    encrypt = s.flag("encrypt", True)
    s.done()
    forms_dir = Path(forms_dir_text).expanduser() if forms_dir_text else None
    if base_dir is not None and forms_dir is not None and not forms_dir.is_absolute():
        forms_dir = base_dir / forms_dir
    data_dir = Path(data_dir_text).expanduser() if data_dir_text else platform.default_data_dir()
    if base_dir is not None and not data_dir.is_absolute():
        data_dir = base_dir / data_dir
    override = os.environ.get("COUNTER_DATA_DIR")
    if override:
        data_dir = Path(override).expanduser()

    s = section("sync")
    sync = SyncConfig(
        hub_url=s.text("hub_url", "", lambda v: v == "" or v.startswith(("http://", "https://")),
                       'địa chỉ bắt đầu bằng "http://" hoặc "https://" (hoặc rỗng)'),
        ca_bundle=s.text("ca_bundle", ""),
        batch_size=s.integer("batch_size", 500, 1, 500),
        interval_seconds=s.integer("interval_seconds", 30, 1, 86400),
        max_backoff_seconds=s.integer("max_backoff_seconds", 300, 1, 86400),
    )
    s.done()

    s = section("scanner")
    scanner = ScannerConfig(
        decoder=s.text("decoder", "auto", lambda v: v in DECODERS, " hoặc ".join(DECODERS)),
        serial_port=s.text("serial_port", ""),
        serial_baudrate=s.integer("serial_baudrate", 9600, 1200, 921600),
        camera=s.text("camera", ""),
    )
    s.done()

    s = section("printer")
    printer = PrinterConfig(
        kind=s.text("kind", "pdf", lambda v: v in PRINTER_KINDS, " hoặc ".join(PRINTER_KINDS)),
        name=s.text("name", ""),
        device=s.text("device", ""),
        paper=s.text("paper", "A4", lambda v: v in PAPERS, " hoặc ".join(PAPERS)),
        font=s.text("font", ""),
        pdf_dir=s.text("pdf_dir", ""),
    )
    s.done()

    s = section("security")
    security = SecurityConfig(
        max_failed_pins=s.integer("max_failed_pins", 5, 1, 100),
        lockout_minutes=s.integer("lockout_minutes", 5, 1, 1440),
        idle_lock_minutes=s.integer("idle_lock_minutes", 10, 1, 1440),
        cli_session_minutes=s.integer("cli_session_minutes", 480, 1, 1440),
    )
    s.done()

    s = section("hub")
    hub = HubConfig(max_clock_ahead_seconds=s.integer("max_clock_ahead_seconds", 600, 1, 86400),
                    request_timeout_seconds=s.integer("request_timeout_seconds", 30, 1, 3600),
                    system=s.text("system", "reference", lambda v: bool(re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", v)),
                                  "tên một hệ thống tỉnh đã cài, ví dụ \"reference\""),
                    replace_active_token=s.flag("replace_active_token", True),
                    **_notice_sending(s))
    s.done()

    s = section("forms")
    codes = s._get("procedure_codes", {})
    if not isinstance(codes, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in codes.items()):
        raise s._fail("procedure_codes", 'một bảng { "mã-mẫu" = "mã TTHC" }')
    s.done()

    s = section("backup")
    backup = BackupConfig(
        dir=s.text("dir", ""),
        recipient=s.text("recipient", "", lambda v: v == "" or v.startswith("age1"),
                         'khoá nhận dạng age bắt đầu bằng "age1" (hoặc rỗng)'),
        keep=s.integer("keep", 30, 1, 10000),
        warn_after_days=s.integer("warn_after_days", 7, 1, 365),
    )
    s.done()
    if backup.dir and base_dir is not None and not Path(backup.dir).expanduser().is_absolute():
        backup = replace(backup, dir=str(base_dir / backup.dir))

    s = section("digitisation")
    digitisation = DigitisationConfig(inbox=s.text("inbox", ""), max_mb=s.integer("max_mb", 50, 1, 2048),
                                      require_result=s.flag("require_result", False))
    s.done()
    if digitisation.inbox and base_dir is not None and not Path(digitisation.inbox).expanduser().is_absolute():
        digitisation = replace(digitisation, inbox=str(base_dir / digitisation.inbox))

    return Config(unit=unit, counter=counter, hours=hours, calendar=calendar,
                  storage=StorageConfig(data_dir=data_dir, forms_dir=forms_dir, encrypt=encrypt), sync=sync,
                  scanner=scanner, printer=printer, security=security, hub=hub, backup=backup, source=source,
                  forms=FormsConfig(dict(codes)), queue=parse_queue(source, raw.get("queue", {})),
                  display=parse_display(source, raw.get("display", {})),
                  ratings=parse_ratings(source, raw.get("ratings", {})), digitisation=digitisation,
                  fees=_fees(section("fees")),
                  payment=_payment(section("payment")),
                  notices=parse_notices(source, raw.get("notices", {})))


def _notice_sending(s: _Section) -> dict[str, Any]:
    """[hub] notice_*: how `counter hub serve` sends citizens' notices (an HTTP sender needs its gateway's URL)."""
    sending = {
        "notice_sender": s.text("notice_sender", "log", lambda v: v in ("log", "http"), "\"log\" hoặc \"http\""),
        "notice_gateway_url": s.text("notice_gateway_url", "", lambda v: v == "" or v.startswith(
            ("http://", "https://")), 'địa chỉ bắt đầu bằng "http://" hoặc "https://" (hoặc rỗng)'),
        "notice_gateway_token": s.text("notice_gateway_token", "", lambda v: bool(re.fullmatch(r"[!-~]*", v)),
                                       "chuỗi ký tự ASCII không dấu, không khoảng trắng"),
        "notice_interval_seconds": s.integer("notice_interval_seconds", 10, 1, 3600),
        "notice_max_attempts": s.integer("notice_max_attempts", 6, 1, 50),
    }
    if sending["notice_sender"] == "http" and not sending["notice_gateway_url"]:
        raise s._fail("notice_gateway_url", 'địa chỉ cổng SMS khi notice_sender = "http"')
    return sending


FEE_KEY = re.compile(r"[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)?")
MAX_FEE = 100_000_000


def _fees(s: _Section) -> FeesConfig:
    """[fees]: "form-id" or "form-id/case-id" = whole đồng (the forms they name are checked on opening)."""
    amounts = {}
    for key in sorted(s.table):
        if not FEE_KEY.fullmatch(key):
            raise ConfigError(f"{s.source}: khoá [fees].\"{key}\" không hợp lệ: cần mã mẫu "
                              "hoặc \"mã-mẫu/mã-trường-hợp\".")
        amounts[key] = s.integer(key, 0, 0, MAX_FEE)
    s.done()
    return FeesConfig(amounts)


def _payment(s: _Section) -> PaymentConfig:
    """[payment]: the bank account of transfers; all of BIN, number and name, or none."""
    from counter.fees.vietqr import ACCOUNT_PATTERN, PURPOSE_PATTERN

    payment = PaymentConfig(
        bank_bin=s.text("bank_bin", "", lambda v: v == "" or bool(re.fullmatch(r"\d{6}", v)),
                        "mã BIN ngân hàng gồm đúng 6 chữ số (hoặc rỗng)"),
        account_number=s.text("account_number", "", lambda v: v == "" or bool(ACCOUNT_PATTERN.fullmatch(v)),
                              "số tài khoản gồm 1–19 chữ hoặc số (hoặc rỗng)"),
        account_name=s.text("account_name", ""),
        purpose=s.text("purpose", "LE PHI", lambda v: 0 < len(v) <= 13 and bool(PURPOSE_PATTERN.fullmatch(v)),
                       "1–13 ký tự chữ không dấu, số, dấu cách hoặc . , _ / - (ứng dụng ngân hàng nào cũng hiện được)"),
    )
    s.done()
    filled = [bool(payment.bank_bin), bool(payment.account_number), bool(payment.account_name.strip())]
    if any(filled) and not all(filled):
        missing = ("bank_bin", "account_number", "account_name")[filled.index(False)]
        raise s._fail(missing, "đủ cả bank_bin, account_number và account_name (hoặc bỏ trống cả ba)")
    return payment


def _valid_timezone(name: str) -> bool:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def load_config(path: str | Path | Traversable | None = None) -> Config:
    """Load the configuration from `path`, $COUNTER_CONFIG, ./counter.toml or the shipped default."""
    chosen = path or os.environ.get("COUNTER_CONFIG")
    if chosen is None and Path("counter.toml").is_file():
        chosen = "counter.toml"
    file: Traversable = Path(chosen) if isinstance(chosen, str | os.PathLike) else (chosen or BUNDLED_CONFIG)
    try:
        raw = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{file}: không tìm thấy tệp cấu hình.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file}: không đọc được tệp cấu hình ({exc}).") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: tệp cấu hình sai cú pháp TOML ({exc}).") from None
    return parse_config(raw, str(file), file.resolve().parent if isinstance(file, Path) else None)
