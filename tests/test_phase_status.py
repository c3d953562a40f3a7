"""The five phases of a tracked school decided from plain facts (phases.progress), no database.

The campaign of these facts is the plan's: evaluation year 2013, phases ending 2013-04-30,
2013-08-31, 2013-10-31, 2014-04-30 and 2014-06-30.
"""

from datetime import date

from phases.progress import (
    DONE,
    NOT_DONE,
    OVERDUE,
    CampaignFacts,
    GapFacts,
    PhaseStatus,
    ReportFacts,
    SchoolFacts,
    counts,
    phase_statuses,
)

ENDS = {
    1: date(2013, 4, 30),
    2: date(2013, 8, 31),
    3: date(2013, 10, 31),
    4: date(2014, 4, 30),
    5: date(2014, 6, 30),
}
CAMPAIGN = CampaignFacts(evaluation_year=2013, ledger_items=frozenset({1, 2}), phase_ends=ENDS)
ENROLLED = date(2013, 3, 5)
MID_CAMPAIGN = date(2013, 9, 15)


def status(number, school, campaign=CAMPAIGN, today=MID_CAMPAIGN):
    return phase_statuses(school, campaign, today)[number - 1]


def test_a_school_with_no_facts_is_done_only_in_rectification_at_its_enrolment():
    # No gap at all: rectified on the day it was enrolled. Nothing else is done; on 2013-09-15
    # phase 1 (ended 04-30) is overdue, phases 3–5 have not ended yet.
    school = SchoolFacts(enrolled_on=ENROLLED)
    assert phase_statuses(school, CAMPAIGN, MID_CAMPAIGN) == (
        PhaseStatus(1, False, None, True),
        PhaseStatus(2, True, ENROLLED, False),
        PhaseStatus(3, False, None, False),
        PhaseStatus(4, False, None, False),
        PhaseStatus(5, False, None, False),
    )


def test_verified_on_the_earliest_signed_off_visit():
    school = SchoolFacts(ENROLLED, sign_offs=(date(2013, 4, 20), date(2013, 4, 2), date(2013, 5, 9)))
    assert status(1, school) == PhaseStatus(1, True, date(2013, 4, 2), False)


def test_not_verified_is_overdue_only_after_the_phases_last_day():
    school = SchoolFacts(ENROLLED)
    assert status(1, school, today=date(2013, 4, 30)).state == NOT_DONE
    assert status(1, school, today=date(2013, 5, 1)).state == OVERDUE


def test_a_phase_the_campaign_has_not_dated_is_never_overdue():
    undated = CampaignFacts(evaluation_year=2013)
    assert status(1, SchoolFacts(ENROLLED), undated, today=date(2030, 1, 1)).state == NOT_DONE


def test_rectified_when_every_gap_is_closed_or_waived_on_the_latest_of_those_dates():
    gaps = (
        GapFacts("closed", date(2013, 7, 1)),
        GapFacts("waived", date(2013, 8, 12)),
        GapFacts("closed", date(2013, 6, 3)),
    )
    assert status(2, SchoolFacts(ENROLLED, gaps=gaps)) == PhaseStatus(2, True, date(2013, 8, 12), False)


def test_one_gap_still_claimed_keeps_the_school_unrectified_and_overdue_after_august():
    # A school's claim is not a close: only approved data closes a gap.
    gaps = (GapFacts("closed", date(2013, 7, 1)), GapFacts("claimed"))
    school = SchoolFacts(ENROLLED, gaps=gaps)
    assert status(2, school, today=date(2013, 8, 31)) == PhaseStatus(2, False, None, False)
    assert status(2, school, today=date(2013, 9, 1)) == PhaseStatus(2, False, None, True)


def test_data_verified_on_the_approval_of_the_evaluation_years_report():
    reports = (ReportFacts(2012, date(2012, 11, 20), False), ReportFacts(2013, date(2013, 10, 8), True))
    assert status(3, SchoolFacts(ENROLLED, reports=reports)) == PhaseStatus(3, True, date(2013, 10, 8), False)


def test_another_years_approval_does_not_verify_the_evaluation_years_data():
    reports = (ReportFacts(2012, date(2012, 11, 20), False), ReportFacts(2014, date(2014, 10, 1), True))
    school = SchoolFacts(ENROLLED, reports=reports)
    assert status(3, school, today=date(2013, 11, 1)) == PhaseStatus(3, False, None, True)


