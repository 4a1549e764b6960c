"""The database key of a data directory: random 256 bits kept outside it, in keyring or an owner-only file.

A data directory holds only a non-secret key id (`store.keyid`); the key itself lives in the operating
system's credential store when one works (Windows Credential Manager, macOS Keychain, Secret Service),
else in `<user config dir>/keys/<key id>.key` readable by its owner only.
`$COUNTER_KEY_BACKEND` (auto, keyring, file, dpapi-machine) and `$COUNTER_KEY_DIR` choose another place:
the launchers of per-machine installs set them (Linux: a file only the clerks' group reads; Windows: a
file sealed with DPAPI for the machine under the data directory's ACL), and so do the tests.
"""

from __future__ import annotations

import os
import secrets
import uuid
from functools import cached_property
from pathlib import Path
from typing import Protocol

from counter import platform

SERVICE = "motcua-counter"
KEY_ID_FILE = "store.keyid"
KEY_BYTES = 32


def default_key_dir() -> Path:
    """Where key files live when no credential store works: the user's configuration directory."""
    from platformdirs import user_config_path

    return user_config_path("motcua-counter", appauthor=False) / "keys"


def _keyring_usable() -> bool:
    """True when keyring has a real backend (headless Linux usually has none)."""
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
    except Exception:  # a broken backend configuration means: use the file
        return False
    return not isinstance(backend, fail.Keyring) and getattr(backend, "priority", 0) > 0


def write_private(path: Path, data: bytes) -> None:
    """Write `data` to `path` readable by its owner (or a shared directory's group) only, atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        platform.make_private_dir(path.parent)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    mode = platform.private_file_mode(path.parent)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
    try:
        if os.name == "posix":
            os.fchmod(fd, mode)  # the umask must not narrow a shared directory's group access
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


class Sealer(Protocol):
    """Seals a key file's bytes to this machine (Windows DPAPI: counter.platform.Dpapi)."""

    def seal(self, data: bytes) -> bytes:
        """The sealed form of `data`."""
        ...

    def unseal(self, data: bytes) -> bytes:
        """The bytes `seal` was given."""
        ...


class KeyStore:
    """Keys by key id, in keyring or in owner-only files under `key_dir` (sealed by `sealer` when given)."""

    def __init__(self, backend: str = "auto", key_dir: Path | None = None, sealer: Sealer | None = None) -> None:
        self.key_dir = key_dir or default_key_dir()
        self.sealer = sealer
        self.backend = backend

    @cached_property
    def use_keyring(self) -> bool:
        """Whether keys go to keyring: probed on first need, as loading its backends takes up to a second."""
        return self.sealer is None and (self.backend == "keyring" or (self.backend == "auto" and _keyring_usable()))

    def _file(self, key_id: str) -> Path:
        return self.key_dir / f"{key_id}.key"

    def get(self, key_id: str) -> bytes | None:
        """The key stored under `key_id`, or None (a key file, when there is one, is read before keyring)."""
        if not self._file(key_id).exists() and self.use_keyring:
            try:
                import keyring

                text = keyring.get_password(SERVICE, key_id)
            except Exception:  # the credential store went away: the file may still hold it
                text = None
            if text:
                return bytes.fromhex(text)
        try:
            data = self._file(key_id).read_bytes()
            return bytes.fromhex((self.sealer.unseal(data) if self.sealer else data).decode("ascii").strip())
        except (OSError, ValueError):
            return None

    def put(self, key_id: str, key: bytes) -> str:
        """Keep `key` under `key_id`; returns where it went (for the log, never the key)."""
        if self.use_keyring:
            try:
                import keyring

                keyring.set_password(SERVICE, key_id, key.hex())
                if keyring.get_password(SERVICE, key_id) == key.hex():
                    return "keyring"
            except Exception:  # fall back to the file below
                pass
        text = key.hex().encode("ascii")
        write_private(self._file(key_id), self.sealer.seal(text) if self.sealer else text)
        return str(self._file(key_id))


def key_store() -> KeyStore:
    """The key store chosen by the environment (default: keyring when it works, else a file);
    `dpapi-machine` (install.ps1 -AllUsers) seals key files with DPAPI for this PC."""
    backend = os.environ.get("COUNTER_KEY_BACKEND", "auto")
    key_dir = os.environ.get("COUNTER_KEY_DIR")
    sealer = platform.Dpapi(machine=True) if backend == "dpapi-machine" else None
    return KeyStore(backend, Path(key_dir) if key_dir else None, sealer)


def read_key_id(data_dir: Path) -> str | None:
    """The key id recorded in a data directory, or None."""
    try:
        text = (data_dir / KEY_ID_FILE).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text if len(text) == 36 else None


def new_key(data_dir: Path, keys: KeyStore) -> bytes:
    """Make a fresh random key for `data_dir`, store it, then record its id in the directory."""
    key_id = str(uuid.uuid4())
    key = secrets.token_bytes(KEY_BYTES)
    keys.put(key_id, key)
    write_private(data_dir / KEY_ID_FILE, key_id.encode("ascii"))
    return key


def existing_key(data_dir: Path, keys: KeyStore) -> bytes | None:
    """The key of `data_dir`, or None when its id or the key itself is missing."""
    key_id = read_key_id(data_dir)
    return keys.get(key_id) if key_id else None
