"""django-filter filters every list of schools or reports shares: a town (with what lies below
it), a school type, a search by code or name, a report year."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from schools.forms import YearField
from schools.importing.school_plan import TOWN_KINDS
from schools.levels import SchoolType
from schools.models import Region

EMPTY = ("", None)


class RegionFilter(django_filters.ModelChoiceFilter):
    """A town, street or township chosen by its code; keeps the rows of it and of every region below it."""

    def __init__(self, field_name, **kwargs):
        super().__init__(
            field_name,
            queryset=Region.objects.filter(kind__in=TOWN_KINDS),
            to_field_name="code",
            label=_("镇街"),
            empty_label=_("全部"),
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


def school_type_filter(field_name):
    return django_filters.ChoiceFilter(
        field_name=field_name, label=_("办学类型"), choices=SchoolType.choices, empty_label=_("全部")
    )
