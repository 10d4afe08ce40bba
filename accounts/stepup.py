"""Step-up checks: the fresh proof of identity that signing and revealing a secret ask for (SPEC §3).

One function, ``stepup_verify``, checks what the person entered for a purpose, by the method
their organisation chose in the admin (password re-entry or a one-time code by e-mail):

  locked?  → refused without looking at the answer (no oracle while locked)
  correct  → the failure count is cleared; the method is returned for the record
  wrong    → counted; at STEPUP_FAILURE_LIMIT the person's step-ups are locked for
             STEPUP_LOCK_MINUTES, they and the vendor PM are told, and the lockout is recorded

Counts and locks live in the shared cache (Redis in production): the signing services run the
check inside their own transaction and roll it back when they refuse, and a failure must count
all the same. While the cache is down nothing is counted, like every other limit
(delivery/cache.py). The lockout's records (security event, notifications) are written by
``StepUpEffectsMiddleware`` once the view's transactions are over, for the same reason.
"""

from __future__ import annotations

import contextvars
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from delivery.cache import UNAVAILABLE, cache_add, cache_delete, cache_get, cache_incr, cache_set
from delivery.client_address import client_ip
from delivery.effects import effect_record
from delivery.enums import Queue
from delivery.people import display_name
from notifications.services import notification_create

from . import verbs
from .enums import VENDOR_MANAGERS_GROUP, SecurityEventKind, StepUpMethod, StepUpPurpose
from .models import OneTimeCode, Organization, SecurityEvent

# SPEC §3 "one-time code by e-mail": 6 digits, valid 10 minutes, used once, 3 tries.
CODE_DIGITS = 6
CODE_VALID_MINUTES = 10
CODE_MAX_TRIES = 3

User = get_user_model()


class StepUpRefused(ValidationError):
    """The answer was not accepted; the message is for the password or code field."""


@dataclass(frozen=True)
class Origin:
    """Where the attempt came from, for the audit record (any object with these two attributes)."""

    ip_address: str | None = None
    user_agent: str = ""

    @classmethod
    def from_request(cls, request) -> Origin:
        return cls(ip_address=client_ip(request) or None, user_agent=request.META.get("HTTP_USER_AGENT", "")[:500])


# --- Lock state (shared cache) --------------------------------------------------------------


def _failures_key(user_id: int) -> str:
    return f"stepup:failures:{user_id}"


def _lock_key(user_id: int) -> str:
    return f"stepup:locked:{user_id}"


def stepup_locked_until(*, user: AbstractUser) -> datetime | None:
    until = cache_get(_lock_key(user.pk))
    return until if until not in (None, UNAVAILABLE) and until > timezone.now() else None


def stepup_unlock(*, user: AbstractUser) -> None:
    cache_delete(_lock_key(user.pk), _failures_key(user.pk))


def _count_failure(user_id: int) -> int:
    """One more wrong answer; the count is forgotten a lock period after the first one."""
    key = _failures_key(user_id)
    window = settings.STEPUP_LOCK_MINUTES * 60
    added = cache_add(key, 1, timeout=window)
    if added is None:  # the cache is down: nothing is counted
        return 0
    if added:
        return 1
    count = cache_incr(key)
    if count is None:  # expired between add and incr (or the cache just went down)
        cache_add(key, 1, timeout=window)
        return 1
    return count


def _locked_message(until: datetime) -> str:
    return _(
        "Too many wrong attempts: signing and other confirmations are locked until %(time)s. "
        "Your vendor project manager has been told."
    ) % {"time": timezone.localtime(until).strftime("%Y-%m-%d %H:%M")}


# --- The check ------------------------------------------------------------------------------


def stepup_method_for(user: AbstractUser) -> str:
    """The organisation's choice (admin); one query, remembered on the user for the request."""
    method = getattr(user, "_stepup_method", None)
    if method is None:
        method = (
            Organization.objects.filter(profiles__user=user).values_list("stepup_method", flat=True).first()
            or StepUpMethod.PASSWORD
        )
        user._stepup_method = method
    return method


