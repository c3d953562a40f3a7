"""A year's report from start to approval through the pages: warnings explained before
submission, a reviewer's query answered, approval evaluating compliance; a return needs a
reason; a stale save is refused with 409 and the typed values kept."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from reporting.models import FieldQuery, ReportEvent, ReportingYear, WarningExplanation
from schools.models import AnnualReport, Scope
from schools.services import roles_sync
from standards.calc.codec import decode_items
from standards.models import ComplianceSummary
from tests import factories as f

pytestmark = pytest.mark.django_db

CODE = "3303820001"
LAST_YEAR = {"students_primary": 400, "classes_primary": 10, "teachers_primary": 25, "computers": 30}
BOOL_VALUES = {True: "true", False: "false", None: "unknown"}


@pytest.fixture
def school():
    call_command("loaddata", "report-rules", verbosity=0)
    basic = f.standard("t-basic")
    f.indicator(
        basic,
        "C",
        ["computers"],
        ["students_{level}"],
        scale=100,
        thresholds=["10"],
        name="每百名学生计算机台数",
        unit="台/百生",
        numerator_unit="台",
    )
    f.pass_rule(basic, max_failed=0)
    balance = f.standard("t-balance", kind="balance", unit="level")
    f.campaign(basic, balance)
    found = f.school(CODE, name="柳市一小")
    f.report(found, year=2012, **LAST_YEAR)
    ReportingYear.objects.create(year=2013)
    return found


def user(client, role, **scope):
    account = User.objects.create_user(role, password=f"yq-{role}-2013")
    account.groups.add(roles_sync()[role])
    made = Scope.objects.create(user=account)
    made.regions.add(*scope.get("regions", ()))
    made.schools.add(*scope.get("schools", ()))
    client.force_login(account)
    return client


@pytest.fixture
def clerk(client, school):
    return user(client, "clerk", schools=[school])


@pytest.fixture
def reviewer(school):
    return user(Client(), "reviewer", regions=[f.county()])


def form_data(report, **changes):
    """What the entry form posts: every figure the page shows, the revision it was loaded at."""
    data = {"version": report.revision}
    for key in [key for key in report.values() if not key.endswith(("_junior", "_senior"))]:
        value = changes.get(key, getattr(report, key))
        data[key] = BOOL_VALUES[value] if key == "pe_hour_met" else ("" if value is None else value)
    return data


def entry_url(year=2013):
    return reverse("reporting:entry", args=[CODE, year])


def review_url(year=2013):
    return reverse("reporting:review", args=[CODE, year])


def action_url(name, *query, year=2013):
    return reverse(f"reporting:{name}", args=[CODE, year, *query])


def started(clerk):
    assert clerk.post(action_url("start")).status_code == 302
    return AnnualReport.objects.get(school__code=CODE, year=2013)


def submitted(clerk):
    report = started(clerk)
    data = form_data(report, **LAST_YEAR)
    assert clerk.post(action_url("submit"), data).status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"
    return report


def test_clerk_explains_the_warning_reviewer_queries_and_approves(clerk, reviewer):
    response = clerk.get(entry_url())
    assert response.status_code == 200 and "开始填报" in response.content.decode()
    assert not AnnualReport.objects.filter(year=2013).exists()  # looking creates nothing
    report = started(clerk)
    assert report.status == "draft" and report.revision == 1

    # 30 → 45 computers is +50 % over last year's approved 30: the change-30 rule warns.
    figures = {**LAST_YEAR, "computers": 45}
    response = clerk.post(action_url("submit"), form_data(report, **figures))
    page = response.content.decode()
    assert response.status_code == 200
    assert "请说明：与上年核准值相比变化超过30%" in page
    assert 'name="explain__change-30__computers"' in page
    report.refresh_from_db()
    assert report.status == "draft" and report.computers == 0  # nothing of the refused submission is kept

    data = form_data(report, **figures)
    data["explain__change-30__computers"] = "新建计算机教室，添置15台"
    assert clerk.post(action_url("submit"), data).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.computers) == ("submitted", 45)
    assert WarningExplanation.objects.get(report=report, field="computers").text == "新建计算机教室，添置15台"

    page = reviewer.get(review_url()).content.decode()
    assert "新建计算机教室，添置15台" in page and "+15" in page and "+50%" in page

    assert (
        reviewer.post(action_url("query_raise"), {"field": "computers", "text": "请附采购清单"}).status_code
        == 302
    )
    query = FieldQuery.objects.get(report=report)
    assert (query.field, query.status, query.messages.get().text) == ("computers", "open", "请附采购清单")
    assert "请附采购清单" in clerk.get(entry_url()).content.decode()

    answer = clerk.post(action_url("query_reply", query.pk), {"text": "清单已上传至附件"})
    assert answer.status_code == 302 and answer["Location"] == entry_url()
    query.refresh_from_db()
    assert query.status == "answered" and query.messages.count() == 2
    assert reviewer.post(action_url("query_close", query.pk)).status_code == 302
    query.refresh_from_db()
    assert query.status == "closed"

    assert not ComplianceSummary.objects.filter(report=report).exists()
    report.refresh_from_db()
    approve = {"version": report.revision, "checked": "on"}
    assert reviewer.post(action_url("approve"), approve).status_code == 302
    report.refresh_from_db()
    assert report.status == "approved"
    # 45 computers for 400 students = 11.25 per 100 ≥ 10: passes.
    summary = ComplianceSummary.objects.get(report=report)
    assert summary.passed_rule is True and summary.failed_count == 0
    [item] = decode_items(summary.items)
    assert (item.value, item.passed) == (Decimal("11.2500"), True)
    assert summary.failed_indicators == ""
    actions = list(report.events.values_list("action", "from_status", "to_status"))
    assert actions == [
        ("created", "", "draft"),
        ("saved", "draft", "draft"),
        ("submitted", "draft", "submitted"),
        ("approved", "submitted", "approved"),
    ]
    assert report.events.all()[1].changes == {
        "computers": ["0", "45"],
        **{key: ["0", str(value)] for key, value in LAST_YEAR.items() if key != "computers"},
    }


def test_return_without_a_reason_is_refused(clerk, reviewer):
    report = submitted(clerk)
    response = reviewer.post(action_url("return"), {"version": report.revision, "reason": "  "})
    assert response.status_code == 200 and "请填写原因。" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "submitted"

    data = {"version": report.revision, "reason": "计算机数请核实"}
    assert reviewer.post(action_url("return"), data).status_code == 302
    report.refresh_from_db()
    assert report.status == "returned"
    assert report.events.get(action=ReportEvent.Action.RETURNED).reason == "计算机数请核实"
    assert "计算机数请核实" in clerk.get(entry_url()).content.decode()  # the clerk sees why


def test_reopen_needs_a_reason_and_drops_the_stored_results(clerk, reviewer):
    report = submitted(clerk)
    reviewer.post(action_url("approve"), {"version": report.revision, "checked": "on"})
    report.refresh_from_db()
    assert ComplianceSummary.objects.filter(report=report).exists()
    response = reviewer.post(action_url("reopen"), {"version": report.revision, "reason": ""})
    assert response.status_code == 200 and "请填写原因。" in response.content.decode()
    reopen = {"version": report.revision, "reason": "学生数有误"}
    assert reviewer.post(action_url("reopen"), reopen).status_code == 302
    report.refresh_from_db()
    assert report.status == "returned" and not ComplianceSummary.objects.filter(report=report).exists()


def test_a_stale_save_gets_409_and_keeps_what_was_typed(school):
    first = user(Client(), "clerk", schools=[school])
    second = Client()
    second.force_login(User.objects.get(username="clerk"))
    report = started(first)
    mine, theirs = form_data(report, computers=40), form_data(report, computers=20)

    assert first.post(action_url("save"), mine).status_code == 302
    response = second.post(action_url("save"), theirs)

    assert response.status_code == 409
    page = response.content.decode()
    assert "该年报已被他人修改" in page and f'href="{entry_url()}"' in page
    assert 'name="computers" value="20"' in page  # the typed value is still in the form
    assert "他人保存的值：40" in page
    report.refresh_from_db()
    assert (report.computers, report.revision) == (40, 2)


def test_a_stale_approval_gets_409(clerk, reviewer):
    report = submitted(clerk)
    stale = report.revision
    reviewer.post(action_url("return"), {"version": stale, "reason": "请核实"})
    response = reviewer.post(action_url("approve"), {"version": stale, "checked": "on"})
    assert response.status_code == 409 and "该年报已被他人修改" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "returned"
