"""The matrix and the severe list as .xlsx workbooks, from rows already limited to the user's scope
and filtered as the page shows them (`phases.selectors_matrix.MatrixRow`)."""

from django.utils.translation import gettext as _

from phases import progress
from schools.spreadsheets import append_rows, new_sheet


def state_text(status):
    return {
        progress.DONE: _("已完成"),
        progress.NOT_DONE: _("未完成"),
        progress.OVERDUE: _("逾期"),
    }[status.state]


def _yes_no(value):
    return {True: _("是"), False: _("否")}.get(value)


def matrix_workbook(rows, phase_names):
    """One row per tracked school: its town and severity, then each phase's state and date."""
    headers = [_("学校标识码"), _("学校名称"), _("所属镇街"), _("问题严重")]
    for number in progress.NUMBERS:
        headers += [f"{number}. {phase_names[number]}", _("%(n)s. 完成日期") % {"n": number}]
    workbook, sheet = new_sheet(_("创建工作进度"), headers, widths={0: 14, 1: 30})
    lines = []
    for row in rows:
        line = [row.code, row.name, row.town, _yes_no(row.severe)]
        for status in row.phases:
            line += [state_text(status), status.on]
        lines.append(line)
    append_rows(sheet, lines, len(headers))
    return workbook


def severe_workbook(rows, phase_names):
    """The severe list: the rule's verdict, the bureau's decision and reason, and rectification."""
    headers = [
        _("学校标识码"),
        _("学校名称"),
        _("所属镇街"),
        _("基准年未达标项数"),
        _("按规则认定严重"),
        _("人工认定严重"),
        _("认定理由"),
        _("问题严重"),
        f"2. {phase_names[progress.RECTIFIED]}",
        _("整改完成日期"),
    ]
    workbook, sheet = new_sheet(_("问题严重学校"), headers, widths={0: 14, 1: 30, 6: 40})
    lines = []
    for row in rows:
        tracked, rectified = row.tracked, row.phase(progress.RECTIFIED)
        lines.append(
            [
                row.code,
                row.name,
                row.town,
                tracked.baseline_failed,
                _yes_no(tracked.severe),
                _yes_no(tracked.severity_override),
                tracked.override_reason,
                _yes_no(tracked.is_severe),
                state_text(rectified),
                rectified.on,
            ]
        )
    append_rows(sheet, lines, len(headers))
    return workbook
