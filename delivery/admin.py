from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .effects import effect_retry
from .heartbeat import ALIVE_SECONDS, workers_last_seen
from .models import Effect, WorkerHeartbeat


@admin.register(Effect)
class EffectAdmin(admin.ModelAdmin):
    list_display = ("key", "kind", "queue", "state", "attempts", "publish_count", "created_at", "done_at")
    list_filter = ("state", "kind", "queue")
    search_fields = ("key",)
    date_hierarchy = "created_at"
    actions = ["retry_now"]
    readonly_fields = [field.name for field in Effect._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # effects are recorded by the services, never by hand

    @admin.action(description=_("Retry now"))
    def retry_now(self, request: HttpRequest, queryset: QuerySet[Effect]) -> None:
        count = effect_retry(effects=queryset)
        self.message_user(
            request,
            _("Effects published again: %(count)d.") % {"count": count},
            messages.SUCCESS,
        )


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    """Registered workers; their beats live in the cache (delivery/heartbeat.py)."""

    list_display = ("hostname", "queues", "started_at", "last_seen", "alive")
    readonly_fields = ("hostname", "queues", "started_at", "last_seen", "alive")
    exclude = ("seen_at",)

    @admin.display(description=_("last seen"))
    def last_seen(self, worker: WorkerHeartbeat) -> datetime:
        return workers_last_seen([worker])[0].seen_at

    @admin.display(description=_("alive"), boolean=True)
    def alive(self, worker: WorkerHeartbeat) -> bool:
        return self.last_seen(worker) >= timezone.now() - timedelta(seconds=ALIVE_SECONDS)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