def stepup_verify(
    *, user: AbstractUser, purpose: StepUpPurpose, answer: str, origin=None, project=None, method: str | None = None
) -> str:
    """Check the password or one-time code; return the method used, or raise StepUpRefused.

    ``project`` names whose vendor PM hears of a lockout (the vendor managers when None);
    ``method`` overrides the organisation's choice (a password change needs the old password).
    """
    until = stepup_locked_until(user=user)
    if until is not None:
        raise StepUpRefused(_locked_message(until), code="locked")
    method = method or stepup_method_for(user)
    if method == StepUpMethod.EMAIL_CODE:
        problem = _code_problem(user=user, code=(answer or "").strip())
    else:
        problem = None if user.check_password(answer or "") else _("The password is not correct.")
    if problem is None:
        cache_delete(_failures_key(user.pk))
        return method
    if isinstance(problem, _NotCounted):
        raise StepUpRefused(str(problem))
    if _count_failure(user.pk) >= settings.STEPUP_FAILURE_LIMIT:
        until = timezone.now() + timedelta(minutes=settings.STEPUP_LOCK_MINUTES)
        cache_set(_lock_key(user.pk), until, timeout=settings.STEPUP_LOCK_MINUTES * 60)
        cache_delete(_failures_key(user.pk))
        after_request(
            partial(
                stepup_lockout_record,
                user_id=user.pk,
                purpose=purpose,
                until=until,
                origin=Origin(getattr(origin, "ip_address", None), getattr(origin, "user_agent", "")),
                project_id=getattr(project, "pk", None),
            )
        )
        raise StepUpRefused(_locked_message(until), code="locked")
    raise StepUpRefused(problem)


@transaction.atomic
def stepup_lockout_record(
    *, user_id: int, purpose: str, until: datetime, origin: Origin, project_id: int | None
) -> SecurityEvent:
    """The lockout in the person's security history; they and the vendor PM are told."""
    # Deferred import: projects depends on accounts.

    user = User.objects.get(pk=user_id)
    event = SecurityEvent.objects.create(
        user=user,
        actor=user,
        kind=SecurityEventKind.STEPUP_LOCKED,
        at=timezone.now(),
        ip_address=origin.ip_address,
        user_agent=origin.user_agent,
        comment=f"{purpose}; until {until.isoformat()}",
    )
    from projects.models import Project  # noqa: PLC0415 (layering: accounts sits below projects)

    project = Project.objects.select_related("vendor_pm").filter(pk=project_id).first() if project_id else None
    if project is not None:
        managers = [project.vendor_pm] if project.vendor_pm_id else []
    else:  # weekly reports and support without a project: the vendor managers
        managers = list(User.objects.filter(groups__name=VENDOR_MANAGERS_GROUP))
    context = {
        "person": display_name(user),
        "until": timezone.localtime(until).strftime("%Y-%m-%d %H:%M"),
        "project": project.code if project is not None else "-",
    }
    notification_create(recipients=[user], verb=verbs.STEPUP_LOCKED_SELF, context=context)
    notification_create(
        recipients=[manager for manager in managers if manager.pk != user.pk],
        verb=verbs.STEPUP_LOCKED_MANAGER,
        context=context,
    )
    return event


# --- One-time codes by e-mail ---------------------------------------------------------------


class _NotCounted(str):
    """A refusal that is not a guess (no code, expired, used): it does not count to the lock."""


def code_hash(*, code_id: int, code: str) -> str:
    return salted_hmac("accounts.stepup.code", f"{code_id}:{code}").hexdigest()


def _tries_key(code_id: int) -> str:
    return f"stepup:code-tries:{code_id}"


