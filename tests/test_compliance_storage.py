"""Stored compliance: a summary keeps every item as a short list of fixed-point integers (JSON),
and only the failed items are rows. Numbers are worked out by hand in the comments."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from standards.calc.codec import StoredItem, decode_item, decode_items, encode_item
from standards.models import ComplianceResult, ComplianceSummary
from standards.selectors import summary_items
from standards.writers import store_units
from tests import factories as f

D = Decimal
AT = datetime(2013, 9, 1, 8, 0, tzinfo=UTC)

# --- The codec ------------------------------------------------------------------------------------


def test_an_item_is_encoded_at_the_places_of_its_columns():
    # 7.0333 × 10⁴ = 70333; 8.8 × 10³ = 8800; 79.92 × 10² = 7992; 1572.00 × 10² = 157200.
    assert encode_item(5, D("7.0333"), D("8.8"), False, D("79.92"), D("1572.00")) == [
        5,
        70333,
        8800,
        False,
        7992,
        157200,
    ]


def test_encoding_rounds_half_to_even():
    # 7.03325 lies halfway between 7.0332 and 7.0333: the even last digit, 2, is kept;
    # 7.03335 goes to 7.0334 for the same reason. 79.925 → 79.92; 79.935 → 79.94.
    assert encode_item(1, D("7.03325"), None, None, D("79.925"), None) == [1, 70332, None, None, 7992, None]
    assert encode_item(1, D("7.03335"), None, None, D("79.935"), None) == [1, 70334, None, None, 7994, None]


def test_a_negative_number_keeps_its_sign_and_rounds_half_to_even():
    # -1.2345 to 3 places: halfway between -1.234 and -1.235, the even one is -1.234.
    assert encode_item(2, D("-0.5"), D("-1.2345"), False, D("-3.005"), D("-2")) == [
        2,
        -5000,
        -1234,
        False,
        -300,
        -200,
    ]
    assert decode_item([2, -5000, -1234, False, -300, -200]) == StoredItem(
        2, D("-0.5"), D("-1.234"), False, D("-3"), D("-2")
    )


def test_none_stays_none_both_ways():
    row = encode_item(3, None, None, None, None, None)
    assert row == [3, None, None, None, None, None]
    assert decode_item(row) == StoredItem(3, None, None, None, None, None)


def test_decoding_gives_decimals_with_the_columns_places():
    item = decode_item([9, 70333, 8800, True, 12500, 0])
    assert str(item.value) == "7.0333"
    assert str(item.threshold) == "8.800"
    assert str(item.percent) == "125.00"
    assert str(item.shortfall) == "0.00"
    assert item.passed is True and item.indicator_id == 9 and item.indicator is None


def test_decode_items_keeps_the_order():
    rows = [[4, 10000, 1000, True, 10000, 0], [2, None, 1000, None, None, None]]
    assert [item.indicator_id for item in decode_items(rows)] == [4, 2]
    assert decode_items([]) == []


# --- The writer -------------------------------------------------------------------------------------


@pytest.fixture
def stored_world(db):
    std = f.standard("t-store")
    computers = f.indicator(std, "C", ["computers"], ["students_{level}"], scale=100, order=1)
    books = f.indicator(std, "B", ["books"], ["students_{level}"], order=2)
    one = f.report(f.school("3303820001"))
    two = f.report(f.school("3303820002"))
    return std, computers, books, one, two


def _units(computers, books, one, two):
    # One: 8.75 computers per 100 against 10 (87.50 %, 5 short), 30 books against 25: fails one.
    # Two: per level part; primary passes both, junior has no pupils for books (no verdict).
    return [
        (
            one.pk,
            "",
            1,
            2,
            False,
            3,
            101,
            [
                [computers.pk, 87500, 10000, False, 8750, 500],
                [books.pk, 300000, 25000, True, 12000, 0],
            ],
        ),
        (two.pk, "primary", 0, 2, True, 1, 202, [[computers.pk, 100000, 10000, True, 10000, 0]]),
        (two.pk, "junior", 0, 0, True, 1, 202, [[books.pk, None, 25000, None, None, None]]),
    ]


def test_store_units_keeps_every_item_as_json_and_the_failed_ones_as_rows(stored_world):
    std, computers, books, one, two = stored_world
    store_units(
        standard_id=std.pk, fingerprint="fp", computed_at=AT, units=_units(computers, books, one, two)
    )

    summaries = {
        (s.report_id, s.part): s for s in ComplianceSummary.objects.filter(standard=std).order_by("pk")
    }
    assert set(summaries) == {(one.pk, ""), (two.pk, "primary"), (two.pk, "junior")}
    first = summaries[one.pk, ""]
    assert (first.failed_count, first.evaluated_count, first.passed_rule) == (1, 2, False)
    assert (first.report_revision, first.standard_fingerprint, first.values_fingerprint) == (3, "fp", 101)
    assert first.items == [
        [computers.pk, 87500, 10000, False, 8750, 500],
        [books.pk, 300000, 25000, True, 12000, 0],
    ]
    assert summaries[two.pk, "junior"].items == [[books.pk, None, 25000, None, None, None]]

    [failed] = ComplianceResult.objects.all()
    assert (failed.summary_id, failed.indicator_id) == (first.pk, computers.pk)
    assert (failed.value, failed.threshold, failed.percent, failed.shortfall) == (
        D("8.7500"),
        D("10.000"),
        D("87.50"),
        D("5.00"),
    )


def test_storing_again_replaces_what_was_stored(stored_world):
    std, computers, books, one, two = stored_world
    store_units(
        standard_id=std.pk, fingerprint="fp", computed_at=AT, units=_units(computers, books, one, two)
    )
    # One passes now (10.5 per 100); two is left as stored.
    again = [(one.pk, "", 0, 1, True, 4, 303, [[computers.pk, 105000, 10000, True, 10500, 0]])]
    store_units(standard_id=std.pk, fingerprint="fp2", computed_at=AT, units=again)

    assert ComplianceSummary.objects.filter(report=one).values_list(
        "items", "standard_fingerprint"
    ).get() == (
        [[computers.pk, 105000, 10000, True, 10500, 0]],
        "fp2",
    )
    assert ComplianceSummary.objects.filter(report=two).count() == 2
    assert not ComplianceResult.objects.exists()


def test_store_units_takes_a_fixed_number_of_statements(stored_world, django_assert_num_queries):
    std, computers, books, one, two = stored_world
    # Delete failed items, delete summaries, insert summaries, read their ids, insert failed items.
    with django_assert_num_queries(5):
        store_units(
            standard_id=std.pk, fingerprint="fp", computed_at=AT, units=_units(computers, books, one, two)
        )


def test_summary_items_attaches_the_indicators_in_their_order(stored_world, django_assert_num_queries):
    std, computers, books, one, two = stored_world
    # Stored books first: the indicators' order (computers 1, books 2) decides what is shown.
    units = [(one.pk, "", 0, 2, True, 1, 7, [[books.pk, 1, 1, True, 1, 0], [computers.pk, 1, 1, True, 1, 0]])]
    store_units(standard_id=std.pk, fingerprint="fp", computed_at=AT, units=units)
    summaries = list(ComplianceSummary.objects.filter(standard=std))
    with django_assert_num_queries(1):
        [summary] = summary_items(summaries)
    assert [item.indicator for item in summary.stored_items] == [computers, books]
    assert summary.stored_items[0].value == D("0.0001")


# --- The admin ------------------------------------------------------------------------------------


def test_the_admin_shows_a_summarys_items_and_lists_only_failed_ones(stored_world, admin_client):
    std, computers, books, one, two = stored_world
    store_units(
        standard_id=std.pk, fingerprint="fp", computed_at=AT, units=_units(computers, books, one, two)
    )
    summary = ComplianceSummary.objects.get(report=one)
    page = admin_client.get(reverse("admin:standards_compliancesummary_change", args=[summary.pk]))
    text = page.content.decode()
    # Computers 8.75 against 10, 5 short; books 30 against 25, passing.
    assert '<td class="num">8.75</td><td class="num">10</td>' in text
    assert '<td class="num">30</td><td class="num">25</td>' in text
    assert '<span class="fail">未达标</span>' in text and '<span class="pass">达标</span>' in text
    failed = admin_client.get(reverse("admin:standards_complianceresult_changelist"))
    assert failed.context["cl"].result_count == 1
    assert [row.indicator_id for row in failed.context["cl"].result_list] == [computers.pk]
