"""The REST API (v1). Thin, like the pages: the selectors decide what a user sees (404 for anything
of another project, internal deliverables hidden from customers), the services decide what they
may do and validate it with the pages' messages, and record the same audit trail."""

from __future__ import annotations

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from changes import selectors as change_selectors
from changes import services as change_services
from changes.models import ChangeRequest
from deadlines.models import Deadline
from delivery.audit import RequestMeta
from documents.selectors import (
    deliverable_get_for_user,
    deliverable_rows_for_project,
    version_get_for_user,
    version_list,
)
from feeds.selectors import deadline_list_concerning, deadline_list_for_project
from golive.models import OperationProblem
from golive.selectors import problem_get, problem_list
from golive.services import problem_report
from projects.lifecycle import gate_checklist, gate_facts_collect
from projects.selectors import project_get_for_user, project_list_for_user, project_member_list
from support.selectors import support_request_get_for_user, support_request_list_for_user

from . import filters, serializers

# Error responses (400, 401, 403, 404, 429) are added to every operation by api.schema.


def _meta(request: Request) -> RequestMeta:
    return RequestMeta.from_request(request)


def _validated(serializer_class, request: Request) -> dict:
    """The request body checked by ``serializer_class``; a 400 with the field errors otherwise."""
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    return body.validated_data


class _ProjectScoped:
    """Resolves the project in the URL with the pages' access rule (404 for outsiders)."""

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no project
            return self.queryset
        return self.project_queryset()

    def project(self):
        if not hasattr(self, "_project"):
            self._project = project_get_for_user(user=self.request.user, code=self.kwargs["code"])
        return self._project


# --- Projects -------------------------------------------------------------------------------


@extend_schema(tags=["projects"])
class ProjectList(generics.ListAPIView):
    serializer_class = serializers.ProjectSerializer
    filterset_class = filters.ProjectFilter

    def get_queryset(self):
        return (
            project_list_for_user(user=self.request.user)
            .select_related("customer", "vendor_pm", "customer_lead")
            .order_by("-created_at", "-id")
        )


@extend_schema(tags=["projects"], responses={200: serializers.ProjectDetailSerializer})
class ProjectDetail(_ProjectScoped, APIView):
    def get(self, request: Request, code: str) -> Response:
        project = self.project()
        members = project_member_list(project=project)
        project.api_gate_items = gate_checklist(gate_facts_collect(project, members=members))
        project.api_gate_met = all(item.met for item in project.api_gate_items)
        return Response(serializers.ProjectDetailSerializer(project, context={"request": request}).data)


@extend_schema(tags=["projects"], responses={200: serializers.MemberSerializer(many=True)})
class TeamList(_ProjectScoped, APIView):
    def get(self, request: Request, code: str) -> Response:
        members = project_member_list(project=self.project())
        return Response(serializers.MemberSerializer(members, many=True).data)


# --- Deliverables ---------------------------------------------------------------------------


@extend_schema(tags=["deliverables"], responses={200: serializers.DeliverableRowSerializer(many=True)})
class DeliverableList(_ProjectScoped, APIView):
    def get(self, request: Request, code: str) -> Response:
        rows = deliverable_rows_for_project(project=self.project(), user=request.user)
        return Response(serializers.DeliverableRowSerializer(rows, many=True).data)


@extend_schema(tags=["deliverables"], responses={200: serializers.VersionSummarySerializer(many=True)})
class VersionList(APIView):
    def get(self, request: Request, code: str, type_code: str) -> Response:
        _project, _type, deliverable = deliverable_get_for_user(
            user=request.user, project_code=code, type_code=type_code
        )
        versions = version_list(deliverable=deliverable, user=request.user) if deliverable is not None else []
        return Response(serializers.VersionSummarySerializer(versions, many=True).data)


@extend_schema(tags=["deliverables"], responses={200: serializers.VersionSerializer})
class VersionDetail(APIView):
    def get(self, request: Request, code: str, type_code: str, number: int) -> Response:
        version = version_get_for_user(user=request.user, project_code=code, type_code=type_code, number=number)
        return Response(serializers.VersionSerializer(version, context={"request": request}).data)


# --- Deadlines ------------------------------------------------------------------------------


@extend_schema(tags=["deadlines"])
class MyDeadlineList(generics.ListAPIView):
    """Deadlines the user is told about, with how each due date was counted."""

    serializer_class = serializers.DeadlineSerializer
    queryset = Deadline.objects.none()  # for the schema; get_queryset answers requests

    def get_queryset(self):
        return deadline_list_concerning(user=self.request.user)


@extend_schema(tags=["deadlines"])
class ProjectDeadlineList(_ProjectScoped, generics.ListAPIView):
    serializer_class = serializers.DeadlineSerializer
    queryset = Deadline.objects.none()

    def project_queryset(self):
        return deadline_list_for_project(project=self.project())


