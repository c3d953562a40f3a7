"""The matrix's filters: town, severity and a search narrow the tracked schools in the database;
a phase and its state (done, not done, overdue) are decided from data in Python
(`phases.selectors_matrix.phase_filter`), so they are read from the form, not applied here.

A caller checks `is_valid()` before reading `qs`: a mistyped town must not widen the list or its
export to the whole county.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from phases import progress
from phases.models import TrackedSchool
from schools.filters import RegionFilter, SchoolSearchFilter

SEVERE = Q(severity_override=True) | Q(severity_override__isnull=True, severe=True)
STATES = [
    (progress.DONE, _("已完成")),
    (progress.NOT_DONE, _("未完成（含逾期）")),
    (progress.OVERDUE, _("逾期未完成")),
]


class MatrixFilterSet(django_filters.FilterSet):
    region = RegionFilter("school__region")
    severity = django_filters.ChoiceFilter(
        label=_("问题严重"),
        choices=[("yes", _("问题严重")), ("no", _("一般"))],
        empty_label=_("全部"),
        method="filter_severity",
    )
    phase = django_filters.TypedChoiceFilter(
        label=_("阶段"), coerce=int, empty_value=None, method="decided_later"
    )
    status = django_filters.ChoiceFilter(
        label=_("阶段状态"), choices=STATES, empty_label=_("全部"), method="decided_later"
    )
    q = SchoolSearchFilter("school")

    class Meta:
        model = TrackedSchool
        fields = ()

    def __init__(self, data, queryset, *, phase_names):
        super().__init__(data, queryset)
        self.filters["phase"].extra["choices"] = [
            ("", _("任一阶段")),
            *((number, f"{number}. {name}") for number, name in phase_names.items()),
        ]

    def filter_severity(self, queryset, name, value):
        return queryset.filter(SEVERE) if value == "yes" else queryset.exclude(SEVERE)

    def decided_later(self, queryset, name, value):
        return queryset

    def phase_state(self):
        """(phase number or None, state or None) asked for."""
        data = self.form.cleaned_data
        return data.get("phase"), data.get("status") or None
