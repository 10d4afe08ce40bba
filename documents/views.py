from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from delivery.ratelimit import client_ip, rate_limit_exceeded

from .forms import VerifyPdfForm
from .verification import document_verify

logger = logging.getLogger(__name__)

# Verification is public; the limit keeps it from being used as a free signature oracle.
VERIFY_LIMIT_PER_MINUTE = 10


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    verdict = None
    error = ""
    form = VerifyPdfForm()
    if request.method == "POST":
        if rate_limit_exceeded(request=request, scope="verify", limit=VERIFY_LIMIT_PER_MINUTE, window_seconds=60):
            error = _("Too many checks from your address. Please wait a minute and try again.")
        else:
            form = VerifyPdfForm(request.POST, request.FILES)
            if form.is_valid():
                verdict = document_verify(data=form.cleaned_data["file"].read())
                logger.info("PDF verification from %s: valid=%s", client_ip(request), verdict.valid)
    context = {"form": form, "verdict": verdict, "error": error}
    return render(request, "documents/verify.html", context, status=429 if error else 200)