# --- Change requests ------------------------------------------------------------------------


@extend_schema(tags=["changes"])
class ChangeList(_ProjectScoped, generics.ListAPIView):
    serializer_class = serializers.ChangeSerializer
    filterset_class = filters.ChangeFilter
    queryset = ChangeRequest.objects.none()

    def project_queryset(self):
        return change_selectors.change_list_filtered(user=self.request.user, project=self.project())

    @extend_schema(
        request=serializers.ChangeFileSerializer,
        responses={201: serializers.ChangeSerializer},
        summary="File a change letter (§4)",
    )
    def post(self, request: Request, code: str) -> Response:
        data = _validated(serializers.ChangeFileSerializer, request)
        change = change_services.change_file(project=self.project(), user=request.user, meta=_meta(request), **data)
        return Response(
            serializers.ChangeSerializer(change, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


def _change(request: Request, code: str, number: int):
    return change_selectors.change_get_for_user(user=request.user, code=code, number=number)


def _change_detail(request: Request, change) -> dict:
    change.api_events = change_selectors.change_event_list(change=change)
    return serializers.ChangeDetailSerializer(change, context={"request": request}).data


@extend_schema(tags=["changes"], responses={200: serializers.ChangeDetailSerializer})
class ChangeDetail(APIView):
    def get(self, request: Request, code: str, number: int) -> Response:
        return Response(_change_detail(request, _change(request, code, number)))


class _ChangeStep(APIView):
    """POST one step on a change letter: validate the body, call the service with it, answer with
    ``answer(request, result)``. Subclasses name the body serializer, the service and the answer."""

    body = None
    service = None

    def post(self, request: Request, code: str, number: int) -> Response:
        change = _change(request, code, number)
        result = type(self).service(
            change=change, user=request.user, meta=_meta(request), **_validated(self.body, request)
        )
        return self.answer(request, code, number, result)


@extend_schema(
    tags=["changes"],
    request=serializers.ChangeReplySerializer,
    responses={200: serializers.ChangeDetailSerializer},
    summary="Reply to a change letter (§4.2, §4.3)",
)
class ChangeReply(_ChangeStep):
    body = serializers.ChangeReplySerializer
    service = staticmethod(change_services.change_reply)

    def answer(self, request: Request, code: str, number: int, result) -> Response:
        return Response(_change_detail(request, _change(request, code, number)))


@extend_schema(
    tags=["changes"],
    request=serializers.CommentSerializer,
    responses={201: serializers.ChangeEventSerializer},
    summary="Comment on a change letter",
)
class ChangeComment(_ChangeStep):
    body = serializers.CommentSerializer
    service = staticmethod(change_services.change_comment)

    def answer(self, request: Request, code: str, number: int, result) -> Response:
        return Response(serializers.ChangeEventSerializer(result).data, status=status.HTTP_201_CREATED)


# --- Operation problems ---------------------------------------------------------------------


@extend_schema(tags=["problems"])
class ProblemList(_ProjectScoped, generics.ListAPIView):
    serializer_class = serializers.ProblemSerializer
    filterset_class = filters.ProblemFilter
    queryset = OperationProblem.objects.none()

    def project_queryset(self):
        return problem_list(project=self.project())

    @extend_schema(
        request=serializers.ProblemReportSerializer,
        responses={201: serializers.ProblemSerializer},
        summary="Record an operation problem",
    )
    def post(self, request: Request, code: str) -> Response:
        data = _validated(serializers.ProblemReportSerializer, request)
        problem = problem_report(project=self.project(), user=request.user, **data)
        return Response(serializers.ProblemSerializer(problem).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["problems"], responses={200: serializers.ProblemSerializer})
class ProblemDetail(_ProjectScoped, APIView):
    def get(self, request: Request, code: str, number: int) -> Response:
        problem = problem_get(project=self.project(), number=number)
        return Response(serializers.ProblemSerializer(problem).data)


# --- Support requests -----------------------------------------------------------------------


@extend_schema(tags=["support"])
class SupportRequestList(generics.ListAPIView):
    serializer_class = serializers.SupportRequestSerializer
    filterset_class = filters.SupportRequestFilter

    def get_queryset(self):
        return support_request_list_for_user(user=self.request.user).order_by("-created_at", "-id")


@extend_schema(tags=["support"], responses={200: serializers.SupportRequestSerializer})
class SupportRequestDetail(APIView):
    def get(self, request: Request, pk: int) -> Response:
        return Response(
            serializers.SupportRequestSerializer(support_request_get_for_user(user=request.user, pk=pk)).data
        )


@csrf_exempt
def not_found(request, *args, **kwargs) -> JsonResponse:
    """Any other address under /api/: JSON, like every API answer (not the HTML 404 page)."""
    return JsonResponse({"detail": _("Not found.")}, status=404)
