"""How far a year's approved reports cover the active schools: a year missing some is not yet a
verdict (the pages say how many are missing), and the balance is shown for a complete year."""

from dataclasses import dataclass

from django.db.models import Count

from schools.models import AnnualReport


@dataclass(frozen=True)
class Coverage:
    """How far one year's approved reports cover the active schools counted."""

    year: int
    approved: int
    missing: int

    @property
    def complete(self):
        return self.missing == 0


def coverage_by_year(schools, years):
    """year → Coverage of the active schools of `schools` (a School queryset); two queries."""
    active = schools.active()
    total = active.count()
    approved = dict(
        AnnualReport.objects.approved()
        .filter(year__in=years, school__in=active)
        .values("year")
        .annotate(n=Count("school", distinct=True))
        .values_list("year", "n")
    )
    return {year: Coverage(year, approved.get(year, 0), total - approved.get(year, 0)) for year in years}


def balance_year(coverage):
    """The year a balance verdict is shown for by default: the latest year every active school
    has an approved report for, else the latest year with any (the page then says who is
    missing). A single approval of a new year must not replace a complete year's verdict."""
    years = sorted(coverage, reverse=True)
    return next((year for year in years if coverage[year].complete), years[0] if years else None)
