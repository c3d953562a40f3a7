"""Recording inspection visits (phase 1) and ledger entries (phase 4): the services' refusals leave
nothing written, and the school page's forms go through them (tests/phase_world.py).

The reviewer's scope is 柳市镇 (schools A and B); C is in 虹桥镇. The campaign runs from 2013-03-01
(phase 1's start) to 2099-06-30 (phase 5's end).
"""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from phases.models import Campaign, InspectionVisit, LedgerEntry, LedgerItem, Phase
from phases.selectors_matrix import phase_statuses
from phases.services_progress import (
    ledger_entry_record,
    ledger_entry_remove,
    visit_record,
    visit_sign_off,
)
from schools.services import scope_set
from tests import phase_world
from tests.phase_world import A, B, C

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return phase_world.build()


def visit(world, code=B, **changes):
    fields = {
        "tracked": world["tracked"][code],
        "user": world["users"]["reviewer"],
        "visited_on": date(2013, 4, 8),
        "inspectors": "张三、李四",
        "findings": "计算机缺15台",
        "sign_off": False,
        **changes,
    }
    return visit_record(**fields)


def counts():
    return InspectionVisit.objects.count(), InspectionVisit.history.count(), LedgerEntry.objects.count()


def verified(tracked):
    tracked.refresh_from_db()
    return phase_statuses([tracked])[tracked.pk][0]


# --- Visits ------------------------------------------------------------------------------------


def test_a_signed_off_visit_verifies_the_school_on_the_day_of_the_visit(world):
    tracked = world["tracked"][B]
    assert verified(tracked).state == "overdue"
    recorded = visit(world, sign_off=True)
    assert (recorded.signed_off, recorded.signed_off_on) == (True, date(2013, 4, 8))
    assert recorded.signed_off_by == world["users"]["reviewer"]
    assert recorded.history.latest().history_user == world["users"]["reviewer"]
    assert (verified(tracked).done, verified(tracked).on) == (True, date(2013, 4, 8))


def test_a_visit_not_signed_off_does_not_verify_until_it_is(world):
    tracked = world["tracked"][B]
    recorded = visit(world)
    assert verified(tracked).done is False
    visit_sign_off(visit=recorded, user=world["users"]["reviewer"], signed_off_on=date(2013, 4, 9))
    assert (verified(tracked).done, verified(tracked).on) == (True, date(2013, 4, 9))


def test_signing_off_defaults_to_today_and_only_once(world):
    recorded = visit(world)
    signed = visit_sign_off(visit=recorded, user=world["users"]["reviewer"])
    assert signed.signed_off_on == timezone.localdate()
    with pytest.raises(ValidationError, match="已于"):
        visit_sign_off(visit=recorded, user=world["users"]["reviewer"])


def test_a_sign_off_before_the_visit_or_in_the_future_is_refused(world):
    recorded = visit(world)
    before = counts()
    with pytest.raises(ValidationError, match="确认日期 2013-04-07 早于核查日期 2013-04-08"):
        visit_sign_off(visit=recorded, user=world["users"]["reviewer"], signed_off_on=date(2013, 4, 7))
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError, match="晚于今天"):
        visit_sign_off(visit=recorded, user=world["users"]["reviewer"], signed_off_on=tomorrow)
    assert counts() == before
    recorded.refresh_from_db()
    assert recorded.signed_off is False


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"visited_on": date(2013, 2, 28)},
            "核查日期 2013-02-28 不在创建工作期间（2013-03-01 至 2099-06-30）内",
        ),
        ({"visited_on": timezone.localdate() + timedelta(days=1)}, "晚于今天"),
        ({"inspectors": "  "}, "请填写核查人员"),
        ({"findings": ""}, "请填写核查情况"),
        ({"inspectors": "张" * 301}, "核查人员不能超过300个字（现有301个字）"),
    ],
)
def test_bad_visits_are_refused_with_nothing_written(world, changes, message):
    before = counts()
    with pytest.raises(ValidationError, match=message.replace("（", ".").replace("）", ".")):
        visit(world, **changes)
    assert counts() == before


def test_a_visit_outside_the_users_scope_is_refused(world):
    before = counts()
    with pytest.raises(ValidationError, match="虹桥一小.*不在您的数据范围内"):
        visit(world, code=C)
    assert counts() == before


def test_a_campaign_without_phase_dates_takes_no_visit(world):
    Phase.objects.all().delete()
    with pytest.raises(ValidationError, match="尚未设定阶段日期"):
        visit(world)


def test_a_role_without_the_permission_is_refused(world):
    with pytest.raises(PermissionDenied):
        visit(world, user=world["users"]["town"])
    # Recording a visit without the right to sign one off: recorded, never signed off.
    recorder = User.objects.create_user("recorder")
    recorder.user_permissions.add(Permission.objects.get(codename="add_inspectionvisit"))
    recorder.user_permissions.add(Permission.objects.get(codename="view_school"))
    recorder = User.objects.get(pk=recorder.pk)
    scope_set(user=recorder, regions=[world["towns"]["liushi"]])
    with pytest.raises(PermissionDenied):
        visit(world, user=recorder, sign_off=True)
    assert visit(world, user=recorder).signed_off is False


