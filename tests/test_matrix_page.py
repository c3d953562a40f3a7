"""The matrix page (tracked school × phase), its counts, filters, sorting and .xlsx export, the
severe list, a tracked school's page and the admin's phase columns, on tests/phase_world.py.

Expected phases (from the world's docstring):
  A 3303820001 柳市镇: ✓ 04-02, ✓ 10-10, ✓ 10-10, ✓ 12-01, ✓ 10-10
  B 3303820002 柳市镇: overdue, overdue, overdue, not done, not done (severe by rule)
  C 3303820003 虹桥镇: overdue, ✓ 06-15, ✓ 10-20, not done, not done (severe by override)
"""

import io
from datetime import datetime

import openpyxl
import pytest
from django.urls import reverse

from phases.models import TrackedSchool
from phases.selectors_matrix import phase_statuses
from tests import phase_world
from tests.phase_world import A, B, C

pytestmark = pytest.mark.django_db
LIUSHI, HONGQIAO = "330382114", "330382108"


@pytest.fixture
def world():
    return phase_world.build()


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


def codes(response):
    return [row.record.code for row in response.context["table"].paginated_rows]


def test_counts_per_phase_of_done_and_overdue(client, world):
    response = get(client, world["users"]["admin"], reverse("phases:matrix"))
    counts = {number: (n["done"], n["overdue"]) for number, _name, n in response.context["phases"]}
    # Phase 1: A done; B and C overdue. 2: A and C done; B overdue. 3: A and C done; B overdue.
    # 4 and 5: A done; B and C not done, not overdue (the phases end in 2099).
    assert counts == {1: (1, 2), 2: (2, 1), 3: (2, 1), 4: (1, 0), 5: (1, 0)}
    assert response.context["tracked_count"] == 3


def test_counts_per_town(client, world):
    response = get(client, world["users"]["admin"], reverse("phases:matrix"))
    towns = {
        town: (total, [(n["done"], n["overdue"]) for n in counts.values()])
        for town, total, counts in response.context["towns"]
    }
    assert towns == {
        # A and B: A done everywhere; B overdue in 1–3.
        "柳市镇": (2, [(1, 1), (1, 1), (1, 1), (1, 0), (1, 0)]),
        # C: overdue in 1, done in 2 and 3.
        "虹桥镇": (1, [(0, 1), (1, 0), (1, 0), (0, 0), (0, 0)]),
    }


def test_a_cell_shows_a_tick_and_date_or_the_word_overdue_in_red(client, world):
    html = get(client, world["users"]["admin"], reverse("phases:matrix")).content.decode()
    assert '<span class="pass nowrap">✓ 2013-04-02</span>' in html
    assert '<span class="fail nowrap">逾期</span>' in html
    assert html.count('<span class="fail nowrap">逾期</span>') == 4  # B in 1–3, C in 1


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", [A, B, C]),
        (f"?region={HONGQIAO}", [C]),
        (f"?region={LIUSHI}", [A, B]),
        ("?severity=yes", [B, C]),
        ("?severity=no", [A]),
        ("?phase=2&status=not_done", [B]),
        ("?phase=4&status=not_done", [B, C]),
        ("?phase=1&status=done", [A]),
        ("?phase=1&status=overdue", [B, C]),
        ("?phase=3&status=overdue", [B]),
        ("?status=overdue", [B, C]),
        ("?phase=5", [A, B, C]),
        (f"?region={LIUSHI}&phase=1&status=overdue", [B]),
        ("?q=虹桥", [C]),
    ],
)
def test_filters(client, world, query, expected):
    response = get(client, world["users"]["admin"], reverse("phases:matrix") + query)
    assert codes(response) == expected


def test_the_counts_follow_the_town_and_severity_filters_but_not_the_phase_filter(client, world):
    response = get(
        client, world["users"]["admin"], reverse("phases:matrix") + "?severity=yes&phase=2&status=done"
    )
    counts = {number: (n["done"], n["overdue"]) for number, _name, n in response.context["phases"]}
    # Severe: B and C. Phase 1: both overdue; 2: C done, B overdue; 3 likewise.
    assert counts[1] == (0, 2)
    assert counts[2] == (1, 1)
    assert codes(response) == [C]


