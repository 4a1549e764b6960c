"""Pinned form versions: a dossier keeps the form it was taken on, by SHA-256, even after the file changes."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from counter.errors import NotFoundError
from counter.law.forms import FormDef, parse_form
from counter.store import plain

if TYPE_CHECKING:
    from counter.store.models import Dossier


def pin(conn: Any, form: FormDef, at: datetime) -> None:
    """Keep this form version in the store (once per SHA-256), inside the caller's transaction."""
    plain.pin_form(conn, form.sha256, form.id, form.version, form.canonical, at)


def pinned(conn: Any, sha256: str) -> FormDef | None:
    """The stored form version with this SHA-256, or None."""
    found = plain.pinned_form(conn, sha256) if sha256 else None
    if found is None:
        return None
    form_id, version, content = found
    return parse_form(json.loads(content), f"{form_id}@{version}")


def form_of(conn: Any, forms: dict[str, FormDef], dossier: Dossier | plain.DossierRow) -> FormDef:
    """The form a dossier was taken on: its pinned version, else (older or pulled dossiers) today's file."""
    form = pinned(conn, dossier.form_sha256)
    if form is not None:
        return form
    current = forms.get(dossier.form_id)
    if current is None:
        raise NotFoundError(f"Không có mẫu tờ khai “{dossier.form_id}” của hồ sơ {dossier.code}.")
    return current
