"""The data entry page: only the levels the school teaches, last year's approved value beside
each field, errors in Chinese next to their fields, a preview that stores nothing."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from reporting.models import FieldQuery, ReportingYear
from schools.models import AnnualReport, Scope
from schools.services import roles_sync
from standards.models import ComplianceSummary
from tests import factories as f

pytestmark = pytest.mark.django_db

PRIMARY, NINE_YEAR = "3303820001", "3303820002"


@pytest.fixture
def schools():
    basic = f.standard("t-basic")
    f.indicator(
        basic,
        "C",
        ["computers"],
        ["students_{level}"],
        scale=100,
        thresholds=["10"],
        name="每百名学生计算机台数",
    )
    f.pass_rule(basic, max_failed=0)
    balance = f.standard("t-balance", kind="balance", unit="level")
    f.campaign(basic, balance)
    primary = f.school(PRIMARY, name="柳市一小")
    nine = f.school(NINE_YEAR, school_type="nine_year", name="柳市九校")
    f.report(primary, year=2012, students_primary=400, classes_primary=10, teachers_primary=25, computers=30)
    f.report(
        primary,
        year=2013,
        status=AnnualReport.Status.DRAFT,
        students_primary=400,
        classes_primary=10,
        teachers_primary=25,
        computers=30,
    )
    f.report(nine, year=2013, status=AnnualReport.Status.DRAFT)
    return primary, nine


def as_role(client, role, schools):
    user = User.objects.create_user(role, password=f"yq-{role}-2013")
    user.groups.add(roles_sync()[role])
    Scope.objects.create(user=user).schools.add(*schools)
    client.force_login(user)
    return client


def posted(report, **changes):
    """What the entry form posts for a primary school: its figures and the revision."""
    data = {
        key: value
        for key, value in report.values().items()
        if value is not None and not key.endswith(("_junior", "_senior")) and key != "pe_hour_met"
    }
    return {**data, "version": report.revision, **changes}


def fields_of(response):
    return set(response.context["form"].fields)


def test_fields_follow_the_levels_the_school_teaches(client, schools):
    as_role(client, "clerk", schools)
    primary = fields_of(client.get(reverse("reporting:entry", args=[PRIMARY, 2013])))
    nine = fields_of(client.get(reverse("reporting:entry", args=[NINE_YEAR, 2013])))
    assert (
        "students_primary" in primary
        and "students_junior" not in primary
        and "teachers_senior" not in primary
    )
    assert "students_junior" in nine and "pe_art_junior" in nine and "classes_senior" not in nine
    assert {"version", "computers", "pe_hour_met", "health_pass_rate"} <= primary


def test_sections_labels_units_and_last_years_approved_value(client, schools):
    as_role(client, "clerk", schools)
    response = client.get(reverse("reporting:entry", args=[PRIMARY, 2013]))
    titles = [str(title) for title, _rows in response.context["sections"]]
    assert titles == ["学生与班级", "教师", "用地与校舍", "装备", "经费", "其他"]
    rows = {row.key: row for _title, rows in response.context["sections"] for row in rows}
    computers = rows["computers"]
    assert (str(computers.label), str(computers.unit), computers.previous) == ("教学用计算机台数", "台", 30)
    assert str(rows["site_area"].unit) == "平方米"
    page = response.content.decode()
    report = AnnualReport.objects.get(school__code=PRIMARY, year=2013)
    assert f'name="version" value="{report.revision}"' in page


def test_errors_are_shown_in_chinese_next_to_their_fields(client, schools):
    as_role(client, "clerk", schools)
    report = AnnualReport.objects.get(school__code=PRIMARY, year=2013)
    data = posted(report, qualified_above_primary=26, books=-1)
    response = client.post(reverse("reporting:save", args=[PRIMARY, 2013]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"books"}  # the form refuses a negative count before anything is saved
    assert "0" in errors["books"][0] and "大于或等于" in errors["books"][0]
    data["books"] = 0
    response = client.post(reverse("reporting:save", args=[PRIMARY, 2013]), data)
    errors = response.context["form"].errors
    assert list(errors) == ["qualified_above_primary"]  # 26 above-degree teachers of 25
    assert "不能大于小学专任教师数" in errors["qualified_above_primary"][0]
    report.refresh_from_db()
    assert report.qualified_above_primary == 0 and report.revision == 1


def test_preview_uses_the_typed_values_and_stores_nothing(client, schools):
    as_role(client, "clerk", schools)
    report = AnnualReport.objects.get(school__code=PRIMARY, year=2013)
    data = posted(report, computers=40)
    response = client.post(reverse("reporting:preview", args=[PRIMARY, 2013]), data)
    [unit] = response.context["preview"]
    [item] = unit.items
    # 40 computers for 400 students = 10 per 100: exactly the threshold of 10.
    assert (item.value, item.threshold, item.passed) == (10, 10, True)
    assert "达标" in response.content.decode()
    report.refresh_from_db()
    assert report.computers == 30 and not report.events.exists()
    assert not ComplianceSummary.objects.exists()


def test_saved_figures_are_previewed_with_the_shortfall(client, schools):
    as_role(client, "clerk", schools)
    response = client.get(reverse("reporting:entry", args=[PRIMARY, 2013]))
    [unit] = response.context["preview"]
    [item] = unit.items
    # 30 computers for 400 students = 7.5 per 100; 10 per 100 needs 40, so 10 short.
    assert (item.value, item.passed, item.shortfall) == (7.5, False, 10)
    assert unit.passed_rule is False


def test_a_reader_sees_the_report_read_only(client, schools):
    as_role(client, "leader", schools)
    response = client.get(reverse("reporting:entry", args=[PRIMARY, 2013]))
    assert response.status_code == 200 and response.context["editable"] is False
    assert all(field.disabled for name, field in response.context["form"].fields.items() if name != "version")
    assert "保存草稿" not in response.content.decode()


def test_a_submitted_report_cannot_be_saved(client, schools):
    as_role(client, "clerk", schools)
    report = AnnualReport.objects.get(school__code=PRIMARY, year=2013)
    AnnualReport.objects.filter(pk=report.pk).update(status=AnnualReport.Status.SUBMITTED)
    response = client.get(reverse("reporting:entry", args=[PRIMARY, 2013]))
    assert response.context["editable"] is False
    response = client.post(reverse("reporting:save", args=[PRIMARY, 2013]), posted(report, computers=31))
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.computers == 30


def test_looking_at_a_year_not_started_creates_nothing(client, schools):
    as_role(client, "clerk", schools)
    response = client.get(reverse("reporting:entry", args=[PRIMARY, 2014]))
    assert response.status_code == 200 and "开始填报" in response.content.decode()
    assert not AnnualReport.objects.filter(year=2014).exists()
    ReportingYear.objects.create(year=2014)
    client.post(reverse("reporting:start", args=[PRIMARY, 2014]))
    client.post(reverse("reporting:start", args=[PRIMARY, 2014]))
    report = AnnualReport.objects.get(year=2014)
    assert report.status == "draft" and report.events.count() == 1  # starting twice starts once


def test_a_query_of_another_report_is_not_found(client, schools):
    as_role(client, "clerk", schools)
    nine = AnnualReport.objects.get(school__code=NINE_YEAR, year=2013)
    query = FieldQuery.objects.create(
        report=nine, field="books", raised_by=User.objects.get(username="clerk")
    )
    url = reverse("reporting:query_reply", args=[PRIMARY, 2013, query.pk])
    assert client.post(url, {"text": "?"}).status_code == 404
    assert not query.messages.exists()
