"""`[display]` and `[ratings]` of counter.toml: where the citizen display listens, how ratings are taken."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from counter.errors import ConfigError

DEFAULT_REASONS = ("Phải chờ lâu", "Hướng dẫn chưa rõ ràng", "Thái độ phục vụ chưa tốt", "Phải đi lại nhiều lần")


@dataclass(frozen=True)
class DisplayConfig:
    """`counter display serve`: address and port (loopback unless told; another host needs the printed token)."""

    host: str = "127.0.0.1"
    port: int = 8765


@dataclass(frozen=True)
class RatingsConfig:
    """The optional reasons a citizen may tick, and how long a dossier's rating link stays valid."""

    reasons: tuple[str, ...] = DEFAULT_REASONS
    token_minutes: int = 10


def _refuse(source: str, key: str, expected: str) -> ConfigError:
    return ConfigError(f"{source}: khoá {key} không hợp lệ: cần {expected}.")


def _only(source: str, section: str, table: dict[str, Any], known: set[str]) -> None:
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(f"{source}: khoá không được hỗ trợ [{section}].{unknown[0]}.")


def parse_display(source: str, table: dict[str, Any]) -> DisplayConfig:
    """Validate `[display]`."""
    _only(source, "display", table, {"host", "port"})
    host, port = table.get("host", DisplayConfig.host), table.get("port", DisplayConfig.port)
    if not isinstance(host, str) or not host.strip():
        raise _refuse(source, "[display].host", "một địa chỉ, ví dụ \"127.0.0.1\"")
    if not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535:
        raise _refuse(source, "[display].port", "một số nguyên từ 1 đến 65535")
    return DisplayConfig(host.strip(), port)


def parse_ratings(source: str, table: dict[str, Any]) -> RatingsConfig:
    """Validate `[ratings]`."""
    _only(source, "ratings", table, {"reasons", "token_minutes"})
    reasons = table.get("reasons", list(DEFAULT_REASONS))
    if (not isinstance(reasons, list) or len(reasons) > 8
            or not all(isinstance(r, str) and 0 < len(r.strip()) <= 60 for r in reasons)):
        raise _refuse(source, "[ratings].reasons", "danh sách tối đa 8 lý do, mỗi lý do 1–60 ký tự")
    minutes = table.get("token_minutes", RatingsConfig.token_minutes)
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 120:
        raise _refuse(source, "[ratings].token_minutes", "một số nguyên từ 1 đến 120")
    return RatingsConfig(tuple(r.strip() for r in reasons), minutes)
