"""Walk a request through the procedure with the real services, stopping at the stage a test needs."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from support.enums import PlanningDocumentKind, required_planning_documents
from support.models import SupportRequest
from support.planning import planning_sections_initial
from support.services import (
    planning_document_save,
    service_form_record_paper,
    support_request_accept,
    support_request_briefing_record,
    support_request_complete,
    support_request_file,
    support_request_outcome_record,
    support_request_sales_confirm,
    support_request_work_start,
)

from .conftest import META

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def paper_scan(name: str = "服务单.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def filed(cast, *, project=None) -> SupportRequest:
    return support_request_file(
        user=cast.sales,
        meta=META,
        customer=cast.customer,
        project=project,
        customer_contact=cast.contact,
        mode="on_site",
        description="邮件网关队列堆积，需要现场排查",
    )


def accepted(cast, **kwargs) -> SupportRequest:
    request = filed(cast, **kwargs)
    return support_request_accept(support_request=request, user=cast.engineer, meta=META, note="今天下午到现场")


def planned(cast, **kwargs) -> SupportRequest:
    request = accepted(cast, **kwargs)
    support_request_briefing_record(
        support_request=request,
        user=cast.engineer,
        meta=META,
        customer_situation="客户机房在苏州",
        preparation="带上备用网关镜像",
        cautions="客户对停机时间敏感",
    )
    for kind in required_planning_documents(is_project=request.is_project_support):
        texts = {section["key"]: f"{section['title']}：已写" for section in planning_sections_initial(kind)}
        planning_document_save(support_request=request, user=cast.engineer, meta=META, kind=kind, texts=texts)
    return request


def in_progress(cast, **kwargs) -> SupportRequest:
    request = planned(cast, **kwargs)
    return support_request_work_start(support_request=request, user=cast.engineer, meta=META)


def form_signed_on_paper(cast, **kwargs) -> SupportRequest:
    request = in_progress(cast, **kwargs)
    support_request_outcome_record(
        support_request=request, user=cast.engineer, meta=META, outcome="网关恢复正常，队列清空"
    )
    service_form_record_paper(support_request=request, user=cast.engineer, meta=META, scan=paper_scan())
    return request


def completed(cast, **kwargs) -> SupportRequest:
    request = form_signed_on_paper(cast, **kwargs)
    return support_request_complete(support_request=request, user=cast.engineer, meta=META)


def confirmed(cast, **kwargs) -> SupportRequest:
    request = completed(cast, **kwargs)
    return support_request_sales_confirm(support_request=request, user=cast.sales, meta=META)


__all__ = ["PlanningDocumentKind"]