def test_a_mistyped_town_lists_nothing_and_the_export_refuses(client, world):
    user = world["users"]["admin"]
    response = get(client, user, reverse("phases:matrix") + "?region=999")
    assert codes(response) == []
    assert "region" in response.context["form"].errors
    assert client.get(reverse("phases:matrix_export") + "?region=999").status_code == 400


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        # Overdue first, then not done, then done by date: B overdue; C 06-15; A 10-10.
        ("p2", [B, C, A]),
        ("-p2", [A, C, B]),
        ("p1", [B, C, A]),
        ("-code", [C, B, A]),
        ("severe", [A, B, C]),
    ],
)
def test_sorting(client, world, sort, expected):
    response = get(client, world["users"]["admin"], reverse("phases:matrix") + f"?sort={sort}")
    assert codes(response) == expected


def test_a_town_officer_and_a_clerk_see_only_their_schools(client, world):
    town = get(client, world["users"]["town"], reverse("phases:matrix"))
    assert codes(town) == [A, B]
    assert town.context["tracked_count"] == 2
    assert [town for town, _total, _counts in town.context["towns"]] == ["柳市镇"]
    assert "虹桥一小" not in town.content.decode()
    clerk = get(client, world["users"]["clerk"], reverse("phases:matrix"))
    assert codes(clerk) == [A]


def test_the_nav_links_to_the_matrix_for_those_who_may_see_it(client, world):
    html = get(client, world["users"]["town"], reverse("home")).content.decode()
    assert f'href="{reverse("phases:matrix")}">创建工作</a>' in html


def workbook_rows(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response))).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_export_has_the_filtered_rows_with_each_phase_and_date(client, world):
    rows = workbook_rows(
        get(client, world["users"]["admin"], reverse("phases:matrix_export") + f"?region={LIUSHI}")
    )
    assert rows[0][:6] == ["学校标识码", "学校名称", "所属镇街", "问题严重", "1. 问题核实阶段", "1. 完成日期"]
    assert rows[1] == [
        A,
        "柳市一小",
        "柳市镇",
        "否",
        "已完成",
        datetime(2013, 4, 2),
        "已完成",
        datetime(2013, 10, 10),
        "已完成",
        datetime(2013, 10, 10),
        "已完成",
        datetime(2013, 12, 1),
        "已完成",
        datetime(2013, 10, 10),
    ]
    assert rows[2] == [
        B,
        "柳市二小",
        "柳市镇",
        "是",
        "逾期",
        None,
        "逾期",
        None,
        "逾期",
        None,
        "未完成",
        None,
        "未完成",
        None,
    ]
    assert len(rows) == 3


def test_the_export_keeps_the_phase_filter_and_the_scope(client, world):
    rows = workbook_rows(
        get(client, world["users"]["town"], reverse("phases:matrix_export") + "?status=overdue")
    )
    assert [row[0] for row in rows[1:]] == [B]  # C is overdue too, but outside 柳市镇


def test_the_severe_list_shows_the_rule_beside_the_bureaus_decision(client, world):
    response = get(client, world["users"]["admin"], reverse("phases:severe"))
    rows = {row.record.code: row for row in response.context["table"].paginated_rows}
    assert sorted(rows) == [B, C]
    assert rows[C].get_cell("rule") == "不严重"
    assert rows[C].get_cell("override") == "严重"
    assert rows[C].get_cell("reason") == "校舍为危房"
    assert rows[B].get_cell("override") == "—"
    # Two severe; one by the rule (B); one decided by the bureau (C); C rectified (waived 06-15).
    assert (response.context["severe_count"], response.context["by_rule"]) == (2, 1)
    assert (response.context["overridden"], response.context["rectified"]) == (1, 1)


