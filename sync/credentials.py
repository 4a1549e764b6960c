"""This counter's enrolment with the hub: redeem a one-time code, keep the token sealed in the encrypted store.

The bearer token lives in the store's `sync_state` (SQLCipher, under the store's key), never in a file: a
copied data directory is useless without the key. `hub-credentials.json` (owner-only) keeps only what
is not secret: the hub's address, the unit and the counter id. A file from an older version that still
holds the token is sealed on first use (the token moves into the store and the file is rewritten).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import requests

from counter.config import Config
from counter.context import CounterContext
from counter.errors import ConfigError, CounterError
from counter.platform import make_private_file
from counter.store import keyvalue
from counter.store.db import ensure_private_dir
from sync.protocol import API_PREFIX, PROTOCOL_VERSION, EnrolResponse, encode_body

CREDENTIALS_FILE = "hub-credentials.json"
TOKEN_KEY = "hub_token"
"""sync_state key of the bearer token (inside the encrypted store)."""


class NotEnrolled(CounterError):
    """The counter has no token for the hub yet."""

    title = "Chưa đăng ký với hệ thống tỉnh"


@dataclass(frozen=True)
class Credentials:
    """Where the hub is and the bearer token it gave this counter."""

    hub_url: str
    token: str
    unit_code: str
    counter_id: str


def credentials_path(config: Config) -> Path:
    """The file naming the hub, unit and counter (no secret) in the data directory."""
    return config.storage.data_dir / CREDENTIALS_FILE


def _write_file(path: Path, data: dict[str, str]) -> None:
    """Write the public part atomically, owner-only (0600)."""
    ensure_private_dir(path.parent)
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    make_private_file(path)


def save_credentials(ctx: CounterContext, credentials: Credentials) -> Path:
    """Keep the token in the store and the hub, unit and counter in the data directory's file."""
    with ctx.store.write() as session:
        keyvalue.set_values(session, **{TOKEN_KEY: credentials.token})
    path = credentials_path(ctx.config)
    _write_file(path, {"hub_url": credentials.hub_url, "unit_code": credentials.unit_code,
                       "counter_id": credentials.counter_id})
    return path


def _read_file(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NotEnrolled("Quầy chưa đăng ký với hệ thống tỉnh; chạy `counter enroll --hub URL --code MÃ`.") from None
    except (OSError, ValueError):
        raise ConfigError(f"Tệp {path} bị hỏng; hãy đăng ký lại quầy với mã mới.") from None
    if not isinstance(data, dict) or not all(isinstance(data.get(k), str) for k in ("hub_url", "unit_code",
                                                                                      "counter_id")):
        raise ConfigError(f"Tệp {path} bị hỏng; hãy đăng ký lại quầy với mã mới.")
    return data


def load_credentials(ctx: CounterContext) -> Credentials:
    """The stored credentials, or NotEnrolled / ConfigError saying what to do."""
    config = ctx.config
    path = credentials_path(config)
    data = _read_file(path)
    if isinstance(data.get("token"), str):  # written in clear by an older version: seal it now
        credentials = Credentials(data["hub_url"], data["token"], data["unit_code"], data["counter_id"])
        save_credentials(ctx, credentials)
    else:
        with ctx.store.read() as session:
            token = keyvalue.get_value(session, TOKEN_KEY)
        if not token:
            raise NotEnrolled("Cơ sở dữ liệu của quầy không giữ mã xác thực với hệ thống tỉnh (thư mục dữ liệu bị "
                              "chép từ nơi khác?); hãy đăng ký lại: `counter enroll --hub URL --code MÃ`.")
        credentials = Credentials(data["hub_url"], token, data["unit_code"], data["counter_id"])
    if credentials.unit_code != config.unit.code or credentials.counter_id != config.counter.id:
        raise ConfigError(
            f"Quầy đã đăng ký là {credentials.unit_code}/{credentials.counter_id} nhưng cấu hình là "
            f"{config.unit.code}/{config.counter.id}; hãy đăng ký lại với mã mới."
        )
    return credentials


def verify_setting(config: Config) -> bool | str:
    """The `verify` value for requests: the configured CA bundle, else the system trust store."""
    return config.sync.ca_bundle or True


def _redeem(config: Config, hub_url: str, code: str, timeout: tuple[float, float]) -> EnrolResponse:
    """POST the code with this counter's unit, id and block; refusals come back as one clear sentence."""
    body = {
        "protocol": PROTOCOL_VERSION,
        "code": code.strip(),
        "unit_code": config.unit.code,
        "counter_id": config.counter.id,
        "sequence_first": config.counter.sequence_first,
        "sequence_last": config.counter.sequence_last,
    }
    try:
        response = requests.post(
            f"{hub_url}{API_PREFIX}/enrol", data=encode_body(body), timeout=timeout, verify=verify_setting(config),
            headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
        )
    except requests.exceptions.SSLError:
        raise ConfigError("Không xác minh được chứng chỉ TLS của hệ thống tỉnh; kiểm tra [sync].ca_bundle.") from None
    except requests.RequestException:
        raise CounterError(f"Không kết nối được hệ thống tỉnh tại {hub_url}.") from None
    if response.status_code != 200:
        try:
            reason = response.json()["reason"]
        except (ValueError, KeyError, TypeError):
            reason = f"Hệ thống tỉnh trả lời mã {response.status_code}."
        raise CounterError(reason, "Đăng ký không thành công")
    return EnrolResponse.model_validate(response.json())


def enrol(ctx: CounterContext, hub_url: str, code: str, timeout: tuple[float, float] = (10, 60)) -> Credentials:
    """Redeem `code` at the hub and keep the token sealed in the store."""
    hub_url = hub_url.rstrip("/")
    if not hub_url.startswith(("http://", "https://")):
        raise ConfigError(f"Địa chỉ hệ thống tỉnh “{hub_url}” phải bắt đầu bằng http:// hoặc https://.")
    answer = _redeem(ctx.config, hub_url, code, timeout)
    credentials = Credentials(hub_url=hub_url, token=answer.token, unit_code=answer.unit_code,
                              counter_id=answer.counter_id)
    save_credentials(ctx, credentials)
    return credentials
