"""Counties at once: which counties lie under a region, and figures of every county in a fixed
number of queries (a province is about 90 counties and 2,000 towns: the region tree is read
whole, once, and folded in Python)."""

from django.db.models import Count

from schools.models import AnnualReport, Region, School


def county_ids_by_region():
    """{region id: id of the county at or above it} for every region at or below a county."""
    rows = list(Region.objects.values_list("pk", "parent_id", "kind"))
    parents = {pk: parent for pk, parent, _kind in rows}
    counties = {pk for pk, _parent, kind in rows if kind == Region.Kind.COUNTY}
    found = {}
    for pk, _parent, _kind in rows:
        region, seen = pk, set()
        while region is not None and region not in counties and region not in seen:
            seen.add(region)
            region = parents.get(region)
        if region in counties:
            found[pk] = region
    return found


def counties_in(region_ids=None):
    """The counties (with their parent) whose region is one of `region_ids` (every county when
    None), by code."""
    counties = Region.objects.filter(kind=Region.Kind.COUNTY).select_related("parent").order_by("code")
    return counties if region_ids is None else counties.filter(pk__in=region_ids)


def _folded(by_region, county_of):
    """{county id: Σ n} of (region id, n) pairs, by `county_of` (read when None)."""
    county_of = county_ids_by_region() if county_of is None else county_of
    counts = {}
    for region, n in by_region:
        county = county_of.get(region)
        if county is not None:
            counts[county] = counts.get(county, 0) + n
    return counts


def active_schools_by_county(county_of=None):
    """{county id: active schools in it}: one query grouped by region, folded up to the counties
    (by `county_of`, `county_ids_by_region()` read when not given)."""
    by_region = (
        School.objects.active().values("region_id").annotate(n=Count("pk")).values_list("region_id", "n")
    )
    return _folded(by_region, county_of)


def approved_schools_by_county(year, county_of=None):
    """{county id: active schools with an approved report of `year`}: one query grouped by
    region, folded up to the counties (the county table withholds a verdict until it is all
    of them, as a county's own balance page does)."""
    by_region = (
        AnnualReport.objects.approved()
        .filter(year=year, school__is_active=True)
        .values("school__region_id")
        .annotate(n=Count("school", distinct=True))
        .values_list("school__region_id", "n")
    )
    return _folded(by_region, county_of)
