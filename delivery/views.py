from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

import delivery
from delivery.health import health_report


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: answer with the static icon."""
    return redirect(static("favicon.ico"), permanent=True)


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    return redirect("login")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database, the broker and at least one worker answer; 503 otherwise. Always
    within three seconds (delivery/health.py)."""
    healthy, report = health_report()
    payload = {**report, "version": delivery.__version__}
    return JsonResponse(payload, status=200 if healthy else 503)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # Rendered without context processors: the database may be the thing that failed.
    context = {"product_name": settings.SITE_NAME, "app_version": delivery.__version__}
    return HttpResponse(loader.get_template("500.html").render(context), status=500)
