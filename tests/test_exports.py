"""Exports of the registry, the reports and compliance results: the user's scope only, the page's
filters, formulas kept as text, and the same number of queries whatever the number of rows."""

import html
import io
import re

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting.importing.services import reports_import
from schools.importing.services import schools_import
from schools.models import Scope
from schools.services import roles_sync
from standards.services import compliance_recompute
from tests import factories as f

pytestmark = pytest.mark.django_db

SCHOOLS, REPORTS, COMPLIANCE = (
    reverse(f"dashboard:export_{name}") for name in ("schools", "reports", "compliance")
)
FORMULA_NAME = '=HYPERLINK("http://example.com","点我")'


@pytest.fixture
def towns():
    county = f.county()
    liushi = f.town(county, "330382114", "柳市镇")
    hongqiao = f.town(county, "330382108", "虹桥镇")
    basic = f.standard("t-basic", name="办学基本标准")
    computers = {"name": "每百名学生计算机台数", "unit": "台/百生", "numerator_unit": "台", "order": 1}
    f.indicator(basic, "C", ["computers"], ["students_{level}"], scale=100, thresholds=["10"], **computers)
    books = {"name": "生均图书", "unit": "册/生", "numerator_unit": "册", "order": 2}
    f.indicator(basic, "K", ["books"], ["students_{level}"], thresholds=["15"], **books)
    f.pass_rule(basic, max_failed=1)
    # 5 computers and 900 books for 100 pupils: 5 per 100 (5 short of 10), 9 a pupil (600 short of 1,500).
    poor = {"students_primary": 100, "classes_primary": 4, "teachers_primary": 5}
    poor.update({"computers": 5, "books": 900})
    first = f.school("3303820001", region=liushi, name="柳市一小")
    f.report(first, **poor)
    f.report(first, year=2011, status="draft")
    second = f.school("3303820002", region=liushi, name=FORMULA_NAME)
    f.report(second, **{**poor, "computers": 10, "books": 1500})
    f.school("3303820003", school_type="junior", region=liushi, name="柳市一中")
    f.report(f.school("3303820009", region=hongqiao, name="虹桥一小"), **poor)
    compliance_recompute()  # as an import does: the pages and exports only read stored results
    return {"liushi": liushi, "hongqiao": hongqiao}


def login(client, role=None, regions=()):
    user = User.objects.create_user(role or "nobody", password="yq-test-2013")
    if role:
        user.groups.add(roles_sync()[role])
    if regions:
        Scope.objects.create(user=user).regions.add(*regions)
    client.force_login(user)
    return client


def sheet_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return openpyxl.load_workbook(io.BytesIO(response.getvalue())).active


def rows_of(client, url):
    return [list(row) for row in sheet_of(client, url).iter_rows(values_only=True)]


@pytest.fixture
def town_officer(client, towns):
    return login(client, "town", [towns["liushi"]])


def test_town_officer_exports_only_the_schools_of_the_town(town_officer):
    rows = rows_of(town_officer, SCHOOLS)
    assert (
        rows[0]
        == "学校标识码 学校名称 办学类型 举办者类型 城乡分类 所属镇街 学区 是否教学点 所属中心校标识码".split()
    )
    assert rows[1] == ["3303820001", "柳市一小", "小学", "公办", "镇区", "柳市镇", None, "否", None]
    assert [row[0] for row in rows[1:]] == ["3303820001", "3303820002", "3303820003"]


def test_town_officer_exports_only_the_reports_of_the_town(town_officer):
    rows = rows_of(town_officer, REPORTS)
    assert rows[0][:5] == ["学校标识码", "学校名称", "年度", "小学在校生数", "初中在校生数"]
    years = [(row[0], row[2]) for row in rows[1:]]
    assert years == [("3303820001", 2012), ("3303820002", 2012), ("3303820001", 2011)]
    books = rows[0].index("图书册数")
    assert rows[1][3] == 100 and rows[1][books] == 900


def test_town_officer_exports_only_the_compliance_of_the_town(town_officer):
    rows = rows_of(town_officer, COMPLIANCE + "?failed=")
    assert rows[0] == (
        "学校标识码 学校名称 所属镇街 年度 学段 标准 指标 实际值 标准值 单位 达标 达成度（%） 差额 差额单位".split()
    )
    school = ["3303820001", "柳市一小", "柳市镇", 2012, None, "办学基本标准"]
    other = ["3303820002", FORMULA_NAME, "柳市镇", 2012, None, "办学基本标准"]
    # 5 per 100 pupils against 10: 50 %, 5 computers short; 9 books a pupil against 15: 60 %, 600 short.
    computers, books = ["每百名学生计算机台数", "台/百生", "台"], ["生均图书", "册/生", "册"]
    assert rows[1:] == [
        school + _item(computers, 5, 10, "否", 50, 5),
        school + _item(books, 9, 15, "否", 60, 600),
        other + _item(computers, 10, 10, "是", 100, 0),
        other + _item(books, 15, 15, "是", 100, 0),
    ]


def _item(indicator, value, threshold, passed, percent, shortfall):
    name, unit, shortfall_unit = indicator
    return [name, value, threshold, unit, passed, percent, shortfall, shortfall_unit]


