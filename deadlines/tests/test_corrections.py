"""Publishing a year corrects deadlines whose effect already fired under the provisional calendar
(SPEC §5): what each rule declares decides whether the effect stands, is withdrawn or is flagged."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command

from accounts.tests.factories import OrganizationFactory, UserFactory
from deadlines.calendar import TZ
from deadlines.enums import CorrectionOutcome, DayKind, DeadlineStatus, RuleCode
from deadlines.hooks import register_rule
from deadlines.models import CalendarCorrection, DeadlineChange
from deadlines.services import calendar_year_load, deadline_open, deadline_sweep
from deadlines.sources import DaySpec
from notifications.models import Notification

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
# Monday 2027-02-01, 5 working days. Provisionally (02-05..02-08 off) → 02-10.
STARTED = datetime(2027, 2, 1, 10, 0, tzinfo=TZ)
PROVISIONAL_DUE_AT = datetime(2027, 2, 11, 0, 0, tzinfo=TZ)
FIRED_AT = datetime(2027, 2, 11, 0, 30, tzinfo=TZ)
LOADED_AT = datetime(2027, 2, 11, 9, 0, tzinfo=TZ)


def _spring(first: int, last: int) -> list[DaySpec]:
    return [
        DaySpec(date=date(2027, 2, day), kind=DayKind.HOLIDAY, name_zh="春节", name_en="Spring Festival")
        for day in range(first, last + 1)
    ]


@pytest.fixture
def pm(db):
    return UserFactory()


@pytest.fixture
def fired(change_reply_rule, recorder, pm):
    """A change_reply deadline whose (recording) effect fired at the provisional end."""
    with time_machine.travel(STARTED, tick=False):
        deadline = deadline_open(
            target=OrganizationFactory(),
            rule=RuleCode.CHANGE_REPLY,
            started_at=STARTED,
            working_days=5,
            recipients=[pm],
        )
    assert (deadline.due_at, deadline.provisional) == (PROVISIONAL_DUE_AT, True)
    with time_machine.travel(FIRED_AT, tick=False):
        assert deadline_sweep(now=FIRED_AT).applied == 1
    deadline.refresh_from_db()
    Notification.objects.filter(verb="deadlines.reminder").delete()
    return deadline


def _load(days: list[DaySpec]):
    with time_machine.travel(LOADED_AT, tick=False):
        return calendar_year_load(year=2027, days=days, source="test-2027")


def _register(recorder, **declared):
    register_rule(RuleCode.CHANGE_REPLY, effect=recorder, **declared)


def test_correct_end_before_the_firing_leaves_the_effect_and_says_so(fired, recorder, pm):
    result = _load(_spring(5, 7))  # back to work on Monday 02-08: 02-02, 03, 04, 08, 09

    fired.refresh_from_db()
    assert fired.status == DeadlineStatus.EXPIRED
    assert (fired.due_at, fired.fired_due_at, fired.correction) == (
        datetime(2027, 2, 10, 0, 0, tzinfo=TZ),
        PROVISIONAL_DUE_AT,
        CorrectionOutcome.STANDS,
    )
    correction = CalendarCorrection.objects.get()
    assert result.moved == [correction]
    assert (correction.fired_at, correction.fired_early) == (FIRED_AT, False)
    assert recorder.calls == [fired.pk]
    notification = Notification.objects.get(verb="deadlines.corrected")
    assert notification.recipient == pm
    assert notification.context["due"] == "2027-02-09"
    assert notification.context["old_due"] == "2027-02-10"


def test_early_effect_of_a_rule_that_declares_nothing_stands(fired, recorder):
    _register(recorder)

    _load(_spring(5, 11))  # 02-02, 03, 04, 12, 15

    fired.refresh_from_db()
    correction = CalendarCorrection.objects.get()
    assert (fired.status, fired.correction) == (DeadlineStatus.EXPIRED, CorrectionOutcome.STANDS)
    assert (correction.fired_early, correction.new_due_at) == (True, datetime(2027, 2, 16, 0, 0, tzinfo=TZ))


def test_early_irreversible_effect_is_flagged_for_the_administrator(fired, recorder, pm):
    admin = UserFactory(is_staff=True, is_superuser=True)
    _register(recorder, irreversible=True, clause="§3.1.4")

    _load(_spring(5, 11))

    fired.refresh_from_db()
    correction = CalendarCorrection.objects.get()
    assert (fired.status, fired.correction) == (DeadlineStatus.EXPIRED, CorrectionOutcome.ADMIN_REVIEW)
    assert (correction.outcome, correction.clause, correction.reviewed_at) == (
        CorrectionOutcome.ADMIN_REVIEW,
        "§3.1.4",
        None,
    )
    assert recorder.calls == [fired.pk]  # never reversed, never re-run
    assert Notification.objects.filter(verb="deadlines.corrected_review", recipient=pm).count() == 1
    assert Notification.objects.filter(verb="deadlines.correction_review", recipient=admin).count() == 1


def test_withdrawn_effect_runs_again_at_the_correct_end_exactly_once(fired, recorder):
    withdrawn = []
    _register(recorder, withdraw=lambda deadline: withdrawn.append(deadline.pk) or CorrectionOutcome.WITHDRAWN)

    _load(_spring(5, 11))

    fired.refresh_from_db()
    assert withdrawn == [fired.pk]
    assert (fired.status, fired.applied_at, fired.correction) == (
        DeadlineStatus.OPEN,
        None,
        CorrectionOutcome.WITHDRAWN,
    )
    for moment in (datetime(2027, 2, 15, 23, 0, tzinfo=TZ), datetime(2027, 2, 16, 0, 30, tzinfo=TZ)):
        with time_machine.travel(moment, tick=False):
            deadline_sweep(now=moment)
            deadline_sweep(now=moment)
    fired.refresh_from_db()
    assert fired.status == DeadlineStatus.EXPIRED
    assert recorder.calls == [fired.pk, fired.pk]


def test_confirmed_date_only_drops_the_provisional_flag(fired):
    _load(_spring(5, 8))  # the official schedule happens to match the statutory days

    fired.refresh_from_db()
    assert (fired.due_at, fired.provisional, fired.fired_due_at, fired.correction) == (
        PROVISIONAL_DUE_AT,
        False,
        None,
        "",
    )
    assert DeadlineChange.objects.count() == 0
    assert Notification.objects.filter(verb__startswith="deadlines.corrected").count() == 0


def test_calendar_load_prints_every_deadline_it_moved_or_flagged(fired, recorder, pm):
    _register(recorder, irreversible=True, clause="§3.1.4")
    open_one = deadline_open(
        target=OrganizationFactory(),
        rule=RuleCode.CHANGE_REPLY,
        started_at=datetime(2027, 2, 3, 9, 0, tzinfo=TZ),
        working_days=2,
        recipients=[pm],
    )
    out = io.StringIO()

    with time_machine.travel(LOADED_AT, tick=False):
        call_command("calendar_load", str(DATA / "sample-2027.csv"), stdout=out)

    assert out.getvalue().splitlines()[-5:] == [
        f"  deadline #{open_one.pk} change_reply: due 2027-02-09 → 2027-02-12 (provisional → final)",
        f"  deadline #{fired.pk} change_reply: fired 2027-02-11 00:30 under due 2027-02-10; correct end 2027-02-15: "
        "FLAGGED for the administrator (not reversed) §3.1.4",
        "  1 open deadline(s) move",
        "  1 fired deadline(s) corrected, 1 flagged for the administrator",
        "Saved.",
    ]
