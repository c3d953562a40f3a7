"""What the entry page says: an empty draft has nothing to preview, a save that keeps only an
explanation says so, and refused figures are listed at the top by their fields' titles, never
by the field keys that rule messages carry for the bureau's files."""

import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from reporting.models import WarningExplanation
from schools.models import AnnualReport, Scope
from schools.services import roles_sync
from tests import factories as f

pytestmark = pytest.mark.django_db

CODE = "3303820001"
LAST_YEAR = {"students_primary": 400, "classes_primary": 10, "teachers_primary": 25, "computers": 30}


@pytest.fixture
def clerk(client):
    call_command("loaddata", "report-rules", verbosity=0)
    basic = f.standard("t-basic")
    f.indicator(basic, "C", ["computers"], ["students_{level}"], scale=100, thresholds=["10"])
    f.pass_rule(basic, max_failed=0)
    balance = f.standard("t-balance", kind="balance", unit="level")
    f.campaign(basic, balance)
    school = f.school(CODE, name="柳市一小")
    f.report(school, year=2012, **LAST_YEAR)
    user = User.objects.create_user("clerk")
    user.groups.add(roles_sync()["clerk"])
    Scope.objects.create(user=user).schools.add(school)
    client.force_login(user)
    return client


def draft(**values):
    school = AnnualReport.objects.get(year=2012).school
    return f.report(school, year=2013, status=AnnualReport.Status.DRAFT, **values)


def posted(report, **changes):
    """What the entry form of a primary school posts: its figures and the revision."""
    data = {
        key: value
        for key, value in report.values().items()
        if value is not None and not key.endswith(("_junior", "_senior")) and key != "pe_hour_met"
    }
    return {**data, "version": report.revision, **changes}


def test_an_empty_draft_has_nothing_to_preview(clerk):
    draft()
    page = clerk.get(reverse("reporting:entry", args=[CODE, 2013])).content.decode()
    assert "尚未填报，无法预览" in page
    assert "符合达标规则" not in page


def test_a_filled_in_draft_is_previewed(clerk):
    draft(**LAST_YEAR)
    page = clerk.get(reverse("reporting:entry", args=[CODE, 2013])).content.decode()
    # 30 computers for 400 pupils = 7.5 per 100, below 10.
    assert "不符合达标规则" in page and "尚未填报" not in page


def test_saving_only_an_explanation_says_it_was_saved(clerk):
    # 30 → 45 computers is +50 % on last year's approved value: the change-30 rule warns.
    report = draft(**{**LAST_YEAR, "computers": 45})
    data = posted(report, **{"explain__change-30__computers": "新建计算机教室"})
    response = clerk.post(reverse("reporting:save", args=[CODE, 2013]), data, follow=True)
    page = response.content.decode()
    assert "已保存说明" in page and "没有需要保存的修改" not in page
    assert WarningExplanation.objects.get(field="computers").text == "新建计算机教室"
    report.refresh_from_db()
    assert report.revision == 1  # no figure changed


def test_saving_nothing_new_says_so(clerk):
    report = draft(**LAST_YEAR)
    response = clerk.post(reverse("reporting:save", args=[CODE, 2013]), posted(report), follow=True)
    assert "没有需要保存的修改" in response.content.decode()


def test_refused_figures_are_listed_at_the_top_by_title_with_a_link(clerk):
    report = draft(**LAST_YEAR)
    # 26 teachers above the degree of 25 primary teachers: a part larger than its whole.
    data = posted(report, qualified_above_primary=26)
    response = clerk.post(reverse("reporting:save", args=[CODE, 2013]), data)
    assert response.status_code == 200
    [(title, anchor, message)] = response.context["error_summary"]
    assert (str(title), anchor) == ("小学高于规定学历教师数", "id_qualified_above_primary")
    assert "不能大于小学专任教师数" in message
    page = response.content.decode()
    summary = page[page.index('id="errors"') : page.index("</div>", page.index('id="errors"'))]
    assert '<a href="#id_qualified_above_primary">小学高于规定学历教师数</a>' in summary
    report.refresh_from_db()
    assert report.qualified_above_primary == 0


def test_no_field_key_is_shown_in_a_message(clerk):
    report = draft(**LAST_YEAR)
    response = clerk.post(
        reverse("reporting:save", args=[CODE, 2013]), posted(report, qualified_above_primary=26)
    )
    text = re.sub(r"<[^>]*>", " ", response.content.decode())  # what is read, not the markup
    assert "qualified_above_primary" not in text and "teachers_primary" not in text
