"""The reviewers' queue filter, as a django-filter FilterSet over the user's reports."""

import django_filters
from django.utils.translation import gettext_lazy as _

from schools.filters import RegionFilter, school_type_filter
from schools.models import AnnualReport


class QueueFilterSet(django_filters.FilterSet):
    """Reports by status, town, school type and year. The status counts above the queue are of
    the reports the other filters leave (`without_status`)."""

    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=AnnualReport.Status.choices, empty_label=_("全部")
    )
    region = RegionFilter("school__region")
    school_type = school_type_filter("school__school_type")
    year = django_filters.TypedChoiceFilter(coerce=int, empty_value=None, label=_("年度"))

    class Meta:
        model = AnnualReport
        fields = ()

    def __init__(self, data, queryset, *, years):
        super().__init__(data, queryset)
        self.filters["year"].extra["choices"] = [("", _("全部")), *((year, year) for year in years)]

    def without_status(self):
        """The queryset with every valid filter applied but the status."""
        queryset = self.queryset
        for name, value in self.form.cleaned_data.items():
            if name != "status":
                queryset = self.filters[name].filter(queryset, value)
        return queryset
