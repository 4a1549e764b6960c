"""This counter's enrolment with the hub: redeem a one-time code, keep the token owner-only."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import requests

from counter.config import Config
from counter.errors import ConfigError, CounterError
from counter.platform import make_private_file
from counter.store.db import ensure_private_dir
from sync.protocol import API_PREFIX, PROTOCOL_VERSION, EnrolResponse, encode_body

CREDENTIALS_FILE = "hub-credentials.json"


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
    """The token file in the data directory."""
    return config.storage.data_dir / CREDENTIALS_FILE


def save_credentials(config: Config, credentials: Credentials) -> Path:
    """Write the token file atomically with permissions 0600 (owner only)."""
    path = credentials_path(config)
    ensure_private_dir(path.parent)
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(asdict(credentials), handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    make_private_file(path)
    return path


def load_credentials(config: Config) -> Credentials:
    """The stored credentials, or NotEnrolled / ConfigError saying what to do."""
    path = credentials_path(config)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        credentials = Credentials(**data)
    except FileNotFoundError:
        raise NotEnrolled(
            "Quầy chưa đăng ký với hệ thống tỉnh; chạy `counter enroll --hub URL --code MÃ`."
        ) from None
    except (OSError, ValueError, TypeError):
        raise ConfigError(f"Tệp {path} bị hỏng; hãy đăng ký lại quầy với mã mới.") from None
    if credentials.unit_code != config.unit.code or credentials.counter_id != config.counter.id:
        raise ConfigError(
            f"Quầy đã đăng ký là {credentials.unit_code}/{credentials.counter_id} nhưng cấu hình là "
            f"{config.unit.code}/{config.counter.id}; hãy đăng ký lại với mã mới."
        )
    return credentials


def verify_setting(config: Config) -> bool | str:
    """The `verify` value for requests: the configured CA bundle, else the system trust store."""
    return config.sync.ca_bundle or True


def enrol(config: Config, hub_url: str, code: str, timeout: tuple[float, float] = (10, 60)) -> Credentials:
    """Redeem `code` at the hub and store the token; refusals come back as one clear sentence."""
    hub_url = hub_url.rstrip("/")
    if not hub_url.startswith(("http://", "https://")):
        raise ConfigError(f"Địa chỉ hệ thống tỉnh “{hub_url}” phải bắt đầu bằng http:// hoặc https://.")
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
            f"{hub_url}{API_PREFIX}/enrol",
            data=encode_body(body),
            timeout=timeout,
            verify=verify_setting(config),
            headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
        )
    except requests.exceptions.SSLError:
        raise ConfigError(
            "Không xác minh được chứng chỉ TLS của hệ thống tỉnh; kiểm tra [sync].ca_bundle."
        ) from None
    except requests.RequestException:
        raise CounterError(f"Không kết nối được hệ thống tỉnh tại {hub_url}.") from None
    if response.status_code != 200:
        try:
            reason = response.json()["reason"]
        except (ValueError, KeyError, TypeError):
            reason = f"Hệ thống tỉnh trả lời mã {response.status_code}."
        raise CounterError(reason, "Đăng ký không thành công")
    answer = EnrolResponse.model_validate(response.json())
    credentials = Credentials(
        hub_url=hub_url, token=answer.token, unit_code=answer.unit_code, counter_id=answer.counter_id
    )
    save_credentials(config, credentials)
    return credentials
