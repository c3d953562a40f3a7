import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _


class QueueTable(tables.Table):
    code = tables.Column(_("学校标识码"), accessor="school__code", order_by="school__code")
    name = tables.Column(_("学校名称"), accessor="school__name", order_by="school__name")
    town = tables.Column(_("所属镇街"), accessor="school__region__name", orderable=False)
    school_type = tables.Column(_("办学类型"), accessor="school__school_type", orderable=False)
    year = tables.Column(_("年度"))
    status = tables.Column(_("状态"))
    submitted_at = tables.DateTimeColumn(verbose_name=_("提交时间"), format="Y-m-d H:i")
    open_queries = tables.Column(_("未关闭质询"))
    updated_at = tables.DateTimeColumn(verbose_name=_("更新时间"), format="Y-m-d H:i")

    class Meta:
        attrs = {"class": "table"}
        empty_text = _("没有符合条件的年报。")
        template_name = "django_tables2/table.html"
        per_page = 100

    def render_name(self, record, value):
        url = reverse("reporting:review", args=[record.school.code, record.year])
        return format_html('<a href="{}">{}</a>', url, value)

    def render_school_type(self, record):
        return record.school.get_school_type_display()

    def render_status(self, record):
        return record.get_status_display()
