"""The filters of the leadership's lists and their exports, as django-filter FilterSets.

Each FilterSet narrows a queryset that already holds only the user's scope (`schools.access`).
A caller checks `is_valid()` before reading `qs`: django-filter quietly drops a filter that does
not validate, and a mistyped town must not widen a list or an export to the whole county.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dashboard.forms import StandardChoiceField
from schools.filters import RegionFilter, SchoolSearchFilter, YearFilter, school_type_filter
from schools.models import AnnualReport, School
from standards.models import ComplianceSummary, Indicator, Standard
from standards.selectors import failing

FAILED_BUCKETS = {"0": Q(failed_count=0), "1": Q(failed_count=1), "2": Q(failed_count__gte=2)}


class StandardFilter(django_filters.ModelChoiceFilter):
    field_class = StandardChoiceField


class ComplianceFilterSet(django_filters.FilterSet):
    """The compliance list: one per-school standard and one year with approved reports, then
    optionally a town, a school type, how many items failed and a search."""

    standard = StandardFilter(
        queryset=Standard.objects.filter(kind=Standard.Kind.SCHOOL), to_field_name="code", label=_("标准")
    )
    year = django_filters.TypedChoiceFilter(
        field_name="report__year", coerce=int, empty_value=None, label=_("年度")
    )
    region = RegionFilter("report__school__region")
    school_type = school_type_filter("report__school__school_type")
    failed = django_filters.ChoiceFilter(
        label=_("未达标项数"),
        choices=[("2", _("2项及以上")), ("1", _("1项")), ("0", _("全部达标"))],
        empty_label=_("全部"),
        method="filter_failed",
    )
    indicator = django_filters.ModelChoiceFilter(
        queryset=Indicator.objects.none(),
        label=_("未达标指标"),
        empty_label=_("全部"),
        method="filter_indicator",
    )
    q = SchoolSearchFilter("report__school")

    class Meta:
        model = ComplianceSummary
        fields = ()

    def __init__(self, data, queryset, *, years):
        super().__init__(data, queryset)
        # Only years with approved reports: any other year in the address is an invalid filter.
        self.filters["year"].extra["choices"] = [(year, year) for year in years]
        # The chosen standard's indicators (an indicator of another standard is an invalid filter).
        code = (data or {}).get("standard")
        self.filters["indicator"].queryset = Indicator.objects.filter(
            standard__code=code, standard__kind=Standard.Kind.SCHOOL
        ).order_by("order", "code")

    def filter_failed(self, queryset, name, value):
        return queryset.filter(FAILED_BUCKETS[value])

    def filter_indicator(self, queryset, name, value):
        return failing(queryset, value.pk)


class SchoolFilterSet(django_filters.FilterSet):
    region = RegionFilter("region")
    school_type = school_type_filter("school_type")
    q = SchoolSearchFilter("")

    class Meta:
        model = School
        fields = ()


class ReportFilterSet(django_filters.FilterSet):
    year = YearFilter(label=_("年度"))
    region = RegionFilter("school__region")
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=AnnualReport.Status.choices, empty_label=_("全部")
    )

    class Meta:
        model = AnnualReport
        fields = ()


def with_defaults(query, **defaults):
    """A copy of the query string with `defaults` (those not None) for the keys it leaves out, so
    that a filter shows what the page is showing."""
    data = query.copy()
    for key, value in defaults.items():
        if value is not None:
            data.setdefault(key, value)
    return data


def compliance_filterset(request, campaign, years, rows):
    """The compliance list's filter over `rows`, with its defaults — the campaign's standard, its
    baseline year, schools failing two or more items — shared by the page and its Excel export."""
    standard = campaign.standard if campaign else Standard.objects.filter(kind=Standard.Kind.SCHOOL).first()
    preferred = campaign.baseline_year if campaign else None
    data = with_defaults(
        request.GET,
        standard=standard.code if standard else None,
        year=preferred if preferred in years else (years[0] if years else None),
        failed="2",
    )
    return ComplianceFilterSet(data, rows, years=years)
