from django.contrib import admin

from .models import ChangeAttachment, ChangeEvent, ChangePdf, ChangeRequest, ChangeVersion, CompensationClaim


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class EventInline(_ReadOnlyInline):
    model = ChangeEvent
    fields = ["at", "kind", "actor", "from_state", "to_state", "comment", "ip_address"]
    readonly_fields = fields


class VersionInline(_ReadOnlyInline):
    model = ChangeVersion
    fields = ["deliverable", "drafted_version", "accepted_version", "drafted_at", "accepted_at"]
    readonly_fields = fields


class AttachmentInline(_ReadOnlyInline):
    model = ChangeAttachment
    fields = ["name", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


class PdfInline(_ReadOnlyInline):
    model = ChangePdf
    fields = ["document", "pdf_status", "pdf", "pdf_sha256", "pdf_attempts", "pdf_error"]
    readonly_fields = fields


@admin.register(ChangeRequest)
class ChangeRequestAdmin(admin.ModelAdmin):
    """Read-mostly: the lifecycle runs through the services (pages), which log and notify."""

    list_display = ["project", "number", "title", "kind", "state", "initiating_side", "received_at", "overdue_at"]
    list_filter = ["kind", "state", "initiating_side"]
    search_fields = ["project__code", "project__name", "title"]
    list_select_related = ["project"]
    date_hierarchy = "received_at"
    inlines = [AttachmentInline, VersionInline, PdfInline, EventInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # A filed letter is fingerprinted (SHA-256) and sealed: it is never edited.
        return False


@admin.register(CompensationClaim)
class CompensationClaimAdmin(admin.ModelAdmin):
    list_display = ["change", "days_requested", "state", "days_granted", "filed_at", "answered_at"]
    list_filter = ["state"]
    search_fields = ["change__project__code", "change__title"]
    list_select_related = ["change__project"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