def test_the_severe_list_keeps_a_school_the_bureau_took_off_and_says_so(client, world):
    tracked = world["tracked"][B]
    tracked.severity_override, tracked.override_reason = False, "已列入撤并计划"
    tracked.save()
    response = get(client, world["users"]["admin"], reverse("phases:severe"))
    rows = {row.record.code: row for row in response.context["table"].paginated_rows}
    assert "一般（人工认定）" in rows[B].get_cell("verdict")
    assert response.context["severe_count"] == 1


def test_the_severe_export(client, world):
    rows = workbook_rows(get(client, world["users"]["admin"], reverse("phases:severe_export")))
    assert rows[1] == [B, "柳市二小", "柳市镇", 1, "是", None, None, "是", "逾期", None]
    assert rows[2] == [
        C,
        "虹桥一小",
        "虹桥镇",
        1,
        "否",
        "是",
        "校舍为危房",
        "是",
        "已完成",
        datetime(2013, 6, 15),
    ]


# --- A tracked school's page -------------------------------------------------------------------


def test_the_school_page_shows_its_phases_gaps_and_severity(client, world):
    response = get(client, world["users"]["admin"], reverse("phases:school", args=[C]))
    html = response.content.decode()
    states = [(status.state, status.on) for status, _name, _ends in response.context["phases"]]
    assert states == [
        ("overdue", None),
        ("done", datetime(2013, 6, 15).date()),
        ("done", datetime(2013, 10, 20).date()),
        ("not_done", None),
        ("not_done", None),
    ]
    assert f'href="{reverse("phases:gap", args=[world["gaps"][C].pk])}"' in html
    assert "校舍为危房" in html
    assert "按规则：不严重" in html


def test_the_timeline_runs_from_baseline_to_the_last_entry_in_date_order(client, world):
    response = get(client, world["users"]["admin"], reverse("phases:school", args=[A]))
    events = [(event.on.isoformat(), event.kind) for event in response.context["timeline"]]
    assert events == [
        ("2012-11-20", "approval"),
        ("2013-03-05", "enrolment"),
        ("2013-04-01", "visit"),
        ("2013-04-02", "sign-off"),
        ("2013-09-18", "evidence"),
        ("2013-09-20", "decision"),
        # The approval first: its data closed the gap.
        ("2013-10-10", "approval"),
        ("2013-10-10", "close"),
        ("2013-12-01", "ledger"),
    ]


def test_the_timeline_shows_a_waiver_and_an_override(client, world):
    response = get(client, world["users"]["admin"], reverse("phases:school", args=[C]))
    texts = [(event.on.isoformat(), event.kind, event.text) for event in response.context["timeline"]]
    assert ("2013-06-15", "waiver", "生均用地 免予整改：并入中心校") in texts
    assert any(kind == "severity" and "校舍为危房" in text for _on, kind, text in texts)


def test_the_clerk_sees_no_visit_of_their_school_their_role_cannot_read(client, world):
    response = get(client, world["users"]["clerk"], reverse("phases:school", args=[A]))
    assert response.status_code == 200
    kinds = {event.kind for event in response.context["timeline"]}
    assert "visit" not in kinds and "ledger" not in kinds
    assert "evidence" in kinds
    assert "visit_form" not in response.context


def test_a_school_outside_the_scope_or_not_tracked_is_not_found(client, world):
    town = world["users"]["town"]
    assert get(client, town, reverse("phases:school", args=[C])).status_code == 404
    world["gaps"][B].delete()
    world["tracked"][B].delete()
    assert get(client, town, reverse("phases:school", args=[B])).status_code == 404


# --- The admin ---------------------------------------------------------------------------------


def test_the_admin_lists_each_schools_phases(client, world):
    html = get(
        client, world["users"]["admin"], reverse("admin:phases_trackedschool_changelist")
    ).content.decode()
    assert html.count("✓ 2013-10-10") == 3  # A: phases 2, 3 and 5
    assert "✓ 2013-06-15" in html


