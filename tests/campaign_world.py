"""A hand-built baseline for the campaign's tests: four indicators, three schools of 400 pupils.

Thresholds: site ≥ 20 m² per pupil (8 000 m²), computers ≥ 10 per 100 pupils (40), books ≥ 30
per pupil (12 000), teachers ≥ 5 per 100 pupils (20).
- 0001 fails site (7 000: 1 000 m² short) and computers (30: 10 short): 2 items, one a facility;
- 0002 fails computers (25: 15 short), books (10 000: 2 000 short), teachers (18: 2 short): 3 items;
- 0003 fails books alone (11 000: 1 000 short): 1 item, below the campaign's 2.
"""

from phases.models import Campaign
from standards.services import compliance_recompute
from tests import factories as f

PASSING = {
    "students_primary": 400,
    "classes_primary": 10,
    "site_area": 8000,
    "computers": 40,
    "books": 12000,
    "teachers_primary": 20,
}
BASELINE = {
    "3303820001": {"site_area": 7000, "computers": 30},
    "3303820002": {"computers": 25, "books": 10000, "teachers_primary": 18},
    "3303820003": {"books": 11000},
}


def build(*, approve=True, **campaign_fields):
    basic = f.standard("t-basic")
    per_pupil = ["students_{level}"]
    indicators = {
        "L": f.indicator(
            basic,
            "L",
            ["site_area"],
            per_pupil,
            thresholds=["20"],
            category="facility",
            numerator_unit="平方米",
        ),
        "C": f.indicator(
            basic,
            "C",
            ["computers"],
            per_pupil,
            scale=100,
            thresholds=["10"],
            category="equipment",
            numerator_unit="台",
        ),
        "B": f.indicator(
            basic, "B", ["books"], per_pupil, thresholds=["30"], category="equipment", numerator_unit="册"
        ),
        "T": f.indicator(
            basic,
            "T",
            ["teachers_primary"],
            per_pupil,
            scale=100,
            thresholds=["5"],
            category="staffing",
            numerator_unit="人",
        ),
    }
    f.pass_rule(basic, max_failed=0)
    balance = f.standard("t-balance", kind="balance", unit="level")
    county = f.county()
    campaign = Campaign.objects.create(
        name="测试创建工作",
        region=county,
        standard=basic,
        balance_standard=balance,
        baseline_year=2012,
        evaluation_year=2014,
        **campaign_fields,
    )
    schools = {}
    for code, figures in BASELINE.items():
        schools[code] = f.school(code, region=f.town(county))
        status = "approved" if approve else "submitted"
        f.report(schools[code], year=2012, status=status, **{**PASSING, **figures})
    compliance_recompute()
    return campaign, schools, indicators