# --- Ledger ------------------------------------------------------------------------------------


def ledger(world, code=B, **changes):
    fields = {
        "tracked": world["tracked"][code],
        "item": world["item"],
        "user": world["users"]["reviewer"],
        "completed_on": date(2013, 12, 5),
        "note": "已装订成册",
        **changes,
    }
    return ledger_entry_record(**fields)


def test_a_ledger_entry_is_recorded_then_corrected(world):
    entry = ledger(world)
    assert (entry.completed_on, entry.note, entry.recorded_by) == (
        date(2013, 12, 5),
        "已装订成册",
        world["users"]["reviewer"],
    )
    again = ledger(world, completed_on=date(2013, 12, 9), note="补充目录")
    assert again.pk == entry.pk
    assert (again.completed_on, again.note) == (date(2013, 12, 9), "补充目录")
    assert LedgerEntry.history.filter(id=entry.pk).count() == 2


def test_the_ledger_makes_a_school_application_ready_once_its_closed_gaps_have_evidence(world):
    # C has no closed gap (its one gap is waived): its one ledger item is all it lacks.
    tracked = world["tracked"][C]
    ledger(world, code=C, user=world["users"]["admin"], completed_on=date(2014, 1, 6))
    status = phase_statuses([tracked])[tracked.pk][3]
    assert (status.done, status.on) == (True, date(2014, 1, 6))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"completed_on": date(2013, 2, 1)}, "完成日期 2013-02-01 早于创建工作开始日期 2013-03-01"),
        ({"completed_on": timezone.localdate() + timedelta(days=1)}, "晚于今天"),
        ({"note": "注" * 301}, "说明不能超过300个字"),
    ],
)
def test_bad_ledger_entries_are_refused_with_nothing_written(world, changes, message):
    before = counts()
    with pytest.raises(ValidationError, match=message):
        ledger(world, **changes)
    assert counts() == before


def test_a_ledger_item_of_another_campaign_is_refused(world):
    campaign = world["campaign"]
    other = Campaign.objects.create(
        name="另一项创建工作",
        region=campaign.region,
        standard=campaign.standard,
        balance_standard=campaign.balance_standard,
        baseline_year=2012,
        evaluation_year=2013,
        is_current=False,
    )
    item = LedgerItem.objects.create(campaign=other, name="学校迎评台账")
    with pytest.raises(ValidationError, match="不属于创建工作"):
        ledger(world, item=item)
    assert not LedgerEntry.objects.filter(item=item).exists()


def test_a_ledger_entry_outside_the_scope_or_without_the_permission_is_refused(world):
    with pytest.raises(ValidationError, match="不在您的数据范围内"):
        ledger(world, code=C)
    with pytest.raises(PermissionDenied):
        ledger(world, user=world["users"]["town"])
    assert not LedgerEntry.objects.filter(tracked=world["tracked"][B]).exists()


def test_removing_a_ledger_entry_keeps_who_removed_it(world):
    entry = ledger(world)
    with pytest.raises(PermissionDenied):
        ledger_entry_remove(entry=entry, user=world["users"]["town"])
    pk = entry.pk
    ledger_entry_remove(entry=entry, user=world["users"]["reviewer"])
    assert not LedgerEntry.objects.filter(pk=pk).exists()
    removal = LedgerEntry.history.filter(id=pk).latest()
    assert (removal.history_type, removal.history_user) == ("-", world["users"]["reviewer"])


# --- The school page's forms ---------------------------------------------------------------------


def post(client, user, name, arg, data):
    client.force_login(user)
    return client.post(reverse(name, args=[arg]), data)


