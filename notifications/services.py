from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise, lazy

from delivery.effects import EffectSpec, effects_record
from delivery.enums import Queue

from . import hooks
from .models import Notification
from .tasks import notification_email_task
from .verbs import get_verb

# Notifications are e-mailed and shown to people: never let a secret into one.
FORBIDDEN_CONTEXT_WORDS = ("password", "secret", "token", "passwd", "密码")


def _check_context(context: dict) -> None:
    for key in context:
        if any(word in key.lower() for word in FORBIDDEN_CONTEXT_WORDS):
            raise ValueError(f"Notification context key {key!r} looks like a secret; leave it out.")


def in_each_language(render: Callable[[], object]) -> Promise:
    """A context value rendered again in every language when stored: a deliverable type's name,
    a deadline rule, anything whose text depends on the active language."""
    return lazy(lambda: str(render()), str)()


def _context_value(value: object) -> str | dict[str, str]:
    """Plain values are stored as text; a lazy one (a deliverable type's name, a phase) in every
    language, so that each reader sees it in their own (the message itself is translated on display)."""
    if isinstance(value, Promise):
        texts = {}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                texts[code] = str(value)
        return texts
    return str(value)


@transaction.atomic
def notification_create(
    *,
    recipients: Iterable[AbstractBaseUser],
    verb: str,
    context: dict | None = None,
    target: models.Model | None = None,
    url: str = "",
    send_email: bool = True,
) -> list[Notification]:
    """Record an in-app notification for each recipient and, in the same transaction, the effect
    that e-mails each of them after commit."""

    get_verb(verb)  # fail early on an unknown verb
    context = {key: _context_value(value) for key, value in (context or {}).items()}
    _check_context(context)
    target_type = ContentType.objects.get_for_model(target) if target is not None else None
    unique_recipients = {user.pk: user for user in recipients if user is not None and user.is_active}
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                verb=verb,
                context=context,
                target_type=target_type,
                target_id=target.pk if target is not None else None,
                url=url,
            )
            for user in unique_recipients.values()
        ]
    )
    hooks.notification_event(verb=verb, context=context, target=target, url=url)
    if send_email:
        effects_record(
            EffectSpec(
                kind="mail.notification",
                key=f"mail:notification:{notification.pk}",  # one recipient per notification
                task=notification_email_task.name,
                kwargs={"notification_id": notification.pk},
                queue=Queue.MAIL,
            )
            for notification in notifications
            if notification.recipient.email
        )
    return notifications


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, user: AbstractBaseUser) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
