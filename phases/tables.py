"""The matrix and the severe list as django-tables2 tables over rows computed in Python
(`phases.selectors_matrix.MatrixRow`): sorted in Python, a phase by its state then its date."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from phases import progress


def phase_cell(status):
    """A phase's cell: ✓ and the date when done, 逾期 in red when overdue (the word, not only the
    colour), a dash otherwise."""
    if status.done:
        return format_html('<span class="pass nowrap">✓ {}</span>', status.on.isoformat())
    if status.overdue:
        return format_html('<span class="fail nowrap">{}</span>', gettext("逾期"))
    return format_html('<span class="none" title="{}">—</span>', gettext("未完成"))


def severity_cell(tracked, short=False):
    """问题严重 or 一般, marked when the bureau decided it rather than the rule (`short`: for the
    admin's narrower columns)."""
    if short:
        text = gettext("严重") if tracked.is_severe else gettext("一般")
        mark = gettext("%(verdict)s（人工）")
    else:
        text = gettext("问题严重") if tracked.is_severe else gettext("一般")
        mark = gettext("%(verdict)s（人工认定）")
    if tracked.severity_override is not None:
        text = mark % {"verdict": text}
    return format_html('<span class="nowrap {}">{}</span>', "fail" if tracked.is_severe else "none", text)


class PhaseColumn(tables.Column):
    def __init__(self, number, name):
        super().__init__(
            verbose_name=f"{number}. {name}",
            accessor=f"p{number}",
            order_by=(f"p{number}_key",),
            attrs={"td": {"class": "phase"}},
        )

    def render(self, value):
        return phase_cell(value)


class SchoolColumns(tables.Table):
    code = tables.Column(_("学校标识码"))
    name = tables.Column(_("学校名称"))
    town = tables.Column(_("所属镇街"))

    def render_name(self, record, value):
        return format_html('<a href="{}">{}</a>', reverse("phases:school", args=[record.code]), value)


class MatrixTable(SchoolColumns):
    severe = tables.Column(_("问题严重"), accessor="tracked", order_by=("severe",))

    class Meta:
        attrs = {"class": "table matrix"}
        empty_text = _("没有符合条件的跟踪学校。")
        template_name = "django_tables2/table.html"
        per_page = 100

    def __init__(self, rows, *, phase_names, **kwargs):
        phases = [(f"p{n}", PhaseColumn(n, phase_names[n])) for n in progress.NUMBERS]
        super().__init__(rows, extra_columns=phases, **kwargs)

    def render_severe(self, value):
        return severity_cell(value)


class SevereTable(SchoolColumns):
    """The severe list (PLAN-T5): the rule's verdict beside the bureau's decision and its reason,
    and whether the school is rectified (phase 2)."""

    failed = tables.Column(
        _("基准年未达标项数"), accessor="tracked__baseline_failed", attrs={"td": {"class": "num"}}
    )
    rule = tables.Column(_("按规则"), accessor="tracked__severe")
    override = tables.Column(
        _("人工认定"), accessor="tracked__severity_override", empty_values=(), orderable=False
    )
    reason = tables.Column(_("认定理由"), accessor="tracked__override_reason", orderable=False)
    verdict = tables.Column(_("结论"), accessor="tracked", order_by=("severe",))
    rectified = tables.Column(_("整改完成"), accessor="p2", order_by=("p2_key",))

    class Meta:
        attrs = {"class": "table"}
        empty_text = _("没有问题严重的跟踪学校。")
        template_name = "django_tables2/table.html"
        per_page = 100

    def render_rule(self, value):
        return gettext("严重") if value else gettext("不严重")

    def render_override(self, value):
        if value is None:
            return "—"
        return gettext("严重") if value else gettext("不严重")

    def render_verdict(self, value):
        return severity_cell(value)

    def render_rectified(self, value):
        return phase_cell(value)