def test_the_page_records_a_signed_off_visit_and_the_matrix_shows_it(client, world):
    reviewer = world["users"]["reviewer"]
    data = {"visited_on": "2013-04-08", "inspectors": "张三", "findings": "计算机不足", "sign_off": "on"}
    response = post(client, reviewer, "phases:visit_record", B, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("phases:school", args=[B])
    matrix = client.get(reverse("phases:matrix") + "?phase=1&status=done")
    assert [row.record.code for row in matrix.context["table"].paginated_rows] == [A, B]


def test_a_refused_visit_shows_the_page_again_with_the_reason(client, world):
    before = counts()
    data = {"visited_on": "2012-04-08", "inspectors": "张三", "findings": "计算机不足"}
    response = post(client, world["users"]["reviewer"], "phases:visit_record", B, data)
    assert response.status_code == 200
    assert "核查日期 2012-04-08 不在创建工作期间" in response.content.decode()
    response = post(client, world["users"]["reviewer"], "phases:visit_record", B, {"visited_on": "4月8日"})
    assert response.status_code == 200
    assert response.context["visit_form"].errors
    assert counts() == before


def test_the_page_signs_off_a_visit(client, world):
    recorded = visit(world)
    response = post(
        client,
        world["users"]["reviewer"],
        "phases:visit_sign_off",
        recorded.pk,
        {"signed_off_on": "2013-04-10"},
    )
    assert response.status_code == 302
    recorded.refresh_from_db()
    assert recorded.signed_off_on == date(2013, 4, 10)


def test_a_refused_sign_off_says_why(client, world):
    recorded = visit(world)
    response = post(
        client,
        world["users"]["reviewer"],
        "phases:visit_sign_off",
        recorded.pk,
        {"signed_off_on": "2013-04-01"},
    )
    assert response.status_code == 200
    assert "早于核查日期" in response.content.decode()
    recorded.refresh_from_db()
    assert recorded.signed_off is False


def test_the_page_records_and_removes_a_ledger_entry(client, world):
    reviewer = world["users"]["reviewer"]
    data = {"item": world["item"].pk, "completed_on": "2013-12-05", "note": ""}
    assert post(client, reviewer, "phases:ledger_record", B, data).status_code == 302
    entry = LedgerEntry.objects.get(tracked=world["tracked"][B])
    assert post(client, reviewer, "phases:ledger_remove", entry.pk, {}).status_code == 302
    assert not LedgerEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize(
    ("role", "code", "status"),
    [("town", B, 403), ("clerk", A, 403), ("reviewer", C, 404), ("admin", C, 302)],
)
def test_who_may_record_a_visit(client, world, role, code, status):
    data = {"visited_on": "2013-04-08", "inspectors": "张三", "findings": "计算机不足"}
    assert post(client, world["users"][role], "phases:visit_record", code, data).status_code == status


def test_the_forms_show_only_to_those_who_may_use_them(client, world):
    client.force_login(world["users"]["town"])
    town = client.get(reverse("phases:school", args=[B]))
    assert "visit_form" not in town.context and "ledger_form" not in town.context
    client.force_login(world["users"]["reviewer"])
    reviewer = client.get(reverse("phases:school", args=[B]))
    html = reviewer.content.decode()
    assert reverse("phases:visit_record", args=[B]) in html
    assert reverse("phases:ledger_record", args=[B]) in html


# --- The admin ---------------------------------------------------------------------------------


def admin_post(client, user, name, data, *args):
    client.force_login(user)
    return client.post(reverse(name, args=args), data)


def test_a_visit_added_in_the_admin_records_who_recorded_and_signed_it(client, world):
    reviewer = world["users"]["reviewer"]
    data = {
        "tracked": world["tracked"][B].pk,
        "visited_on": "2013-04-08",
        "inspectors": "张三",
        "findings": "计算机不足",
        "signed_off": "on",
        "signed_off_on": "2013-04-09",
    }
    response = admin_post(client, reviewer, "admin:phases_inspectionvisit_add", data)
    assert response.status_code == 302
    added = InspectionVisit.objects.get(tracked=world["tracked"][B])
    assert (added.recorded_by, added.signed_off_by, added.signed_off_on) == (
        reviewer,
        reviewer,
        date(2013, 4, 9),
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"visited_on": "2012-04-08"}, "不在创建工作期间"),
        ({"signed_off_on": ""}, "须填写确认日期"),
        ({"signed_off_on": "2013-04-01"}, "确认日期不能早于核查日期"),
    ],
)
def test_the_admin_refuses_a_bad_visit(client, world, changes, message):
    data = {
        "tracked": world["tracked"][B].pk,
        "visited_on": "2013-04-08",
        "inspectors": "张三",
        "findings": "计算机不足",
        "signed_off": "on",
        "signed_off_on": "2013-04-09",
        **changes,
    }
    before = counts()
    response = admin_post(client, world["users"]["reviewer"], "admin:phases_inspectionvisit_add", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert counts() == before


def test_the_admin_offers_no_tracked_school_outside_the_scope(client, world):
    data = {
        "tracked": world["tracked"][C].pk,
        "visited_on": "2013-04-08",
        "inspectors": "张三",
        "findings": "无",
    }
    before = counts()
    response = admin_post(client, world["users"]["reviewer"], "admin:phases_inspectionvisit_add", data)
    assert response.status_code == 200
    assert "tracked" in response.context["adminform"].form.errors
    assert counts() == before


def test_the_admin_refuses_a_ledger_item_of_another_campaign(client, world):
    campaign = world["campaign"]
    other = Campaign.objects.create(
        name="另一项创建工作",
        region=campaign.region,
        standard=campaign.standard,
        balance_standard=campaign.balance_standard,
        baseline_year=2012,
        evaluation_year=2013,
        is_current=False,
    )
    item = LedgerItem.objects.create(campaign=other, name="其他台账")
    data = {"tracked": world["tracked"][B].pk, "item": item.pk, "completed_on": "2013-12-01", "note": ""}
    response = admin_post(client, world["users"]["reviewer"], "admin:phases_ledgerentry_add", data)
    assert response.status_code == 200
    assert "不属于该跟踪学校的创建工作" in response.content.decode()
    data["item"] = world["item"].pk
    assert (
        admin_post(client, world["users"]["reviewer"], "admin:phases_ledgerentry_add", data).status_code
        == 302
    )
    assert LedgerEntry.objects.get(tracked=world["tracked"][B]).recorded_by == world["users"]["reviewer"]
