"""Stored compliance: a summary keeps every item as a short list of fixed-point integers (JSON),
and the ids of its failed indicators as ",id,id," text that SQL filters on. Numbers are worked
out by hand in the comments."""

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from standards.calc.codec import StoredItem, decode_item, decode_items, encode_item
from standards.models import ComplianceSummary
from standards.selectors import failing, summary_items
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
        0,
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
        0,
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


def test_passed_is_stored_as_one_or_zero_and_read_as_a_bool_either_way():
    assert encode_item(1, None, None, True, None, None)[3] == 1
    assert encode_item(1, None, None, False, None, None)[3] == 0
    # 1 and 0 as written now, true and false as written before: the same verdicts.
    assert [decode_item([1, 1, 1, p, 1, 0]).passed for p in (1, 0, True, False, None)] == [
        True,
        False,
        True,
        False,
        None,
    ]


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


def _unit(*fields, items):
    """A unit as store_units takes it: its items as JSON text, its failed ids as ",id," text."""
    failed = "".join(f",{item[0]}" for item in items if item[3] == 0)
    return (*fields, json.dumps(items), failed + "," if failed else "")


def _units(computers, books, one, two):
    # One: 8.75 computers per 100 against 10 (87.50 %, 5 short), 30 books against 25: fails one.
    # Two: per level part; primary passes both, junior has no pupils for books (no verdict).
    return [
        _unit(
            one.pk,
            "",
            1,
            2,
            False,
            3,
            101,
            items=[
                [computers.pk, 87500, 10000, 0, 8750, 500],
                [books.pk, 300000, 25000, 1, 12000, 0],
            ],
        ),
        _unit(two.pk, "primary", 0, 2, True, 1, 202, items=[[computers.pk, 100000, 10000, 1, 10000, 0]]),
        _unit(two.pk, "junior", 0, 0, True, 1, 202, items=[[books.pk, None, 25000, None, None, None]]),
    ]


def test_store_units_keeps_every_item_as_json_and_names_the_failed_ones(stored_world):
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
        [computers.pk, 87500, 10000, 0, 8750, 500],
        [books.pk, 300000, 25000, 1, 12000, 0],
    ]
    assert summaries[two.pk, "junior"].items == [[books.pk, None, 25000, None, None, None]]
    assert first.failed_indicators == f",{computers.pk},"
    assert summaries[two.pk, "primary"].failed_indicators == ""

    [failed] = summary_items([first])[0].failed_items
    assert (failed.indicator, failed.value, failed.threshold, failed.percent, failed.shortfall) == (
        computers,
        D("8.7500"),
        D("10.000"),
        D("87.50"),
        D("5.00"),
    )


def test_sql_finds_the_summaries_failing_one_indicator(stored_world):
    std, computers, books, one, two = stored_world
    store_units(
        standard_id=std.pk, fingerprint="fp", computed_at=AT, units=_units(computers, books, one, two)
    )
    summaries = ComplianceSummary.objects.filter(standard=std)
    assert list(failing(summaries, computers.pk).values_list("report_id", flat=True)) == [one.pk]
    assert not failing(summaries, books.pk).exists()
    # The commas delimit whole ids: 901 is not found in 9011 or 9021, nor 21 in 9021.
    summaries.filter(report=two, part="junior").update(failed_indicators=",9011,9021,")
    assert not failing(summaries, 901).exists() and not failing(summaries, 21).exists()
    assert list(failing(summaries, 9021).values_list("report_id", "part")) == [(two.pk, "junior")]


def test_storing_again_replaces_what_was_stored(stored_world):
    std, computers, books, one, two = stored_world
    store_units(
        standard_id=std.pk, fingerprint="fp", computed_at=AT, units=_units(computers, books, one, two)
    )
    # One passes now (10.5 per 100); two is left as stored.
    again = [_unit(one.pk, "", 0, 1, True, 4, 303, items=[[computers.pk, 105000, 10000, 1, 10500, 0]])]
    store_units(standard_id=std.pk, fingerprint="fp2", computed_at=AT, units=again)

    assert ComplianceSummary.objects.filter(report=one).values_list(
        "items", "standard_fingerprint"
    ).get() == (
        [[computers.pk, 105000, 10000, 1, 10500, 0]],
        "fp2",
    )
    assert ComplianceSummary.objects.get(report=one).failed_indicators == ""
    assert ComplianceSummary.objects.filter(report=two).count() == 2


def test_store_units_takes_a_fixed_number_of_statements(stored_world, django_assert_num_queries):
    std, computers, books, one, two = stored_world
    # Delete the summaries, insert them.
    with django_assert_num_queries(2):
        store_units(
            standard_id=std.pk, fingerprint="fp", computed_at=AT, units=_units(computers, books, one, two)
        )


