"""The purchase list as an .xlsx workbook for procurement: a row per school and item, then the
totals per school, per town and for the city."""

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from schools.importing.escaping import xlsx_value
from schools.levels import Level
from schools.spreadsheets import append_rows, new_sheet


def problem_text(row):
    """Why a row has no cost, or that its unit cost is a sample; "" otherwise."""
    if row.problem == "share":
        return _("无法计算：缺少该校已审核年报的各学段学生数")
    if row.problem == "unpriced":
        return _("未定价")
    if row.problem == "unit":
        return _("单价的计量单位（%(cost)s）与差额单位（%(unit)s）不符") % {
            "cost": row.unit_cost.unit,
            "unit": row.unit,
        }
    if row.unit_cost is not None and row.unit_cost.is_sample:
        return _("示例单价，须由教育局核定")
    return ""


def parts_text(row):
    return "、".join(Level(gap.part).label for gap in row.gaps if gap.part)


def shortfall_text(row):
    """The shortfall of each gap of the row ("小学 3；初中 2" for a spanning school's parts)."""
    if len(row.gaps) == 1:
        return row.gaps[0].shortfall
    return "；".join(f"{Level(gap.part).label} {gap.shortfall}" for gap in row.gaps)


def _unpriced(totals):
    if not totals.unpriced:
        return ""
    return ngettext("另有 %(n)s 项未计金额", "另有 %(n)s 项未计金额", totals.unpriced) % {
        "n": totals.unpriced
    }


def _total_rows(towns, city):
    """Rows of the totals block, in the detail's columns: the cost under 金额, each item's
    quantity under 采购数量, what has no cost under 备注."""
    skip = ("",) * 5  # 学段, 差额, 采购数量, 计量单位, 单价
    for town in towns:
        for school in town.schools:
            found = school.tracked.school
            totals = school.totals
            yield (
                town.town.name,
                found.code,
                found.name,
                _("学校合计"),
                *skip,
                totals.cost,
                "",
                "",
                _unpriced(totals),
            )
    for name, label, totals in [
        *((town.town.name, _("镇街合计"), town.totals) for town in towns),
        (_("全市"), _("全市合计"), city),
    ]:
        for indicator, quantity, unit, cost in totals.by_item:
            yield (name, "", "", f"{label}：{indicator.name}", "", "", quantity, unit, "", cost, "", "", "")
        yield (name, "", "", label, *skip, totals.cost, "", "", _unpriced(totals))


def purchases_workbook(rows, towns, city):
    """The purchase rows (`phases.selectors_city.purchase_rows`) and their totals
    (`purchase_groups`)."""
    with translation.override("zh-hans"):
        headers = [
            _("镇街"),
            _("学校标识码"),
            _("学校名称"),
            _("指标"),
            _("学段"),
            _("差额"),
            _("采购数量"),
            _("计量单位"),
            _("单价（元）"),
            _("金额（元）"),
            _("已到货"),
            _("待到货"),
            _("备注"),
        ]
        workbook, sheet = new_sheet(_("采购清单"), headers, widths={2: 30, 3: 24, 12: 40})
        detail = (
            (
                row.school.region.name,
                row.school.code,
                row.school.name,
                row.indicator.name,
                parts_text(row),
                shortfall_text(row),
                row.quantity,
                row.unit,
                row.unit_cost.cost if row.unit_cost is not None else None,
                row.cost,
                row.delivered,
                row.outstanding,
                problem_text(row),
            )
            for row in rows
        )
        append_rows(sheet, detail, len(headers))
        sheet.append([])
        sheet.append([xlsx_value(sheet, _("合计"))])
        for values in _total_rows(towns, city):
            sheet.append([xlsx_value(sheet, value) for value in values])
    return workbook
