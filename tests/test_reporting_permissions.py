"""Who gets what on the report pages: each role × each page or action × a report inside and
outside the user's scope. Outside the scope is 404; inside, an action the role may not take is 403."""

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse

from reporting.models import FieldQuery, QueryMessage, ReportingYear
from schools.models import AnnualReport, Region, Scope
from schools.roles import ROLES
from schools.services import roles_sync
from tests import factories as f

pytestmark = pytest.mark.django_db

IN, OUT = "3303820001", "3303810001"
D, S, A = AnnualReport.Status.DRAFT, AnnualReport.Status.SUBMITTED, AnnualReport.Status.APPROVED
FIGURES = {"students_primary": 100, "classes_primary": 4, "teachers_primary": 5, "computers": 5}


SCOPES = {
    "reviewer": {"regions": ["county"]},
    "clerk": {"schools": ["inside"]},
    "town": {"regions": ["liushi"]},
    "leader": {"regions": ["county"]},
    "inspector": {"regions": ["prefecture"]},
}


def build_city():
    """Two schools in two counties with reports in every state and a query each, and one user
    per role with its scope."""
    prefecture = Region.objects.create(code="330300", name="温州市", kind="prefecture")
    yueqing = f.county()
    yueqing.parent = prefecture
    yueqing.save()
    ruian = Region.objects.create(code="330381", name="瑞安市", kind="county", parent=prefecture)
    liushi = f.town(yueqing, "330382114", "柳市镇")
    inside = f.school(IN, region=liushi, name="柳市一小")
    outside = f.school(OUT, region=f.town(ruian, "330381100", "塘下镇"), name="塘下一小")
    for year in (2011, 2012, 2013):  # the years being reported are the years the bureau opened
        ReportingYear.objects.create(year=year)
    for school in (inside, outside):
        f.report(school, year=2011, status=A, **FIGURES)
        f.report(school, year=2012, status=S, **FIGURES)
        f.report(school, year=2013, status=D, **FIGURES)
        query = FieldQuery.objects.create(
            report=school.reports.get(year=2012),
            field="computers",
            raised_by=User.objects.get_or_create(username="asker")[0],
        )
        QueryMessage.objects.create(query=query, author=query.raised_by, text="请核实")
    city = {"prefecture": prefecture, "county": yueqing, "liushi": liushi, "inside": inside}
    groups = roles_sync()
    for role in ROLES:
        user = User.objects.create_user(role.key, password=f"yq-{role.key}-2013")
        user.groups.add(groups[role.key])
        scope = SCOPES.get(role.key)
        if scope:
            made = Scope.objects.create(user=user)
            made.regions.add(*(city[key] for key in scope.get("regions", ())))
            made.schools.add(*(city[key] for key in scope.get("schools", ())))
    return city


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker):
    """Built once for the module and rolled back after it; each test rolls back its own writes."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_city()
        transaction.set_rollback(True)


def login(client, role):
    client.force_login(User.objects.get(username=role))


def _figures(code):
    report = AnnualReport.objects.get(school__code=code, year=2013)
    data = {
        key: value for key, value in report.values().items() if value is not None and key != "pe_hour_met"
    }
    return {**data, "computers": 6, "version": report.revision}


def _version(code, year):
    return AnnualReport.objects.get(school__code=code, year=year).revision


def _query(code):
    return FieldQuery.objects.get(report__school__code=code).pk


# name → (method, url name, year, POST data for a school code); a query's URL names the query.
ACTIONS = {
    "entry": ("get", "reporting:entry", 2013, None),
    "start": ("post", "reporting:start", 2014, lambda code: {}),
    "save": ("post", "reporting:save", 2013, _figures),
    "review": ("get", "reporting:review", 2012, None),
    "raise": ("post", "reporting:query_raise", 2012, lambda code: {"field": "books", "text": "?"}),
    "answer": ("post", "reporting:query_reply", 2012, lambda code: {"text": "已核实"}),
    "close": ("post", "reporting:query_close", 2012, lambda code: {}),
    "return": (
        "post",
        "reporting:return",
        2012,
        lambda code: {"reason": "请核实", "version": _version(code, 2012)},
    ),
    "approve": (
        "post",
        "reporting:approve",
        2012,
        lambda code: {"checked": "on", "version": _version(code, 2012)},
    ),
    "reopen": (
        "post",
        "reporting:reopen",
        2011,
        lambda code: {"reason": "有误", "version": _version(code, 2011)},
    ),
}

# role → action → (status for the report inside the scope, for the one outside)
EXPECTED = {
    "admin": {
        "entry": (200, 200),
        "start": (302, 302),
        "save": (302, 302),
        "review": (200, 200),
        "raise": (302, 302),
        "answer": (302, 302),
        "close": (302, 302),
        "return": (302, 302),
        "approve": (302, 302),
        "reopen": (302, 302),
    },
    "reviewer": {
        "entry": (200, 404),
        "start": (302, 404),
        "save": (302, 404),
        "review": (200, 404),
        "raise": (302, 404),
        "answer": (302, 404),
        "close": (302, 404),
        "return": (302, 404),
        "approve": (302, 404),
        "reopen": (302, 404),
    },
    "clerk": {
        "entry": (200, 404),
        "start": (302, 404),
        "save": (302, 404),
        "review": (200, 404),
        "raise": (403, 404),
        "answer": (302, 404),
        "close": (403, 404),
        "return": (403, 404),
        "approve": (403, 404),
        "reopen": (403, 404),
    },
    "town": {
        "entry": (200, 404),
        "start": (403, 404),
        "save": (403, 404),
        "review": (200, 404),
        "raise": (403, 404),
        "answer": (403, 404),
        "close": (403, 404),
        "return": (403, 404),
        "approve": (403, 404),
        "reopen": (403, 404),
    },
    "leader": {
        "entry": (200, 404),
        "start": (403, 404),
        "save": (403, 404),
        "review": (200, 404),
        "raise": (403, 404),
        "answer": (403, 404),
        "close": (403, 404),
        "return": (403, 404),
        "approve": (403, 404),
        "reopen": (403, 404),
    },
    "inspector": {
        "entry": (200, 200),
        "start": (403, 403),
        "save": (403, 403),
        "review": (200, 200),
        "raise": (403, 403),
        "answer": (403, 403),
        "close": (403, 403),
        "return": (403, 403),
        "approve": (403, 403),
        "reopen": (403, 403),
    },
}

# role → status of the queue, the completeness page and the navigation entry (no report in the URL)
LISTS = {"admin": 200, "reviewer": 200, "clerk": 200, "town": 200, "leader": 200, "inspector": 200}


def _status(client, action, code):
    method, name, year, data = ACTIONS[action]
    query = [_query(code)] if name in ("reporting:query_reply", "reporting:query_close") else []
    url = reverse(name, args=[code, year, *query])
    if method == "get":
        return client.get(url).status_code
    return client.post(url, data(code)).status_code


@pytest.mark.parametrize("role", [role.key for role in ROLES])
@pytest.mark.parametrize("action", list(ACTIONS))
def test_each_role_and_action_inside_and_outside_the_scope(client, city, role, action):
    login(client, role)
    assert (_status(client, action, IN), _status(client, action, OUT)) == EXPECTED[role][action]


@pytest.mark.parametrize("role", [role.key for role in ROLES])
def test_lists_by_role(client, city, role):
    login(client, role)
    assert client.get(reverse("reporting:queue")).status_code == LISTS[role]
    assert client.get(reverse("reporting:completeness")).status_code == LISTS[role]
    assert client.get(reverse("reporting:mine")).status_code == 302


def test_refused_actions_change_nothing(client, city):
    login(client, "town")
    before = list(AnnualReport.objects.order_by("pk").values_list("status", "revision"))
    for action in ("approve", "return", "reopen", "save", "start"):
        _status(client, action, IN)
    assert list(AnnualReport.objects.order_by("pk").values_list("status", "revision")) == before
    assert not AnnualReport.objects.filter(year=2014).exists()


def test_a_user_without_a_role_is_refused_everywhere(client, city):
    client.force_login(User.objects.create_user("nobody", password="yq-nobody-2013"))
    assert client.get(reverse("reporting:queue")).status_code == 403
    assert client.get(reverse("reporting:completeness")).status_code == 403
    assert client.get(reverse("reporting:entry", args=[IN, 2013])).status_code == 404  # no scope: no school


def test_clerk_is_sent_to_their_school_and_reviewer_to_the_queue(client, city):
    login(client, "clerk")
    assert client.get(reverse("reporting:mine"))["Location"] == reverse("reporting:entry", args=[IN, 2013])
    client.logout()
    login(client, "reviewer")
    assert client.get(reverse("reporting:mine"))["Location"] == reverse("reporting:queue")


def test_pages_need_a_login(client, city):
    for url in (reverse("reporting:queue"), reverse("reporting:entry", args=[IN, 2013])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