def test_summary_items_attaches_the_indicators_in_their_order(stored_world, django_assert_num_queries):
    std, computers, books, one, two = stored_world
    # Stored books first: the indicators' order (computers 1, books 2) decides what is shown.
    units = [
        _unit(one.pk, "", 0, 2, True, 1, 7, items=[[books.pk, 1, 1, 1, 1, 0], [computers.pk, 1, 1, 1, 1, 0]])
    ]
    store_units(standard_id=std.pk, fingerprint="fp", computed_at=AT, units=units)
    summaries = list(ComplianceSummary.objects.filter(standard=std))
    with django_assert_num_queries(1):
        [summary] = summary_items(summaries)
    assert [item.indicator for item in summary.stored_items] == [computers, books]
    assert summary.stored_items[0].value == D("0.0001")


# --- The admin ------------------------------------------------------------------------------------


def test_the_admin_shows_a_summarys_items_and_filters_by_a_failed_indicator(stored_world, admin_client):
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
    listed = reverse("admin:standards_compliancesummary_changelist")
    failed = admin_client.get(listed, {"failing": computers.pk})
    assert failed.context["cl"].result_count == 1
    assert [row.report_id for row in failed.context["cl"].result_list] == [one.pk]
    assert f'<td class="field-failed_names">{computers.name}</td>' in failed.content.decode()
    assert admin_client.get(listed, {"failing": books.pk}).context["cl"].result_count == 0


# --- A unit the batch engine hands to the reference -------------------------------------------------


def test_a_unit_with_a_negative_figure_is_stored_by_the_reference(db):
    # A negative figure (written past the forms) sends its unit to the Decimal reference; what
    # it stores must read as the batch engine's units do.
    from schools.models import AnnualReport
    from standards.services import compliance_evaluate

    std = f.standard("t-neg")
    kit = f.indicator(std, "E", ["equipment_value"], ["students_{level}"], thresholds=["1800"], order=1)
    books = f.indicator(std, "B", ["books"], ["students_{level}"], thresholds=["15"], order=2)
    f.pass_rule(std, max_failed=0)
    base = {"students_primary": 100, "classes_primary": 4, "teachers_primary": 5}
    odd = f.report(f.school("3303820001"), books=2000, **base)
    plain = f.report(f.school("3303820002"), books=1000, **base)
    AnnualReport.objects.filter(pk=odd.pk).update(equipment_value=D("-5000"))
    AnnualReport.objects.filter(pk=plain.pk).update(equipment_value=D("180000"))

    evaluation = compliance_evaluate(standard=std, year=2012)
    assert evaluation.fallbacks == 1
    stored = {s.report_id: s for s in ComplianceSummary.objects.filter(standard=std)}
    # −5,000 yuan for 100 pupils: −50 each against 1,800 (−2.777…% → −2.78), 1,850 × 100 =
    # 185,000 yuan short; 2,000 books for 100 pupils: 20 each against 15, passing (133.33 %).
    assert stored[odd.pk].items == [
        [kit.pk, -500000, 1800000, 0, -278, 18500000],
        [books.pk, 200000, 15000, 1, 13333, 0],
    ]
    assert stored[odd.pk].failed_indicators == f",{kit.pk},"
    assert (stored[odd.pk].failed_count, stored[odd.pk].passed_rule) == (1, False)
    # By the batch engine: 1,800 yuan each, exactly the threshold, passes; 10 books each
    # against 15 fails by 500.
    assert stored[plain.pk].items == [
        [kit.pk, 18000000, 1800000, 1, 10000, 0],
        [books.pk, 100000, 15000, 0, 6667, 50000],
    ]
    assert stored[plain.pk].failed_indicators == f",{books.pk},"


def test_copy_text_escapes_what_postgresqls_copy_would_misread():
    from standards.writers import _copy_text

    # A tab or newline would end the field or the row, a backslash start an escape.
    assert _copy_text("甲\t乙\\丙\n丁\r") == "甲\\t乙\\\\丙\\n丁\\r"
    assert [_copy_text(v) for v in (None, True, False, 0, D("1.50"))] == ["\\N", "t", "f", "0", "1.50"]


def test_insert_rows_keeps_a_name_with_a_tab_and_a_backslash(db):
    from schools.models import Region
    from standards.writers import insert_rows

    insert_rows(Region, ("code", "name", "kind", "order"), [("330382901", "新\t镇\\一", "town", 0)])
    assert Region.objects.get(code="330382901").name == "新\t镇\\一"
