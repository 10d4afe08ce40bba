from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from delivery.people import display_name

from .content import content_display
from .enums import SignerRole
from .models import Attachment, Deliverable, DeliverableType, DeliverableVersion, Signature, VersionEvent


@admin.register(DeliverableType)
class DeliverableTypeAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name_zh",
        "name_en",
        "phase",
        "internal",
        "signers",
        "gate_required",
        "gate_phase",
        "golive_only",
    ]
    list_filter = ["phase", "internal", "gate_required"]
    list_editable = ["name_zh", "name_en", "internal", "gate_required", "gate_phase"]

    @admin.display(description=_("signers, in signing order"))
    def signers(self, obj: DeliverableType) -> str:
        return " → ".join(str(SignerRole(role).label) for role in obj.signer_roles if role in SignerRole.values)


class VersionInline(admin.TabularInline):
    model = DeliverableVersion
    fields = ["number", "state", "author", "submitted_at", "decided_at", "pdf_status"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Deliverable)
class DeliverableAdmin(admin.ModelAdmin):
    list_display = ["project", "type", "created_at"]
    list_filter = ["type"]
    search_fields = ["project__code", "project__name"]
    list_select_related = ["project", "type"]
    inlines = [VersionInline]


class SignatureInline(admin.TabularInline):
    model = Signature
    extra = 0
    can_delete = False
    readonly_fields = [
        "side",
        "signer",
        "typed_name",
        "signed_at",
        "ip_address",
        "user_agent",
        "version_sha256",
        "auth_method",
    ]


class EventInline(admin.TabularInline):
    model = VersionEvent
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "actor", "at", "ip_address", "user_agent", "from_state", "to_state", "comment"]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    readonly_fields = ["name", "size", "sha256", "uploaded_by", "uploaded_at"]


@admin.register(DeliverableVersion)
class DeliverableVersionAdmin(admin.ModelAdmin):
    """Versions are changed through the site's workflow; the admin shows them and their trail."""

    list_display = ["deliverable", "number", "state", "author_name", "submitted_at", "pdf_status"]
    list_filter = ["state", "deliverable__type", "pdf_status"]
    search_fields = ["deliverable__project__code"]
    list_select_related = ["deliverable__project", "deliverable__type", "author"]
    # The content as the pages show it (labels and values, secrets hidden), not as raw JSON.
    readonly_fields = [*(f.name for f in DeliverableVersion._meta.fields if f.name != "content"), "content_readable"]
    exclude = ["content"]
    inlines = [SignatureInline, AttachmentInline, EventInline]

    @admin.display(description=_("drafted by"), ordering="author__last_name")
    def author_name(self, obj: DeliverableVersion) -> str:
        return display_name(obj.author)

    @admin.display(description=_("content"))
    def content_readable(self, obj: DeliverableVersion) -> str:
        fields, tables = content_display(type_code=obj.deliverable.type.code, content=obj.content)
        parts = []
        if fields:
            pairs = format_html_join("", "<dt>{}</dt><dd>{}</dd>", ((f.label, f.value) for f in fields))
            parts.append(format_html("<dl class='version-fields'>{}</dl>", pairs))
        for table in tables:
            head = format_html_join("", "<th>{}</th>", ((column,) for column in table.columns))
            body = format_html_join(
                "",
                "<tr>{}</tr>",
                ((format_html_join("", "<td>{}</td>", ((cell,) for cell in row)),) for row in table.rows),
            )
            template = "<h4>{}</h4><table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>"
            parts.append(format_html(template, table.label, head, body))
        return format_html_join("", "{}", ((part,) for part in parts))

    def has_add_permission(self, request) -> bool:
        return False