@pytest.mark.parametrize(
    ("state", "expected"),
    [("2-overdue", {B}), ("2-done", {A, C}), ("4-not_done", {B, C}), ("1-done", {A}), ("9-done", set())],
)
def test_the_admin_filters_by_phase_state(client, world, state, expected):
    url = reverse("admin:phases_trackedschool_changelist") + f"?phase_state={state}"
    response = get(client, world["users"]["admin"], url)
    assert {tracked.school.code for tracked in response.context["cl"].result_list} == expected


# --- Queries do not grow with the number of schools ----------------------------------------------

PAGES = {
    "matrix": lambda: reverse("phases:matrix"),
    "matrix filtered": lambda: reverse("phases:matrix") + f"?region={LIUSHI}&phase=2&status=done",
    "export": lambda: reverse("phases:matrix_export"),
    "severe": lambda: reverse("phases:severe"),
    "admin": lambda: reverse("admin:phases_trackedschool_changelist"),
    "admin filtered": lambda: reverse("admin:phases_trackedschool_changelist") + "?phase_state=1-done",
}


def grown(world, extra):
    for index in range(extra):
        tracked = phase_world.add_like_a(world, f"33038201{index:02d}", ("liushi", "hongqiao")[index % 2])
        tracked.severe = True
        tracked.save()


@pytest.mark.parametrize("page", PAGES)
def test_queries_do_not_grow_with_the_schools(client, world, django_assert_num_queries, page):
    client.force_login(world["users"]["admin"])
    url = PAGES[page]()
    counted = []
    for extra in (0, 4):  # 3 tracked schools, then 7
        grown(world, extra)
        with django_assert_num_queries(QUERIES[page]) as captured:
            response = client.get(url)
        assert response.status_code == 200
        counted.append(len(captured))
    assert counted[0] == counted[1]


# Session, user and permissions; the campaign and its phase names; the tracked schools; the nine
# queries of the five phases (phases.selectors_matrix.phase_statuses); the page's own (the matrix:
# two more for the candidate schools, three when there are some).
QUERIES = {
    "matrix": 18,
    "matrix filtered": 20,
    "export": 14,
    "severe": 16,
    "admin": 17,
    "admin filtered": 27,
}


@pytest.mark.parametrize("size", [2, 6])
def test_the_phases_of_any_number_of_schools_take_nine_queries(world, django_assert_num_queries, size):
    grown(world, 4)  # 7 tracked schools
    tracked = list(TrackedSchool.objects.select_related("campaign").order_by("school__code")[:size])
    # Phases' end dates, ledger items, signed-off visits, ledger entries, waivers' history,
    # accepted evidence, gaps, stored compliance, approved reports.
    with django_assert_num_queries(9):
        statuses = phase_statuses(tracked)
    assert len(statuses) == size


def test_the_school_and_gap_pages_link_to_the_what_if_of_closing_their_open_gaps(client, world):
    """From a school's page, the what-if of its unresolved gaps; from an open gap's page, of that
    gap; nothing to try where every gap is closed (school A)."""
    admin, open_gap = world["users"]["admin"], world["gaps"][B]
    whatif = reverse("phases:whatif")
    page = get(client, admin, reverse("phases:school", args=[B])).content.decode()
    assert f'href="{whatif}?gap={open_gap.pk}"' in page
    page = get(client, admin, reverse("phases:gap", args=[open_gap.pk])).content.decode()
    assert f'href="{whatif}?gap={open_gap.pk}"' in page
    assert whatif not in get(client, admin, reverse("phases:school", args=[A])).content.decode()


def test_the_admin_exports_the_chosen_schools_phases(client, world):
    """The admin's tracked-school list exports the rows ticked there, as the matrix page does."""
    client.force_login(world["users"]["admin"])
    chosen = [world["tracked"][A].pk, world["tracked"][C].pk]
    response = client.post(
        reverse("admin:phases_trackedschool_changelist"),
        {"action": "export_matrix", "_selected_action": chosen},
    )
    assert response.status_code == 200
    rows = workbook_rows(response)
    assert [row[0] for row in rows[1:]] == [A, C]
