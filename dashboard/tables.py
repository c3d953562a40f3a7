from urllib.parse import urlencode

import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from dashboard.selectors_counties import Kind
from schools.levels import Level
from standards.models import Indicator
from standards.outputs import VERDICTS
from standards.selectors import attach_items


class ComplianceTable(tables.Table):
    code = tables.Column(_("学校标识码"), accessor="report__school__code", order_by="report__school__code")
    name = tables.Column(_("学校名称"), accessor="report__school__name", order_by="report__school__name")
    town = tables.Column(_("所属镇街"), accessor="report__school__region__name", orderable=False)
    school_type = tables.Column(_("办学类型"), accessor="report__school__school_type", orderable=False)
    part = tables.Column(_("学段"), orderable=False, empty_values=())
    failed_count = tables.Column(_("未达标项数"))
    passed_rule = tables.BooleanColumn(_("达标"), yesno="✔,✘")
    failed_items = tables.Column(_("未达标项目及差额"), accessor="items", orderable=False, empty_values=())

    class Meta:
        attrs = {"class": "table"}
        sequence = (
            "code",
            "name",
            "town",
            "school_type",
            "part",
            "failed_count",
            "passed_rule",
            "failed_items",
        )
        template_name = "django_tables2/table.html"
        per_page = 100
        empty_text = _("没有符合筛选条件的学校。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._indicators = {}  # {standard id: {indicator id: Indicator}}, filled as rows render

    def render_name(self, record, value):
        url = reverse("dashboard:school", args=[record.report.school.code])
        return format_html('<a href="{}">{}</a>', url, value)

    def render_school_type(self, record):
        return record.report.school.get_school_type_display()

    def render_part(self, value):
        return Level(value).label if value else "—"

    def render_failed_items(self, record):
        """The failed items decoded from the stored JSON; the standard's indicators read once
        per table, not per row."""
        if record.standard_id not in self._indicators:
            self._indicators[record.standard_id] = Indicator.objects.filter(
                standard_id=record.standard_id
            ).in_bulk()
        failed = attach_items(record, self._indicators[record.standard_id])
        return render_to_string("dashboard/failed_items_cell.html", {"items": failed})


VERDICT_CLASSES = {True: "pass", False: "fail", None: "none"}


class CoefficientColumn(tables.Column):
    """A difference coefficient, marked pass or fail by the verdict stored beside it ("<key>_passed")."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "num"}, "th": {"class": "num"}})
        super().__init__(*args, **kwargs)

    def render(self, record, value, bound_column):
        passed = record.get(f"{bound_column.name}_passed")
        return format_html('<span class="{}">{}</span>', VERDICT_CLASSES[passed], f"{value:.4f}")


class VerdictColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_values", ())
        super().__init__(*args, **kwargs)

    def render(self, value):
        return format_html('<span class="{}">{}</span>', VERDICT_CLASSES[value], VERDICTS[value])


class CountTableColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "num"}, "th": {"class": "num"}})
        super().__init__(*args, **kwargs)


class CountyTable(tables.Table):
    """Every county of the user's scope: registry and campaign counts, then one column per
    coefficient and per level's verdict of the chosen balance standard (`county_table`)."""

    class Meta:
        attrs = {"class": "table"}
        template_name = "django_tables2/table.html"

    def render_name(self, record, value):
        url = reverse("dashboard:balance") + "?" + urlencode({"county": record["code"]})
        return format_html('<a href="{}">{}</a>', url, value)


COLUMN_CLASSES = {Kind.TEXT: tables.Column, Kind.COUNT: CountTableColumn, Kind.CV: CoefficientColumn}


def county_table(columns, rows):
    """A CountyTable of `rows` with the columns of `county_table_rows`."""
    extra = []
    for key, label, kind, note in columns:
        column_class = VerdictColumn if kind == Kind.VERDICT else COLUMN_CLASSES[kind]
        column = column_class(label)
        if note:
            column.attrs = {**column.attrs, "th": {**column.attrs.get("th", {}), "title": note}}
        extra.append((key, column))
    return CountyTable(rows, extra_columns=extra)
