"""The county table: every county of a user's scope at once, in a fixed number of queries whatever
the number of counties (a province is about 90): registry and campaign counts grouped in SQL, and
every county's balance through one call of `balance_counties`."""

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phases.models import Gap, TrackedSchool
from schools.counties import active_schools_by_county, approved_schools_by_county, county_ids_by_region
from schools.levels import Level
from standards.balance import balance_counties
from standards.models import BalanceRule, Standard
from standards.outputs import county_levels

LEVELS = ("primary", "junior")


class Kind:
    """How a column's values are shown: text, a count, a coefficient, a verdict."""

    TEXT, COUNT, CV, VERDICT = "text", "count", "cv", "verdict"


def default_balance_standard(campaign):
    """The campaign's balance standard, else the first balance standard that has a rule."""
    if campaign is not None:
        return campaign.balance_standard
    return (
        Standard.objects.filter(kind=Standard.Kind.BALANCE, balance_rule__isnull=False)
        .order_by("code")
        .first()
    )


def campaign_counts(county_ids):
    """({county id: tracked schools}, {county id: unresolved gaps}) of each county's current
    campaign (a campaign is run by one county): two grouped queries."""
    tracked = (
        TrackedSchool.objects.filter(campaign__is_current=True, campaign__region_id__in=county_ids)
        .values("campaign__region_id")
        .annotate(n=Count("pk"))
        .values_list("campaign__region_id", "n")
    )
    gaps = (
        Gap.objects.filter(
            status__in=Gap.UNRESOLVED,
            tracked__campaign__is_current=True,
            tracked__campaign__region_id__in=county_ids,
        )
        .values("tracked__campaign__region_id")
        .annotate(n=Count("pk"))
        .values_list("tracked__campaign__region_id", "n")
    )
    return dict(tracked), dict(gaps)


def _balance_columns(levels):
    """The balance columns, from one county's levels (every county's have the same indicators)."""
    columns = []
    for level in LEVELS:
        block = levels.get(level)
        if block is None:
            continue
        label = Level(level).label
        if "composite_cv" in block:
            columns.append((f"{level}_composite", _("%(level)s综合差异系数") % {"level": label}, Kind.CV, ""))
        else:
            for index, indicator in enumerate(block["indicators"]):
                columns.append(
                    (
                        f"{level}_{index}",
                        f"{label} {indicator['code']}",
                        Kind.CV,
                        indicator["name"],
                    )
                )
        columns.append((f"{level}_passed", _("%(level)s结论") % {"level": label}, Kind.VERDICT, ""))
    return columns


def _balance_cells(levels):
    cells = {}
    for level, block in levels.items():
        cells[f"{level}_passed"] = block["passed"]
        if "composite_cv" in block:
            cells[f"{level}_composite"] = block["composite_cv"]
            cells[f"{level}_composite_passed"] = block["passed"]
        for index, indicator in enumerate(block["indicators"]):
            cells[f"{level}_{index}"] = indicator["cv"]
            cells[f"{level}_{index}_passed"] = indicator["passed"]
    return cells


BASE_COLUMNS = (
    ("code", gettext_lazy("区划代码"), Kind.TEXT, ""),
    ("name", gettext_lazy("县（市、区）"), Kind.TEXT, ""),
    ("prefecture", gettext_lazy("所属地级市"), Kind.TEXT, ""),
    ("schools", gettext_lazy("在办学校"), Kind.COUNT, ""),
    ("tracked", gettext_lazy("跟踪学校"), Kind.COUNT, gettext_lazy("当前创建工作的跟踪学校")),
    ("open_gaps", gettext_lazy("未解决问题"), Kind.COUNT, gettext_lazy("当前创建工作中尚未解决的问题")),
    (
        "missing",
        gettext_lazy("尚缺年报"),
        Kind.COUNT,
        gettext_lazy("该年度尚无已核准年报的在办学校；有缺失时暂不判定"),
    ),
)


def county_table_rows(*, counties, standard, year):
    """(columns, rows) of the county table. Columns are (key, label, kind, note); each row a dict
    by column key, with "<key>_passed" beside each coefficient. Without a standard that has a
    balance rule, or a year, the rows have no balance columns. A county where some active
    school has no approved report of the year gets its coefficients but no verdict yet (every
    "_passed" None), as its own balance page says "暂不判定"."""
    counties = list(counties)
    ids = [county.pk for county in counties]
    county_of = county_ids_by_region()
    schools = active_schools_by_county(county_of)
    tracked, gaps = campaign_counts(ids)
    approved = approved_schools_by_county(year, county_of) if year is not None else {}
    results = {}
    if (
        counties
        and standard is not None
        and year is not None
        and BalanceRule.objects.filter(standard=standard).exists()
    ):
        results = balance_counties(standard=standard, year=year, counties=counties)
    columns = [(key, str(label), kind, str(note)) for key, label, kind, note in BASE_COLUMNS]
    rows = []
    for county in counties:
        row = {
            "code": county.code,
            "name": county.name,
            "prefecture": county.parent.name if county.parent_id else "",
            "schools": schools.get(county.pk, 0),
            "tracked": tracked.get(county.pk, 0),
            "open_gaps": gaps.get(county.pk, 0),
            "missing": schools.get(county.pk, 0) - approved.get(county.pk, 0) if year is not None else None,
        }
        if county.pk in results:
            levels = county_levels(results[county.pk])
            if len(columns) == len(BASE_COLUMNS):
                columns += _balance_columns(levels)
            row.update(_balance_cells(levels))
            if row["missing"]:
                row.update({key: None for key in row if key.endswith("_passed")})
        rows.append(row)
    return columns, rows