def test_compliance_export_without_filters_lists_what_the_page_lists_by_default(town_officer):
    # The page's defaults: the first per-school standard, the latest year, schools failing 2+ items.
    assert [row[0] for row in rows_of(town_officer, COMPLIANCE)[1:]] == ["3303820001", "3303820001"]
    disposition = town_officer.get(COMPLIANCE)["Content-Disposition"]
    assert disposition == 'attachment; filename="compliance-2012.xlsx"'


def test_the_compliance_page_links_to_the_export_of_its_own_filters(town_officer):
    page = town_officer.get(reverse("dashboard:compliance") + "?failed=&q=3303820002").content.decode()
    assert "导出Excel" in page
    link = html.unescape(re.search(r'href="(/export/compliance\.xlsx\?[^"]*)"', page).group(1))
    assert "q=3303820002" in link and "standard=t-basic" in link and "year=2012" in link
    assert [row[0] for row in rows_of(town_officer, link)[1:]] == ["3303820002", "3303820002"]


def test_school_filters_by_town_type_and_search(client, towns):
    login(client, "admin")
    assert len(rows_of(client, SCHOOLS)) == 1 + 4
    assert [row[0] for row in rows_of(client, SCHOOLS + "?region=330382108")[1:]] == ["3303820009"]
    assert [row[0] for row in rows_of(client, SCHOOLS + "?school_type=junior")[1:]] == ["3303820003"]
    assert [row[0] for row in rows_of(client, SCHOOLS + "?q=柳市一")[1:]] == ["3303820001", "3303820003"]
    assert len(rows_of(client, SCHOOLS + "?q=33038200")) == 1 + 4


def test_report_filters_by_year_town_and_status(client, towns):
    login(client, "admin")
    response = client.get(REPORTS + "?year=2011")
    assert response["Content-Disposition"] == 'attachment; filename="reports-2011.xlsx"'
    assert [row[0] for row in rows_of(client, REPORTS + "?year=2011")[1:]] == ["3303820001"]
    assert [row[0] for row in rows_of(client, REPORTS + "?year=2012&region=330382108")[1:]] == ["3303820009"]
    assert [row[2] for row in rows_of(client, REPORTS + "?status=draft")[1:]] == [2011]


BAD_FILTERS = [
    SCHOOLS + "?region=999",
    SCHOOLS + "?school_type=college",
    REPORTS + "?status=lost",
    REPORTS + "?year=abc",
    REPORTS + "?region=999",
    COMPLIANCE + "?year=1990",
    COMPLIANCE + "?region=999",
    COMPLIANCE + "?failed=7",
    COMPLIANCE + "?standard=no-such",
]


@pytest.mark.parametrize("url", BAD_FILTERS)
def test_a_filter_that_does_not_validate_is_refused_not_dropped(client, towns, url):
    login(client, "admin")
    assert client.get(url).status_code == 400


def test_a_name_that_looks_like_a_formula_is_written_as_text(client, towns):
    login(client, "admin")
    cell = sheet_of(client, SCHOOLS)["B3"]
    assert (cell.data_type, cell.value, cell.quotePrefix) == ("s", FORMULA_NAME, True)


def test_exported_reports_and_schools_import_again_unchanged(client, towns, tmp_path):
    login(client, "admin")
    reports = tmp_path / "reports.xlsx"
    reports.write_bytes(client.get(REPORTS + "?year=2012").getvalue())
    outcome = reports_import(path=reports)
    assert outcome.ok and (outcome.created, outcome.unchanged) == (0, 3), [str(p) for p in outcome.problems]
    schools = tmp_path / "schools.xlsx"
    schools.write_bytes(client.get(SCHOOLS + "?q=柳市一").getvalue())
    outcome = schools_import(path=schools)
    assert outcome.ok and (outcome.created, outcome.unchanged) == (0, 2), [str(p) for p in outcome.problems]


def add_schools(count, start, region):
    for i in range(count):
        school = f.school(f"33038{start + i:05d}", region=region)
        f.report(school, students_primary=100, classes_primary=4, teachers_primary=5, computers=5, books=900)


def _count(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_queries_do_not_grow_with_rows(town_officer, towns):
    urls = [SCHOOLS, REPORTS, COMPLIANCE + "?failed=", reverse("reporting:template") + "?year=2013"]
    for url in urls:
        _count(town_officer, url)  # the first compliance export stores the results it computes
    few = [_count(town_officer, url) for url in urls]
    add_schools(40, 100, towns["liushi"])
    for url in urls:
        _count(town_officer, url)
    assert [_count(town_officer, url) for url in urls] == few
    assert len(rows_of(town_officer, SCHOOLS)) == 1 + 3 + 40


def test_each_export_needs_the_view_permission_of_its_model(client, towns):
    login(client, regions=[towns["liushi"]])
    assert [client.get(url).status_code for url in (SCHOOLS, REPORTS, COMPLIANCE)] == [403, 403, 403]


def test_a_school_clerk_may_export_what_the_pages_show_them(client, towns):
    login(client, "clerk", [towns["liushi"]])
    assert [client.get(url).status_code for url in (SCHOOLS, REPORTS, COMPLIANCE)] == [200, 200, 200]
    page = client.get(reverse("dashboard:compliance") + "?failed=").content.decode()
    assert "导出Excel" in page


def test_an_anonymous_visitor_is_sent_to_log_in(client, towns):
    for url in (SCHOOLS, REPORTS, COMPLIANCE):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
