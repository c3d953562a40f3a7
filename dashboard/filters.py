"""The filters of the leadership's lists and their exports, as django-filter FilterSets.

Each FilterSet narrows a queryset that already holds only the user's scope (`schools.access`).
A caller checks `is_valid()` before reading `qs`: django-filter quietly drops a filter that does
not validate, and a mistyped town must not widen a list or an export to the whole county.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from schools.forms import YearField
from schools.importing.school_plan import TOWN_KINDS
from schools.levels import SchoolType
from schools.models import AnnualReport, Region, School
from standards.models import ComplianceSummary, Standard

FAILED_BUCKETS = {"0": Q(failed_count=0), "1": Q(failed_count=1), "2": Q(failed_count__gte=2)}
EMPTY = ("", None)


class RegionFilter(django_filters.ModelChoiceFilter):
    """A town, street or township chosen by its code; keeps the rows of it and of every region below it."""

    def __init__(self, field_name, **kwargs):
        super().__init__(
            field_name,
            queryset=Region.objects.filter(kind__in=TOWN_KINDS),
            to_field_name="code",
            label=_("镇街"),
            **kwargs,
        )

    def filter(self, qs, value):
        if value in EMPTY:
            return qs
        return qs.filter(**{f"{self.field_name}__in": Region.objects.subtree_ids(value)})


class SchoolSearchFilter(django_filters.CharFilter):
    """A school by the start of its code or any part of its name; `field_name` leads from the rows
    to their school ("" for schools themselves)."""

    def __init__(self, field_name, **kwargs):
        super().__init__(field_name, label=_("搜索"), max_length=50, **kwargs)

    def filter(self, qs, value):
        if value in EMPTY:
            return qs
        path = f"{self.field_name}__" if self.field_name else ""
        return qs.filter(Q(**{f"{path}code__startswith": value}) | Q(**{f"{path}name__contains": value}))


class YearFilter(django_filters.Filter):
    """A report year within the bounds the import accepts."""

    field_class = YearField


def _school_type(field_name):
    return django_filters.ChoiceFilter(
        field_name=field_name, label=_("办学类型"), choices=SchoolType.choices, empty_label=_("全部")
    )


class ComplianceFilterSet(django_filters.FilterSet):
    """The compliance list: one per-school standard and one year with approved reports, then
    optionally a town, a school type, how many items failed and a search."""

    standard = django_filters.ModelChoiceFilter(
        queryset=Standard.objects.filter(kind=Standard.Kind.SCHOOL), to_field_name="code", label=_("标准")
    )
    year = django_filters.TypedChoiceFilter(
        field_name="report__year", coerce=int, empty_value=None, label=_("年度")
    )
    region = RegionFilter("report__school__region")
    school_type = _school_type("report__school__school_type")
    failed = django_filters.ChoiceFilter(
        label=_("未达标项数"),
        choices=[("2", _("2项及以上")), ("1", _("1项")), ("0", _("全部达标"))],
        empty_label=_("全部"),
        method="filter_failed",
    )
    q = SchoolSearchFilter("report__school")

    class Meta:
        model = ComplianceSummary
        fields = ()

    def __init__(self, data, queryset, *, years):
        super().__init__(data, queryset)
        # Only years with approved reports: any other year in the address is an invalid filter.
        self.filters["year"].extra["choices"] = [(year, year) for year in years]

    def filter_failed(self, queryset, name, value):
        return queryset.filter(FAILED_BUCKETS[value])


class SchoolFilterSet(django_filters.FilterSet):
    region = RegionFilter("region")
    school_type = _school_type("school_type")
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