@transaction.atomic
def _code_problem(*, user: AbstractUser, code: str) -> str | None:
    """None when ``code`` is the person's latest code, unexpired, unused; it is used up then.

    The row is locked so that two requests cannot both use one code; when the caller's
    transaction rolls back (the signature is refused for another reason), the code stays usable.
    """
    latest = OneTimeCode.objects.select_for_update().filter(user=user, sent_at__isnull=False).first()
    if latest is None:
        return _NotCounted(_("Request a one-time code first; it is sent to your e-mail address."))
    if latest.used_at is not None:
        return _NotCounted(_("This code has already been used. Request a new one."))
    if latest.expires_at <= timezone.now():
        return _NotCounted(_("This code has expired. Request a new one."))
    tries = cache_get(_tries_key(latest.pk), 0)
    tries = 0 if tries is UNAVAILABLE else tries
    if tries >= CODE_MAX_TRIES:
        return _NotCounted(_("Too many wrong tries for this code. Request a new one."))
    if not constant_time_compare(code_hash(code_id=latest.pk, code=code), latest.code_hash):
        cache_set(_tries_key(latest.pk), tries + 1, timeout=CODE_VALID_MINUTES * 60)
        return _("The code is not correct.")
    latest.used_at = timezone.now()
    latest.save(update_fields=["used_at"])
    return None


@transaction.atomic
def stepup_code_request(*, user: AbstractUser, purpose: StepUpPurpose, origin) -> OneTimeCode:
    """Record a code request; the worker mints the code and e-mails it (an outbox effect)."""
    from .tasks import stepup_code_send_task  # noqa: PLC0415 (a cycle: accounts.tasks imports stepup)

    code = OneTimeCode.objects.create(user=user, purpose=purpose)
    SecurityEvent.objects.create(
        user=user,
        actor=user,
        kind=SecurityEventKind.CODE_SENT,
        at=timezone.now(),
        ip_address=getattr(origin, "ip_address", None),
        user_agent=getattr(origin, "user_agent", ""),
        comment=str(purpose),
    )
    effect_record(
        kind="mail.stepup_code",
        key=f"mail:stepup_code:{code.pk}",
        task=stepup_code_send_task,
        kwargs={"code_id": code.pk},
        queue=Queue.MAIL,
    )
    return code


@transaction.atomic
def stepup_code_issue(*, code: OneTimeCode) -> str | None:
    """Claim an unsent code row and mint its digits (returned once, stored as an HMAC).

    Returns None when it was already sent: the task is safe to run twice. Only a person's newest
    code is ever checked, so a new one makes the older ones useless.
    """
    now = timezone.now()
    digits = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    claimed = OneTimeCode.objects.filter(pk=code.pk, sent_at__isnull=True).update(
        sent_at=now,
        expires_at=now + timedelta(minutes=CODE_VALID_MINUTES),
        code_hash=code_hash(code_id=code.pk, code=digits),
    )
    if not claimed:
        return None
    code.refresh_from_db()
    return digits


def stepup_code_release(*, code: OneTimeCode) -> None:
    """The e-mail could not be sent: forget the digits so that a retry mints new ones."""
    OneTimeCode.objects.filter(pk=code.pk).update(sent_at=None, expires_at=None, code_hash="")


# --- Records written after the request's transactions ---------------------------------------

_pending: contextvars.ContextVar[list[Callable[[], object]] | None] = contextvars.ContextVar(
    "stepup_pending", default=None
)


def after_request(effect: Callable[[], object]) -> None:
    """Run ``effect`` when the current request is answered (StepUpEffectsMiddleware).

    Outside a request (a shell, a task) it runs now, in whatever transaction is open.
    """
    pending = _pending.get()
    if pending is None:
        effect()
    else:
        pending.append(effect)


def run_after_request_effects(get_response: Callable, request) -> object:
    pending: list[Callable[[], object]] = []
    token = _pending.set(pending)
    try:
        return get_response(request)
    finally:
        _pending.reset(token)
        for effect in pending:
            effect()
