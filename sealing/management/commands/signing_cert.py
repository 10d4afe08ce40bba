from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.enums import OrganizationKind
from accounts.models import Organization
from sealing.certificates import self_signed_pkcs12_create
from sealing.signing import signing_certificate


class Command(BaseCommand):
    help = (
        "Manage the vendor organisation's signing certificate. 'create' makes a self-signed one for "
        "development (kept if it exists, unless --force); 'show' prints the one in use."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["create", "show"])
        parser.add_argument("--organization", help="Organisation name (default: the vendor organisation)")
        parser.add_argument("--force", action="store_true", help="Replace an existing certificate")

    def handle(self, *args, action: str, organization: str | None, force: bool, **options) -> None:
        path = Path(settings.SIGNING_PKCS12_PATH)
        if action == "create":
            if path.exists() and not force:
                self.stdout.write(f"Signing certificate already present at {path}.")
            else:
                name = organization or self._vendor_name()
                self_signed_pkcs12_create(path=path, organization=name)
                self.stdout.write(self.style.SUCCESS(f"Created a self-signed certificate for {name} at {path}."))
        certificate = signing_certificate()
        self.stdout.write(f"Subject: {certificate.subject.human_friendly}")
        self.stdout.write(f"Valid until: {certificate['tbs_certificate']['validity']['not_after'].native:%Y-%m-%d}")
        self.stdout.write(f"SHA-256 fingerprint: {certificate.sha256_fingerprint}")

    def _vendor_name(self) -> str:
        vendor = Organization.objects.filter(kind=OrganizationKind.VENDOR).order_by("pk").first()
        if vendor is None:
            raise CommandError("No vendor organisation yet: pass --organization or load the demo data first.")
        return vendor.name
