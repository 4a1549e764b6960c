"""What a clerk gathers before saving a dossier, and the refusals of a save or a lifecycle step (no ORM)."""

from __future__ import annotations

from dataclasses import dataclass, field

from counter.addresses.fields import AddressValue
from counter.citizens.identity import Identity
from counter.errors import CounterError


class DossierInvalid(CounterError):
    """Field values were refused; `errors` maps field id to a Vietnamese reason."""

    title = "Hồ sơ chưa hợp lệ"

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(f"Có {len(errors)} trường chưa hợp lệ.")
        self.errors = errors


class SequenceExhausted(CounterError):
    """This counter has used its whole block of today's sequence."""

    title = "Hết số thứ tự"


class RestoredNotSynced(CounterError):
    """Restored from a backup and not synced since: a new code could repeat one the hub already holds."""

    title = "Chưa đồng bộ sau khôi phục"


class TransitionRefused(CounterError):
    """A status change or reschedule that the lifecycle does not allow."""

    title = "Không thể chuyển trạng thái"


@dataclass(frozen=True)
class DossierDraft:
    """What the clerk has gathered before saving: the form, scanned people and typed values."""

    form_id: str
    people: dict[str, Identity]
    values: dict[str, str]
    addresses: dict[str, AddressValue] = field(default_factory=dict)
    """Address fields the clerk settled (chosen ward or the card's text kept); the others are resolved here."""
    documents: tuple[str, ...] | None = None
    """The documents handed in, as ticked; None: the form's required documents."""
    phone: str = ""
    """The citizen's phone number for the receipt (optional)."""
    ticket: str = ""
    """The queue ticket called to this counter for this citizen ("A-012"), or "" when none."""
    exemption: str = ""
    """The fee exemption category the clerk picked (counter.fees.exemptions); "" for none."""
    consent: bool = False
    """The citizen agreed to get status notices on `phone` (recorded in the `received` event)."""