def test_application_ready_on_the_latest_acceptance_or_ledger_entry():
    # Closed gaps accepted 2013-09-02 and 2013-11-20; ledger items 1 and 2 in place 2013-12-01 and
    # 2014-01-15; the waived gap needs no evidence. The latest of the four: 2014-01-15.
    gaps = (
        GapFacts("closed", date(2013, 7, 1), date(2013, 9, 2)),
        GapFacts("closed", date(2013, 8, 1), date(2013, 11, 20)),
        GapFacts("waived", date(2013, 8, 12)),
    )
    ledger = {1: date(2013, 12, 1), 2: date(2014, 1, 15)}
    school = SchoolFacts(ENROLLED, gaps=gaps, ledger=ledger)
    assert status(4, school) == PhaseStatus(4, True, date(2014, 1, 15), False)


def test_a_closed_gap_without_accepted_evidence_keeps_the_application_unready():
    gaps = (GapFacts("closed", date(2013, 7, 1), date(2013, 9, 2)), GapFacts("closed", date(2013, 8, 1)))
    ledger = {1: date(2013, 12, 1), 2: date(2014, 1, 15)}
    school = SchoolFacts(ENROLLED, gaps=gaps, ledger=ledger)
    assert status(4, school, today=date(2014, 5, 1)) == PhaseStatus(4, False, None, True)


def test_a_missing_ledger_item_keeps_the_application_unready():
    gaps = (GapFacts("closed", date(2013, 7, 1), date(2013, 9, 2)),)
    # Item 3 belongs to no item of this campaign: it does not stand in for item 2.
    school = SchoolFacts(ENROLLED, gaps=gaps, ledger={1: date(2013, 12, 1), 3: date(2013, 12, 2)})
    assert status(4, school).done is False


def test_with_no_closed_gap_and_no_ledger_item_the_application_is_ready_at_enrolment():
    campaign = CampaignFacts(evaluation_year=2013, phase_ends=ENDS)
    assert status(4, SchoolFacts(ENROLLED, gaps=(GapFacts("waived", date(2013, 5, 1)),)), campaign) == (
        PhaseStatus(4, True, ENROLLED, False)
    )


def test_self_checked_when_the_latest_approved_report_passes():
    reports = (
        ReportFacts(2012, date(2012, 11, 20), False),
        ReportFacts(2014, date(2014, 5, 18), True),
        ReportFacts(2013, date(2013, 10, 8), False),
    )
    assert status(5, SchoolFacts(ENROLLED, reports=reports)) == PhaseStatus(5, True, date(2014, 5, 18), False)


def test_an_earlier_pass_does_not_count_when_the_latest_report_fails_or_has_no_result():
    earlier_pass = ReportFacts(2013, date(2013, 10, 8), True)
    failing = SchoolFacts(ENROLLED, reports=(earlier_pass, ReportFacts(2014, date(2014, 5, 18), False)))
    unknown = SchoolFacts(ENROLLED, reports=(earlier_pass, ReportFacts(2014, date(2014, 5, 18), None)))
    assert status(5, failing, today=date(2014, 7, 1)) == PhaseStatus(5, False, None, True)
    assert status(5, unknown).done is False


def test_counts_per_phase_by_state():
    # Two schools on 2013-09-15: the first verified, the second not (overdue); both rectified
    # (no gaps); neither past phases 3–5.
    first = phase_statuses(SchoolFacts(ENROLLED, sign_offs=(date(2013, 4, 2),)), CAMPAIGN, MID_CAMPAIGN)
    second = phase_statuses(SchoolFacts(ENROLLED), CAMPAIGN, MID_CAMPAIGN)
    found = counts([first, second])
    assert found[1] == {DONE: 1, NOT_DONE: 0, OVERDUE: 1}
    assert found[2] == {DONE: 2, NOT_DONE: 0, OVERDUE: 0}
    assert found[5] == {DONE: 0, NOT_DONE: 2, OVERDUE: 0}


def test_overdue_sorts_before_not_done_before_done_by_date():
    later = PhaseStatus(1, True, date(2013, 5, 1), False)
    earlier = PhaseStatus(1, True, date(2013, 4, 1), False)
    late = PhaseStatus(1, False, None, True)
    open_ = PhaseStatus(1, False, None, False)
    assert sorted([later, open_, earlier, late], key=lambda s: s.sort_key) == [late, open_, earlier, later]
