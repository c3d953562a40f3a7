"""What people write on the report pages has a length limit: 2,000 characters for a query's
message or a warning's explanation, 500 for a reason. A longer text is refused with a message
naming the limit, and nothing of the request is kept."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from reporting.forms import ReasonForm
from reporting.models import FieldQuery, QueryMessage, ReportEvent, WarningExplanation
from reporting.selectors import findings_for
from reporting.services import explanations_save, query_raise, query_reply, report_reopen, report_return
from schools.models import AnnualReport, Scope
from schools.services import roles_sync
from tests import factories as f

pytestmark = pytest.mark.django_db

CODE = "3303820001"
# 2.4 MB, just under what Django accepts in one request (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MiB).
HUGE = "x" * 2_400_000


@pytest.fixture
def report():
    school = f.school(CODE, name="柳市一小")
    figures = {"students_primary": 400, "classes_primary": 10, "teachers_primary": 25}
    return f.report(school, year=2013, status=AnnualReport.Status.SUBMITTED, **figures)


@pytest.fixture
def reviewer(report):
    account = User.objects.create_user("reviewer", password="yq-reviewer-2013")
    account.groups.add(roles_sync()["reviewer"])
    Scope.objects.create(user=account).regions.add(report.school.region)
    return account


def test_a_query_of_2_4_megabytes_is_refused_and_2000_characters_are_kept(report, reviewer):
    client = Client()
    client.force_login(reviewer)
    url = reverse("reporting:query_raise", args=[CODE, 2013])

    response = client.post(url, {"field": "books", "text": HUGE})

    assert response.status_code == 200
    assert "不能超过2000个字" in response.content.decode()
    assert not FieldQuery.objects.exists() and not QueryMessage.objects.exists()
    query = query_raise(report=report, field="books", user=reviewer, text="问" * 2000)
    assert len(query.messages.get().text) == 2000


def test_an_answer_over_the_limit_is_refused(report, reviewer):
    query = query_raise(report=report, field="books", user=reviewer, text="图书是否含电子书？")
    with pytest.raises(ValidationError, match="不能超过2000个字（现有2001个字）"):
        query_reply(query=query, user=reviewer, text="答" * 2001, answered=True)
    assert query.messages.count() == 1
    assert FieldQuery.objects.get().status == FieldQuery.Status.OPEN


def test_a_reason_over_500_characters_is_refused(report, reviewer):
    with pytest.raises(ValidationError, match="不能超过500个字"):
        report_return(report=report, user=reviewer, version=report.revision, reason="因" * 501)
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.SUBMITTED
    assert not ReportEvent.objects.exists()
    report_return(report=report, user=reviewer, version=report.revision, reason="因" * 500)
    assert ReportEvent.objects.get().reason == "因" * 500


def test_a_reopening_reason_over_500_characters_is_refused(report, reviewer):
    AnnualReport.objects.filter(pk=report.pk).update(status=AnnualReport.Status.APPROVED)
    report.refresh_from_db()
    with pytest.raises(ValidationError, match="不能超过500个字"):
        report_reopen(report=report, user=reviewer, version=report.revision, reason=HUGE)
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.APPROVED


def test_an_explanation_over_the_limit_is_refused(report, reviewer):
    # 30 → 45 computers is +50 % over last year's approved 30: the change-30 rule warns.
    call_command("loaddata", "report-rules", verbosity=0)
    f.report(
        report.school, year=2012, students_primary=400, classes_primary=10, teachers_primary=25, computers=30
    )
    AnnualReport.objects.filter(pk=report.pk).update(status=AnnualReport.Status.DRAFT, computers=45)
    report.refresh_from_db()
    warning = ("change-30", "computers")
    assert warning in {(finding.rule, finding.field) for finding in findings_for(report)}

    with pytest.raises(ValidationError, match="不能超过2000个字"):
        explanations_save(report=report, user=reviewer, explanations={warning: HUGE})
    assert not WarningExplanation.objects.exists()
    explanations_save(report=report, user=reviewer, explanations={warning: "新" * 2000})
    assert len(WarningExplanation.objects.get().text) == 2000


def test_the_pages_tell_the_browser_the_limits(client, report, reviewer):
    assert 'maxlength="500"' in str(ReasonForm()["reason"])
    client.force_login(reviewer)
    page = client.get(reverse("reporting:review", args=[CODE, report.year])).content.decode()
    assert 'maxlength="2000"' in page  # the query box in each field's row
