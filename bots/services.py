"""Group bots: configured by the vendor PM; chosen events are recorded as deliveries, each with
its durable effect, in the event's own transaction and sent by a task after commit (retried with
growing pauses).

Lifecycle of a delivery: pending → sent, or pending (attempt failed, retried) → failed after
MAX_ATTEMPTS; the hook shows the platform's last refusal until a message goes through.
"""

from __future__ import annotations

import datetime
import urllib.parse

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from delivery.crypto import decrypt_secret, encrypt_secret
from delivery.effects import EffectSpec, effects_record
from notifications.verbs import get_verb
from projects.models import Project
from projects.permissions import project_standing

from .enums import MAX_ATTEMPTS, VERB_EVENTS, BotEvent, DeliveryState, Platform
from .models import BotDelivery, GroupBotHook
from .platforms import DeliveryRefused, request_build, request_send

# --- Configuration (the vendor PM) ------------------------------------------------------------


def _url_host(url: str) -> str:
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("https", "http") or not parsed.hostname:
        raise ValidationError({"url": _("Give the webhook address the platform shows, starting with https://.")})
    return parsed.hostname


def _check_manager(project: Project, user: AbstractBaseUser) -> None:
    if not project_standing(project, user).is_manager:
        raise PermissionDenied


@transaction.atomic
def hook_create(
    *, project: Project, user: AbstractBaseUser, platform: str, name: str, url: str, secret: str = "", events: list[str]
) -> GroupBotHook:
    _check_manager(project, user)
    errors = {}
    if platform not in Platform.values:
        errors["platform"] = _("Choose the platform.")
    if platform in (Platform.DINGTALK, Platform.FEISHU) and not secret.strip():
        errors["secret"] = _("Turn on signing in the robot's security settings and give its secret here.")
    unknown = [event for event in events if event not in BotEvent.values or event == BotEvent.TEST]
    if unknown or not events:
        errors["events"] = _("Choose at least one event.")
    try:
        host = _url_host(url.strip())
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return GroupBotHook.objects.create(
        project=project,
        platform=platform,
        name=name.strip() or Platform(platform).label,
        url_encrypted=encrypt_secret(url.strip()),
        url_host=host,
        secret_encrypted=encrypt_secret(secret.strip()) if secret.strip() else "",
        events=list(dict.fromkeys(events)),
        created_by=user,
    )


@transaction.atomic
def hook_delete(*, hook: GroupBotHook, user: AbstractBaseUser) -> None:
    _check_manager(hook.project, user)
    hook.delete()


def _effect(delivery: BotDelivery) -> EffectSpec:
    """Posting is a durable effect (delivery/effects.py): recorded with the event, published after
    commit, re-published if lost; the task retries a refused post with growing pauses."""
    return EffectSpec(
        kind="bot.delivery", key=f"bot:delivery:{delivery.pk}", task="bots.deliver", kwargs={"delivery_id": delivery.pk}
    )


@transaction.atomic
def hook_test(*, hook: GroupBotHook, user: AbstractBaseUser) -> BotDelivery:
    """The "send test message" button: a delivery like any other, so its error shows on the hook."""
    _check_manager(hook.project, user)
    with translation.override("zh-hans"):
        title = _("Test message from %(project)s") % {"project": hook.project.code}
        text = _("The group bot “%(name)s” is connected to project %(project)s.") % {
            "name": hook.name,
            "project": hook.project,
        }
    delivery = BotDelivery.objects.create(hook=hook, event=BotEvent.TEST, title=title, text=text)
    effects_record([_effect(delivery)])
    return delivery


# --- Events (listener of notifications.services.notification_create) --------------------------


def _project_of(target: Model | None) -> Project | None:
    """The project an event is about, or None for events of no project (never posted)."""
    if target is None:
        return None
    if isinstance(target, Project):
        return target
    if hasattr(target, "deliverable"):
        return target.deliverable.project
    return getattr(target, "project", None)


def _internal(target: Model | None) -> bool:
    """Internal deliverables are vendor-only (SPEC §2): never in a group the customer may read."""
    deliverable = getattr(target, "deliverable", None)
    return bool(deliverable is not None and deliverable.type.internal)


def _event_of(verb: str, target: Model | None) -> str | None:
    event = VERB_EVENTS.get(verb)
    if event == BotEvent.DELIVERABLE_SUBMITTED and getattr(target, "deliverable", None) is not None:
        if target.deliverable.type.code == "golive_notice":
            return BotEvent.GOLIVE_NOTICE
    return event


def bot_event_record(*, verb: str, context: dict, target: Model | None, url: str) -> list[BotDelivery]:
    """Record a delivery for every active hook of the project that chose this event."""
    event = _event_of(verb, target)
    if event is None or _internal(target):
        return []
    project = _project_of(target)
    if project is None:
        return []
    hooks = [hook for hook in project.bot_hooks.filter(active=True) if event in hook.events]
    if not hooks:
        return []
    with translation.override("zh-hans"):
        title = f"{project.code} · {BotEvent(event).label}"
        message = str(get_verb(verb).message) % context
    link = settings.SITE_URL.rstrip("/") + url if url else ""
    text = f"{message}\n\n[{project}]({link})" if link else message
    deliveries = BotDelivery.objects.bulk_create(
        [BotDelivery(hook=hook, event=event, title=title[:200], text=text) for hook in hooks]
    )
    effects_record([_effect(delivery) for delivery in deliveries])
    return deliveries


# --- Sending (the task) -----------------------------------------------------------------------


def retry_delay(attempts: int) -> int:
    """Seconds before the next attempt: 1, 2, 4, 8 minutes."""
    return 60 * 2 ** max(attempts - 1, 0)


def bot_delivery_send(*, delivery_id: int, now: datetime.datetime | None = None) -> str:
    """One attempt. Claims the delivery (a repeated or concurrent task does nothing), posts it,
    and records the outcome on the delivery and its hook. Returns the delivery's state."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            BotDelivery.objects.select_for_update()
            .select_related("hook")
            .filter(pk=delivery_id, state=DeliveryState.PENDING)
            .first()
        )
        if delivery is None:
            return ""
        delivery.attempts += 1
        delivery.save(update_fields=["attempts"])
    hook = delivery.hook
    try:
        request = request_build(
            platform=hook.platform,
            url=decrypt_secret(hook.url_encrypted),
            secret=decrypt_secret(hook.secret_encrypted) if hook.secret_encrypted else "",
            title=delivery.title,
            text=delivery.text,
            now=now.timestamp(),
        )
        request_send(hook.platform, request)
    except DeliveryRefused as refused:
        error = str(refused)
        state = DeliveryState.FAILED if delivery.attempts >= MAX_ATTEMPTS else DeliveryState.PENDING
        BotDelivery.objects.filter(pk=delivery.pk).update(state=state, last_error=error)
        GroupBotHook.objects.filter(pk=hook.pk).update(last_error=error, last_error_at=now)
        return state
    BotDelivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.SENT, sent_at=now, last_error="")
    GroupBotHook.objects.filter(pk=hook.pk).update(last_sent_at=now, last_error="", last_error_at=None)
    return DeliveryState.SENT
