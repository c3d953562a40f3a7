"""Two people saving the same report at once: exactly one save wins, the other is refused with
Conflict, and the winner's figures are what the database holds (real threads, real
connections; on PostgreSQL as well as SQLite)."""

import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection

from reporting import services as workflow
from schools.models import AnnualReport
from tests import factories as f


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_one_wins_one_conflicts():
    school = f.school("3303820001")
    report = f.report(
        school,
        status=AnnualReport.Status.DRAFT,
        students_primary=300,
        classes_primary=8,
        teachers_primary=20,
        computers=30,
    )
    users = [User.objects.create_user(name, password=f"yq-{name}-2013") for name in ("clerk", "reviewer")]
    version = report.revision
    barrier = threading.Barrier(2)
    outcomes = {}

    def save(user, computers):
        try:
            mine = AnnualReport.objects.select_related("school").get(pk=report.pk)
            barrier.wait(timeout=10)
            workflow.report_save(report=mine, values={"computers": computers}, user=user, version=version)
            outcomes[user.username] = ("saved", computers)
        except workflow.Conflict:
            outcomes[user.username] = ("conflict", computers)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(user, n)) for user, n in zip(users, (40, 50), strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    kinds = sorted(kind for kind, _ in outcomes.values())
    assert kinds == ["conflict", "saved"]
    [winner] = [n for kind, n in outcomes.values() if kind == "saved"]
    stored = AnnualReport.objects.get(pk=report.pk)
    assert stored.computers == winner and stored.revision == version + 1
    assert stored.events.count() == 1
