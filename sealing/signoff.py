"""What the sign-off block of a sealed PDF shows: each party, its signers, the vendor's seal.

Per-domain context builders (documents/rendering.py, changes/rendering.py, ...) describe the
parties; ``sealing/pdf/sign_off.html`` lays them out side by side at the end of the content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from delivery.people import display_name

ONLINE = _("Signed online")
SEAL_PURPOSE = _("Electronic seal")


@dataclass(frozen=True)
class SignerEntry:
    role: str  # "Customer project lead", "Vendor project manager", ...
    name: str
    signed_at: datetime | None = None  # None: not signed (yet) by this person
    method: str = ""  # "Signed online", "Signed paper copy", "Deemed accepted (§3.1.4)"


@dataclass(frozen=True)
class Party:
    side: str  # "Customer (Party A)", "Vendor (Party B)"
    organization: str
    signers: list[SignerEntry] = field(default_factory=list)
    # The organisation's seal (the vendor's): drawn in the block and as the PAdES appearance.
    seal_purpose: str = ""
    sealed_at: datetime | None = None

    @property
    def sealed(self) -> bool:
        return bool(self.seal_purpose)


def signer_entry(*, role: str, user, signed_at: datetime | None = None, typed_name: str = "", method=ONLINE):
    """A signer line: the typed name when signed, else the account's name; no method until signed."""
    name = typed_name or (display_name(user) if user is not None else "")
    return SignerEntry(role=str(role), name=name, signed_at=signed_at, method=str(method) if signed_at else "")
