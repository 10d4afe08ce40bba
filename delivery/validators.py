"""Validation shared by every upload: evidence files, attachments, PDFs to verify."""

from __future__ import annotations

import re
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


def validate_upload(file: UploadedFile, *, allowed_extensions: list[str] | None = None) -> None:
    """Refuse files over the size limit or of a type outside the allow-list, with a clear reason."""
    allowed = allowed_extensions or settings.UPLOAD_ALLOWED_EXTENSIONS
    if file.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s; files may be at most %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)},
            code="file_too_large",
        )
    extension = PurePath(file.name or "").suffix.lower().lstrip(".")
    if extension not in allowed:
        raise ValidationError(
            _("Files of type “%(extension)s” are not accepted. Accepted types: %(allowed)s.")
            % {"extension": extension or _("none"), "allowed": ", ".join(allowed)},
            code="file_type",
        )
    if extension == "pdf":
        head = file.read(5)
        file.seek(0)
        if head != b"%PDF-":
            raise ValidationError(_("The file is not a PDF document."), code="not_pdf")


# A mainland mobile number (11 digits from 13x to 19x), or an international one with its "+"
# country code (E.164: up to 15 digits). Spaces and hyphens between digit groups are allowed.
_CN_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_INTERNATIONAL = re.compile(r"^\+[1-9]\d{6,14}$")


def validate_mobile(value: str) -> None:
    """Contact directories are used to call people: refuse what cannot be dialled."""
    digits = re.sub(r"[\s-]", "", value or "")
    if not digits:
        return
    if _CN_MOBILE.match(digits) or _INTERNATIONAL.match(digits):
        return
    raise ValidationError(
        _("Enter a mobile number: 11 digits such as 13800000001, or an international number starting with +."),
        code="mobile",
    )
