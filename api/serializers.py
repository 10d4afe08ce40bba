"""What the API returns and accepts. Read serializers describe objects the selectors fetched;
write serializers describe the request bodies (the services validate the domain rules)."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from changes.enums import ChangeKind
from changes.forms import TEXT_LIMIT
from changes.models import ChangeEvent, ChangeRequest
from deadlines.models import Deadline
from delivery.people import display_name
from documents.models import DeliverableVersion
from golive.enums import Severity, SupportMode
from golive.models import OperationProblem
from projects.models import Project, ProjectMember
from sealing.enums import PdfStatus
from support.models import SupportRequest


class PersonField(serializers.Field):
    def to_representation(self, value) -> str:
        return display_name(value)


PersonField = extend_schema_field(OpenApiTypes.STR)(PersonField)


class ProjectSerializer(serializers.ModelSerializer):
    customer = serializers.CharField(source="customer.name")
    vendor_pm = PersonField()
    customer_lead = PersonField()
    phase_label = serializers.CharField(source="get_phase_display")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "code",
            "name",
            "customer",
            "contract_number",
            "contract_date",
            "services",
            "golive_applies",
            "planned_start",
            "planned_end",
            "golive_on",
            "phase",
            "phase_label",
            "vendor_pm",
            "customer_lead",
            "url",
        ]

    def get_url(self, project: Project) -> str:
        return self.context["request"].build_absolute_uri(reverse("projects:detail", args=[project.code]))


class GateItemSerializer(serializers.Serializer):
    label = serializers.CharField()
    met = serializers.BooleanField()


class PhaseStepSerializer(serializers.Serializer):
    phase = serializers.CharField()
    label = serializers.CharField()
    state = serializers.CharField()


class ProjectDetailSerializer(ProjectSerializer):
    gate = GateItemSerializer(many=True, source="api_gate_items")
    gate_met = serializers.BooleanField(source="api_gate_met")

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "gate", "gate_met"]


class MemberSerializer(serializers.ModelSerializer):
    name = PersonField(source="user")
    role_label = serializers.CharField(source="get_role_display")

    class Meta:
        model = ProjectMember
        fields = ["id", "name", "side", "role", "role_label", "position", "mobile", "email"]


class VersionSummarySerializer(serializers.ModelSerializer):
    state_label = serializers.CharField(source="get_state_display")

    class Meta:
        model = DeliverableVersion
        fields = ["number", "state", "state_label", "submitted_at", "decided_at"]


class DeliverableRowSerializer(serializers.Serializer):
    type = serializers.CharField(source="type.code")
    name = serializers.CharField(source="type.name")
    phase = serializers.CharField(source="type.phase")
    internal = serializers.BooleanField(source="type.internal")
    latest = VersionSummarySerializer(allow_null=True)
    accepted = VersionSummarySerializer(allow_null=True)


class SignatureSerializer(serializers.Serializer):
    signer = PersonField()
    side = serializers.CharField()
    typed_name = serializers.CharField()
    signed_at = serializers.DateTimeField()
    version_sha256 = serializers.CharField()


class VersionSerializer(serializers.ModelSerializer):
    type = serializers.CharField(source="deliverable.type.code")
    author = PersonField()
    state_label = serializers.CharField(source="get_state_display")
    content = serializers.JSONField()
    signatures = serializers.SerializerMethodField()
    sealed_pdf = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = DeliverableVersion
        fields = [
            "type",
            "number",
            "state",
            "state_label",
            "author",
            "created_at",
            "submitted_at",
            "decided_at",
            "return_comment",
            "content",
            "signatures",
            "pdf_status",
            "sealed_pdf",
            "url",
        ]

    def _url_args(self, version: DeliverableVersion) -> list:
        return [version.deliverable.project.code, version.deliverable.type.code, version.number]

    @extend_schema_field(SignatureSerializer(many=True))
    def get_signatures(self, version: DeliverableVersion) -> list[dict]:
        return SignatureSerializer(version.signatures.all(), many=True).data

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_sealed_pdf(self, version: DeliverableVersion) -> str | None:
        if version.pdf_status != PdfStatus.READY:
            return None
        return self.context["request"].build_absolute_uri(reverse("documents:pdf", args=self._url_args(version)))

    def get_url(self, version: DeliverableVersion) -> str:
        return self.context["request"].build_absolute_uri(reverse("documents:version", args=self._url_args(version)))


class DeadlineSerializer(serializers.ModelSerializer):
    rule_label = serializers.CharField(source="get_rule_display")
    due_date = serializers.DateField()
    about = serializers.SerializerMethodField()
    explanation = serializers.CharField()

    class Meta:
        model = Deadline
        fields = [
            "id",
            "rule",
            "rule_label",
            "status",
            "started_at",
            "working_days",
            "due_at",
            "due_date",
            "provisional",
            "about",
            "explanation",
        ]

    def get_about(self, deadline: Deadline) -> str:
        return str(deadline.target) if deadline.target is not None else ""


class ChangeEventSerializer(serializers.ModelSerializer):
    actor = PersonField()
    kind_label = serializers.CharField(source="get_kind_display")

    class Meta:
        model = ChangeEvent
        fields = ["kind", "kind_label", "actor", "at", "from_state", "to_state", "comment"]


class ChangeSerializer(serializers.ModelSerializer):
    project = serializers.CharField(source="project.code")
    kind_label = serializers.CharField(source="get_kind_display")
    state_label = serializers.CharField(source="get_state_display")
    initiated_by = PersonField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = ChangeRequest
        fields = [
            "project",
            "number",
            "kind",
            "kind_label",
            "state",
            "state_label",
            "initiating_side",
            "initiated_by",
            "title",
            "reason",
            "requirements_change",
            "plan_change",
            "received_at",
            "reply_accepted",
            "reply_reasons",
            "reply_findings",
            "replied_at",
            "reply_late",
            "overdue_at",
            "implemented_at",
            "url",
        ]

    def get_url(self, change: ChangeRequest) -> str:
        return self.context["request"].build_absolute_uri(change.get_absolute_url())


class ChangeDetailSerializer(ChangeSerializer):
    events = ChangeEventSerializer(many=True, source="api_events")

    class Meta(ChangeSerializer.Meta):
        fields = [*ChangeSerializer.Meta.fields, "events"]


class ProblemSerializer(serializers.ModelSerializer):
    reported_by = PersonField()
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = OperationProblem
        fields = [
            "number",
            "description",
            "severity",
            "support_mode",
            "cause",
            "tracking",
            "resolution",
            "result",
            "status",
            "status_label",
            "reported_by",
            "reported_at",
        ]


class SupportRequestSerializer(serializers.ModelSerializer):
    customer = serializers.CharField(source="customer.name")
    project = serializers.CharField(source="project.code", allow_null=True, default=None)
    sales = PersonField()
    engineer = PersonField()
    state_label = serializers.CharField(source="get_state_display")

    class Meta:
        model = SupportRequest
        fields = [
            "id",
            "title",
            "customer",
            "project",
            "sales",
            "engineer",
            "mode",
            "description",
            "state",
            "state_label",
            "is_emergency",
            "filed_at",
            "accepted_at",
            "completed_at",
        ]


# --- Request bodies -------------------------------------------------------------------------


class ChangeFileSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ChangeKind.choices)
    title = serializers.CharField(max_length=200)
    reason = serializers.CharField(max_length=TEXT_LIMIT)
    requirements_change = serializers.CharField(max_length=TEXT_LIMIT, required=False, allow_blank=True, default="")
    plan_change = serializers.CharField(max_length=TEXT_LIMIT, required=False, allow_blank=True, default="")


class ChangeReplySerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    reasons = serializers.CharField(max_length=TEXT_LIMIT)
    findings = serializers.CharField(max_length=TEXT_LIMIT, required=False, allow_blank=True, default="")


class CommentSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=TEXT_LIMIT)


class ProblemReportSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=5000)
    severity = serializers.ChoiceField(choices=Severity.choices, default=Severity.MAJOR)
    support_mode = serializers.ChoiceField(choices=SupportMode.choices, default=SupportMode.REMOTE)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
