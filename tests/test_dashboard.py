"""The leadership pages: login required, failing schools with their shortfalls, constant queries."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schools.models import Scope
from standards.services import compliance_recompute
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
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
        order=1,
    )
    f.indicator(
        basic,
        "K",
        ["books"],
        ["students_{level}"],
        thresholds=["15"],
        name="生均图书",
        unit="册/生",
        numerator_unit="册",
        order=2,
    )
    f.pass_rule(basic, max_failed=1)
    national = f.standard("t-balance", kind="balance", unit="level")
    f.indicator(national, "B5", ["books"], ["students_{level}"])
    f.balance_rule(national)
    return f.campaign(basic, national, is_demo=True)


def add_schools(count, start, computers=5, books=900):
    t = f.town()
    for i in range(count):
        s = f.school(f"33038{start + i:05d}", region=t, name=f"演示学校{start + i}")
        f.report(
            s, students_primary=100, classes_primary=4, teachers_primary=5, computers=computers, books=books
        )
    compliance_recompute()  # as an import does: the pages only read stored results


@pytest.fixture
def viewer(client):
    """A leadership viewer whose scope is the whole county."""
    user = User.objects.create_user("leader", password="yq-leader-2013")
    Scope.objects.create(user=user).regions.add(f.county())
    client.force_login(user)
    return client


def test_pages_require_login(client):
    for url in (reverse("home"), reverse("dashboard:compliance"), reverse("dashboard:balance")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(reverse("login")).status_code == 200


def test_failing_schools_listed_with_items_and_shortfalls(campaign, viewer):
    add_schools(2, 1)  # 5 per 100 (5 short of 10) and 9 books (600 short of 1,500): fail 2
    add_schools(1, 50, computers=10, books=1500)  # passes everything
    page = viewer.get(reverse("dashboard:compliance")).content.decode()
    assert "演示学校1" in page and "演示学校2" in page and "演示学校50" not in page
    assert "差 5 台" in page and "差 600 册" in page
    assert "共 2 条" in page


def test_the_list_narrows_to_the_schools_failing_one_indicator(campaign, viewer):
    add_schools(2, 1)  # fail computers (5 per 100 < 10) and books (9 per pupil < 15)
    add_schools(1, 30, computers=10)  # fails books only
    add_schools(1, 40, books=1500)  # fails computers only
    computers = campaign.standard.indicators.get(code="C")
    url = reverse("dashboard:compliance")
    response = viewer.get(url, {"failed": "", "indicator": computers.pk})
    page = response.content.decode()
    assert "演示学校1" in page and "演示学校2" in page and "演示学校40" in page
    assert "演示学校30" not in page and "共 3 条" in page
    books = campaign.standard.indicators.get(code="K")
    page = viewer.get(url, {"failed": "1", "indicator": books.pk}).content.decode()
    assert "演示学校30" in page and "共 1 条" in page
    # None passes everything and fails books: the table says so rather than standing empty.
    page = viewer.get(url, {"failed": "0", "indicator": books.pk}).content.decode()
    assert "共 0 条" in page and "没有符合筛选条件的学校。" in page
    # An indicator of another standard is not a choice of this one: the filter says so and
    # lists nothing, rather than every school.
    other = f.indicator(f.standard("t-other"), "X", ["books"], ["students_{level}"], thresholds=["1"])
    response = viewer.get(url, {"indicator": other.pk})
    assert response.context["table"] is None and "indicator" in response.context["form"].errors


def test_home_counts_schools_failing_two_items_and_shows_demo_banner(campaign, viewer):
    add_schools(3, 1)
    add_schools(2, 50, computers=10, books=1500)
    response = viewer.get(reverse("home"))
    page = response.content.decode()
    assert "演示数据" in page
    assert response.context["standing"][0] == {
        "year": 2012,
        "report__year": 2012,
        "units": 5,
        "passing": 2,
        "failing": 3,
        "two_plus": 3,
        "missing": 0,  # every active school has an approved 2012 report: a verdict
    }


def test_school_page_shows_every_item(campaign, viewer):
    add_schools(1, 1)
    page = viewer.get(reverse("dashboard:school", args=["3303800001"])).content.decode()
    assert "每百名学生计算机台数" in page and "生均图书" in page and "不符合达标规则" in page


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_page_queries_do_not_grow_with_schools(campaign, viewer):
    add_schools(3, 1)
    urls = [
        reverse("home"),
        reverse("dashboard:compliance"),
        reverse("dashboard:balance"),
        reverse("dashboard:compliance") + "?failed=0&year=2012",
        reverse("dashboard:compliance")
        + f"?failed=&indicator={campaign.standard.indicators.get(code='C').pk}",
    ]
    few = [_count(viewer, url) for url in urls]
    add_schools(30, 100)
    assert [_count(viewer, url) for url in urls] == few
