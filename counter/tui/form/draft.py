"""What the clerk has on the form so far: who fills which role, and every value shown.

Pure state, no widgets: scans put people into roles, prefilled values follow the people, and any
value the clerk typed is never overwritten by a later scan or a change of role.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from counter.addresses.fields import AddressValue
from counter.citizens.identity import Identity
from counter.fees.preview import Preview, preview
from counter.law import forms, rules
from counter.law.forms import FieldDef, FormDef
from counter.records.dossiers import DossierDraft, merged_values


class RolesFull(Exception):
    """Every role a card can fill already has someone; the clerk must free one first."""


@dataclass
class Draft:
    """One form being filled for the citizen(s) at the counter."""

    form: FormDef
    people: dict[str, Identity] = field(default_factory=dict)
    """Role id → the person scanned for it."""
    values: dict[str, str] = field(default_factory=dict)
    """Field id → the value as shown to the clerk (dates as dd/mm/yyyy)."""
    typed: set[str] = field(default_factory=set)
    """Fields whose value the clerk typed (kept through scans and role changes)."""
    last_role: str | None = None
    """The role of the most recently scanned person."""
    documents: tuple[str, ...] | None = None
    """The documents ticked as handed in (None: the form's required documents)."""
    phone: str = ""
    """The citizen's phone number for the receipt."""
    consent: bool = False
    """The citizen agreed to status notices on that number."""
    addresses: dict[str, AddressValue] = field(default_factory=dict)
    """Address field id → its settled value (today's ward found or chosen, or the card's text kept)."""
    exemption: str = ""
    """The fee exemption category the clerk picked ("" for none)."""

    def card_value(self, field_def: FieldDef) -> str:
        """What the card of the person in this field's role puts into it ("" when none)."""
        person = self.people.get(field_def.role)
        if not field_def.prefill or person is None:
            return ""
        return forms.display_value(field_def, forms.prefill_value(field_def, person))

    def from_card(self, field_id: str) -> bool:
        """True when the field shows exactly what the card gave it."""
        field_def = self.form.field(field_id)
        return field_id not in self.typed and bool(self.card_value(field_def))

    def next_free_role(self) -> str | None:
        """The first role a scan can fill that has nobody yet."""
        return next((r.id for r in self.form.scan_roles if r.id not in self.people), None)

    def add_person(self, person: Identity) -> str:
        """Put a scanned person into the next free role; returns that role (RolesFull if none)."""
        role = self.next_free_role()
        if role is None:
            raise RolesFull(role)
        self.people[role] = person
        self.last_role = role
        return role

    def move_person(self, from_role: str, to_role: str) -> None:
        """Give the person of `from_role` the role `to_role` (swapping with whoever had it)."""
        if from_role == to_role or from_role not in self.people:
            return
        person = self.people.pop(from_role)
        other = self.people.pop(to_role, None)
        self.people[to_role] = person
        if other is not None:
            self.people[from_role] = other
        if self.last_role == from_role:
            self.last_role = to_role

    def remove_person(self, role: str) -> None:
        """Take the person out of `role` (their prefilled values go; typed values stay)."""
        self.people.pop(role, None)
        if self.last_role == role:
            self.last_role = None

    def apply_cards(self) -> set[str]:
        """Refresh every prefilled field that the clerk did not type; returns the ids that changed."""
        changed = set()
        for field_def in self.form.fields:
            if not field_def.prefill or field_def.id in self.typed:
                continue
            value = self.card_value(field_def)
            settled = self.addresses.get(field_def.id)
            if settled is not None and settled.original == value:
                value = settled.text
            elif settled is not None:
                del self.addresses[field_def.id]  # another person's card now fills this role
            if self.values.get(field_def.id, "") != value:
                self.values[field_def.id] = value
                changed.add(field_def.id)
        return changed

    def edit(self, field_id: str, value: str) -> None:
        """The clerk changed a field: it counts as typed unless it equals the card's value again."""
        self.values[field_id] = value
        field_def = self.form.field(field_id)
        settled = self.addresses.get(field_id)
        if field_def.prefill and (value == self.card_value(field_def) or (settled and value == settled.text)):
            self.typed.discard(field_id)
        else:
            self.typed.add(field_id)

    def settle_address(self, field_id: str, value: AddressValue) -> None:
        """The address of a field is settled: its printed line becomes the field's value."""
        self.addresses[field_id] = value
        self.values[field_id] = value.text
        if value.original == self.card_value(self.form.field(field_id)):
            self.typed.discard(field_id)

    def errors(self, today: date) -> dict[str, str]:
        """Why fields are not acceptable yet, by field id."""
        return {f.id: problem for f in self.form.fields
                if (problem := forms.field_error(f, self.values.get(f.id, "").strip(), today))}

    def rule_errors(self, today: date) -> dict[str, str]:
        """The form's legal rules on what is on screen now (the core's check), by field id."""
        values = merged_values(self.form, {}, {k: v for k, v in self.values.items() if v.strip()})
        return rules.check(self.form, rules.facts_of(values, self.people, today))

    def fee_preview(self, today: date, province: Mapping[str, int], source: str) -> Preview:
        """The fee of what is on screen now (recomputed as pages, copies or the case change)."""
        values = merged_values(self.form, {}, {k: v for k, v in self.values.items() if v.strip()})
        return preview(self.form, values, self.people, today, province, self.exemption, source)

    def next_exemption(self, allowed: tuple[str, ...]) -> str:
        """Pick the next category the fee allows (after the last one: none again)."""
        order = ("", *allowed)
        self.exemption = order[(order.index(self.exemption) + 1) % len(order)] if self.exemption in order else ""
        return self.exemption

    def to_dossier_draft(self) -> DossierDraft:
        """The draft the core saves: people by role, every value the clerk sees, documents and phone."""
        values = {k: v for k, v in self.values.items() if v.strip()}
        settled = {k: a for k, a in self.addresses.items() if values.get(k) == a.text}
        return DossierDraft(self.form.id, dict(self.people), values, documents=self.documents, phone=self.phone,
                            addresses=settled, exemption=self.exemption, consent=self.consent)
