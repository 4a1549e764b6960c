"""Pinned form versions: a dossier keeps the form it was taken on, by SHA-256, even after the file changes."""

from __future__ import annotations

import json
from datetime import datetime

from sqlmodel import Session

from counter.errors import NotFoundError
from counter.law.forms import FormDef, parse_form
from counter.store.models import Dossier, FormVersion


def pin(session: Session, form: FormDef, at: datetime) -> None:
    """Keep this form version in the store (once per SHA-256), inside the caller's transaction."""
    if session.get(FormVersion, form.sha256) is None:
        session.add(FormVersion(sha256=form.sha256, form_id=form.id, version=form.version,
                                content=form.canonical, first_used_at=at))
        session.flush()


def pinned(session: Session, sha256: str) -> FormDef | None:
    """The stored form version with this SHA-256, or None."""
    row = session.get(FormVersion, sha256) if sha256 else None
    if row is None:
        return None
    return parse_form(json.loads(row.content), f"{row.form_id}@{row.version}")


def form_of(session: Session, forms: dict[str, FormDef], dossier: Dossier) -> FormDef:
    """The form a dossier was taken on: its pinned version, else (older or pulled dossiers) today's file."""
    form = pinned(session, dossier.form_sha256)
    if form is not None:
        return form
    current = forms.get(dossier.form_id)
    if current is None:
        raise NotFoundError(f"Không có mẫu tờ khai “{dossier.form_id}” của hồ sơ {dossier.code}.")
    return current

