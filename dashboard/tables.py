import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from schools.levels import Level


class ComplianceTable(tables.Table):
    code = tables.Column(_("学校标识码"), accessor="report__school__code", order_by="report__school__code")
    name = tables.Column(_("学校名称"), accessor="report__school__name", order_by="report__school__name")
    town = tables.Column(_("所属镇街"), accessor="report__school__region__name", orderable=False)
    school_type = tables.Column(_("办学类型"), accessor="report__school__school_type", orderable=False)
    part = tables.Column(_("学段"), orderable=False, empty_values=())
    failed_count = tables.Column(_("未达标项数"))
    passed_rule = tables.BooleanColumn(_("达标"), yesno="✔,✘")
    failed_items = tables.TemplateColumn(
        template_name="dashboard/failed_items_cell.html", verbose_name=_("未达标项目及差额"), orderable=False
    )

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

    def render_name(self, record, value):
        url = reverse("dashboard:school", args=[record.report.school.code])
        return format_html('<a href="{}">{}</a>', url, value)

    def render_school_type(self, record):
        return record.report.school.get_school_type_display()

    def render_part(self, value):
        return Level(value).label if value else "—"
