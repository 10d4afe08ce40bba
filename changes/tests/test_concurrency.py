"""Two replies racing on the same letter end with exactly one (the row lock in change_reply)."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from changes.enums import ChangeEventKind, ChangeKind, ChangeState
from changes.models import ChangeRequest
from changes.services import change_reply, change_review_start

from .factories import META, change_filed, in_thread

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Racing replies need real row locks (SELECT … FOR UPDATE): run with DATABASE_URL=postgresql://…",
    ),
]


def test_two_replies_racing_end_with_one(certificate, project, pm):
    # Filed in a thread of its own: after commit the letter's PDF is sealed, and the test's
    # thread may hold Playwright's event loop when a browser test ran before.
    change = in_thread(lambda: change_filed(project, kind=ChangeKind.CUSTOMER_REASONS))
    in_thread(lambda: change_review_start(change=change, user=pm, meta=META))
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def reply(accept: bool) -> None:
        try:
            barrier.wait()
            change_reply(change=change, user=pm, meta=META, accept=accept, reasons="接受" if accept else "不接受")
            outcomes.append("accepted" if accept else "rejected")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=reply, args=(accept,)) for accept in (True, False)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    change = ChangeRequest.objects.get(pk=change.pk)
    winner = ChangeState.ACCEPTED if change.reply_accepted else ChangeState.REJECTED
    assert sorted(outcomes) == sorted([str(winner), "该变更说明函已经答复。"])
    assert change.state == winner
    replies = change.events.filter(kind__in=[ChangeEventKind.ACCEPTED, ChangeEventKind.REJECTED])
    assert replies.count() == 1
    assert change.pdfs.filter(document="reply").count() == 1
