from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from accounts.tests.factories import CustomerUserFactory
from changes.tests.factories import META, change_filed, deliverable_confirmed
from delivery.models import Effect
from documents.enums import OfflineEvidenceKind
from documents.services import deliverable_get_or_create, version_confirm_offline, version_draft_create
from dossier.enums import DossierState
from dossier.models import Dossier
from dossier.services import dossier_build, dossier_request
from golive.services import problem_report
from projects.tests.factories import ProjectFactory
from sealing.verification import document_verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(db):
    return ProjectFactory(code="HX-DOS-2")


@pytest.fixture
def full_project(certificate, django_capture_on_commit_callbacks):
    """A project with a signed requirements confirmation, an internal summary confirmed on paper,
    a change letter (sealed) and a problem."""
    project = ProjectFactory(code="HX-DOS-1")
    with django_capture_on_commit_callbacks(execute=True):
        deliverable_confirmed(project, "requirements_confirmation")
        summary = deliverable_get_or_create(project=project, code="project_summary_report")
        version = version_draft_create(deliverable=summary, user=project.vendor_pm, meta=META, content={})
        version_confirm_offline(
            version=version,
            user=project.vendor_pm,
            meta=META,
            kind=OfflineEvidenceKind.EMAIL,
            evidence=SimpleUploadedFile("summary.txt", "内部总结确认邮件".encode(), content_type="text/plain"),
        )
        change_filed(project)
        problem_report(
            project=project, user=project.customer_lead, description="收件延迟", severity="major", support_mode="remote"
        )
    return project


def _built(project, user, django_capture_on_commit_callbacks) -> tuple[Dossier, zipfile.ZipFile]:
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_request(project=project, user=user)
    dossier.refresh_from_db()
    assert (dossier.state, dossier.progress) == (DossierState.READY, 100)
    return dossier, zipfile.ZipFile(io.BytesIO(dossier.file.read()))


def test_vendor_dossier_contents_hashes_manifest_and_download(full_project, client, django_capture_on_commit_callbacks):
    project = full_project
    dossier, archive = _built(project, project.vendor_pm, django_capture_on_commit_callbacks)
    names = sorted(archive.namelist())
    assert names == [
        "changes/001-audit.json",
        "changes/001-letter.pdf",
        "deliverables/02-requirements_confirmation/v1-audit.json",
        "deliverables/02-requirements_confirmation/v1-sealed.pdf",
        "deliverables/09-project_summary_report/v1-audit.json",
        "deliverables/09-project_summary_report/v1-evidence.txt",
        "deliverables/09-project_summary_report/v1-sealed.pdf",
        "manifest.json",
        "manifest.pdf",
        "problems/operation-problem-log.json",
    ]
    manifest_bytes = archive.read("manifest.json")
    manifest = json.loads(manifest_bytes)
    assert hashlib.sha256(manifest_bytes).hexdigest() == dossier.manifest_sha256
    for entry in manifest["files"]:
        assert hashlib.sha256(archive.read(entry["path"])).hexdigest() == entry["sha256"]
    sealed = next(f for f in manifest["files"] if f["path"].endswith("02-requirements_confirmation/v1-sealed.pdf"))
    assert sealed["signers"] == [f"客户方: {project.customer_lead.get_full_name()}"]
    audit = json.loads(archive.read("deliverables/02-requirements_confirmation/v1-audit.json"))
    assert [e["kind"] for e in audit["events"]] == ["created", "submitted", "signed"]

    # The sealed manifest verifies and names the set on record.
    with translation.override("zh-hans"):
        verdict = document_verify(data=archive.read("manifest.pdf"))
    assert verdict.valid and verdict.on_record
    assert verdict.reference.sha256 == dossier.manifest_sha256
    assert verdict.type_name.startswith(f"证据包清单：{len(manifest['files'])} 个文件")
    upload = SimpleUploadedFile("manifest.pdf", archive.read("manifest.pdf"), content_type="application/pdf")
    assert "证据包清单" in client.post(reverse("documents:verify"), {"file": upload}).content.decode()

    # A repeated build task does nothing.
    assert dossier_build(dossier_id=dossier.pk) == ""

    # Internal documents inside: the customer lead cannot download this one.
    client.force_login(project.customer_lead)
    assert client.get(reverse("dossier:download", args=[project.code, dossier.pk])).status_code == 404
    client.force_login(project.vendor_pm)
    response = client.get(reverse("dossier:download", args=[project.code, dossier.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{project.code}-dossier-{dossier.pk}.zip"'

    # A manifest whose set is not on record (here: the record changed) is not confirmed.
    Dossier.objects.filter(pk=dossier.pk).update(manifest_sha256="0" * 64)
    verdict = document_verify(data=archive.read("manifest.pdf"))
    assert verdict.valid and not verdict.on_record

    # The customer lead's dossier of the same project: no internal documents.
    dossier, archive = _built(project, project.customer_lead, django_capture_on_commit_callbacks)
    assert dossier.includes_internal is False
    assert not [name for name in archive.namelist() if "project_summary_report" in name]
    assert "project_summary_report" not in archive.read("manifest.json").decode()
    assert "deliverables/02-requirements_confirmation/v1-sealed.pdf" in archive.namelist()


def test_others_may_not_request(project):
    engineer = project.members.exclude(user__in=[project.vendor_pm, project.customer_lead]).first()
    for user in [CustomerUserFactory(), *([engineer.user] if engineer else [])]:
        with pytest.raises(PermissionDenied):
            dossier_request(project=project, user=user)
    assert Dossier.objects.count() == 0


def test_second_request_while_building_is_refused(project):
    dossier_request(project=project, user=project.vendor_pm)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        dossier_request(project=project, user=project.vendor_pm)
    assert error.value.messages == ["您的该项目证据包仍在生成中。"]
    assert Dossier.objects.count() == 1


def test_dossier_pages_for_outsiders_are_404(project, client):
    client.force_login(ProjectFactory().customer_lead)
    assert client.get(reverse("dossier:page", args=[project.code])).status_code == 404
    assert client.post(reverse("dossier:new", args=[project.code])).status_code == 404
    assert Dossier.objects.count() == 0


def test_dossier_page_builds_and_shows_progress(project, certificate, client, django_capture_on_commit_callbacks):
    client.force_login(project.customer_lead)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("dossier:new", args=[project.code])).status_code == 302
    dossier = Dossier.objects.get()
    assert Effect.objects.get(key=f"dossier:build:{dossier.pk}").state == "done"
    progress = client.get(reverse("dossier:progress", args=[project.code, dossier.pk])).json()
    assert progress == {"state": "ready", "progress": 100}
    page = client.get(reverse("dossier:page", args=[project.code])).content.decode()
    assert reverse("dossier:download", args=[project.code, dossier.pk]) in page
