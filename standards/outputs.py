"""Shaping computed compliance for JSON and for a plain-text table."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schools.levels import Level


def _num(value, places):
    return None if value is None else round(float(value), places)


def item_json(item):
    indicator = item.indicator
    return {
        "indicator": indicator.code,
        "name": indicator.name,
        "value": _num(item.value, 4),
        "threshold": _num(item.threshold, 3),
        "passed": item.passed,
        "percent": _num(item.percent, 2),
        "shortfall": _num(item.shortfall, 2),
        "unit": indicator.unit,
        "shortfall_unit": indicator.numerator_unit,
    }


def compliance_json(standard, year, computed):
    """`{"standard", "year", "schools": [...]}`: one entry per evaluated unit (a school, or one
    level of it when the standard evaluates by level, then with "level")."""
    schools = []
    for school, units in computed:
        for unit in units:
            entry = {"code": school.code, "name": school.name}
            if unit.part:
                entry["level"] = unit.part
            entry.update(
                failed=unit.failed,
                passed_rule=unit.passed_rule,
                items=[item_json(item) for item in unit.items],
            )
            schools.append(entry)
    return {"standard": standard.code, "year": year, "schools": schools}


def compliance_table(computed):
    """Lines of text: one per unit, failed items with their shortfalls."""
    lines = []
    for school, units in computed:
        for unit in units:
            label = f"{school.code} {school.name}"
            if unit.part:
                label += f" [{Level(unit.part).label}]"
            verdict = _("达标") if unit.passed_rule else _("未达标")
            failed = [
                _("%(code)s %(name)s %(value)s/%(threshold)s 差 %(shortfall)s %(unit)s")
                % {
                    "code": item.indicator.code,
                    "name": item.indicator.name,
                    "value": _num(item.value, 2),
                    "threshold": _num(item.threshold, 2),
                    "shortfall": _num(item.shortfall, 2),
                    "unit": item.indicator.numerator_unit,
                }
                for item in unit.items
                if item.passed is False
            ]
            failed_count = _("未达标 %(n)s 项") % {"n": unit.failed}
            lines.append("\t".join([label, verdict, failed_count, "; ".join(failed)]))
    return lines


def school_rows(block):
    """A level's schools as rows for a page: code, name, students and the value of each
    indicator in the indicators' order (None where its denominator is 0)."""
    school = block.get("school") or {"code": [], "name": [], "students": []}
    values = [indicator["schools"]["value"] for indicator in block["indicators"]]
    return [
        {"code": code, "name": name, "students": students, "values": [column[i] for column in values]}
        for i, (code, name, students) in enumerate(
            zip(school["code"], school["name"], school["students"], strict=True)
        )
    ]


VERDICTS = {True: gettext_lazy("达到"), False: gettext_lazy("未达到"), None: gettext_lazy("无法判定")}


def balance_table(result):
    lines = [f"{result['standard']} {result['year']} {result['region']}"]
    for level, block in result["levels"].items():
        lines.append(
            _("[%(level)s] 学校 %(schools)s 所，学生 %(students)s 人")
            % {"level": Level(level).label, "schools": block["schools"], "students": block["students"]}
        )
        for ind in block["indicators"]:
            limit = "" if ind["limit"] is None else f" ≤ {ind['limit']}"
            lines.append(
                _("  %(code)s %(name)s：均值 %(mean)s，差异系数 %(cv)s")
                % {"code": ind["code"], "name": ind["name"], "mean": ind["mean"], "cv": ind["cv"]}
                + limit
            )
        if "composite_cv" in block:
            lines.append(
                _("  综合差异系数 %(cv)s ≤ %(limit)s")
                % {"cv": block["composite_cv"], "limit": block["composite_limit"]}
            )
        lines.append(_("  结论：%(verdict)s") % {"verdict": VERDICTS[block["passed"]]})
    return lines


def county_levels(result):
    """Each level's verdict from a `balance_compute`-shaped result, without per-school lists:
    schools, students, every indicator's cv, limit and verdict and, under a composite rule, the
    composite coefficient and its limit."""
    levels = {}
    for level, block in result["levels"].items():
        entry = {
            "schools": block["schools"],
            "students": block["students"],
            "passed": block["passed"],
            "indicators": [
                {key: ind[key] for key in ("code", "name", "mean", "cv", "limit", "passed")}
                for ind in block["indicators"]
            ],
        }
        if "composite_cv" in block:
            entry.update(composite_cv=block["composite_cv"], composite_limit=block["composite_limit"])
        levels[level] = entry
    return levels


def county_json(county, schools, result):
    """One county of `balance --all-counties`: its code, name, prefecture, active schools, levels."""
    parent = county.parent
    return {
        "code": county.code,
        "name": county.name,
        "parent": {"code": parent.code, "name": parent.name} if parent else None,
        "schools": schools,
        "levels": county_levels(result),
    }


def _shown(value):
    return "—" if value is None else value


def _level_cell(block):
    if "composite_cv" in block:
        figure = _("综合 %(cv)s/%(limit)s") % {
            "cv": _shown(block["composite_cv"]),
            "limit": block["composite_limit"],
        }
    else:
        figure = " ".join(f"{ind['code']}={_shown(ind['cv'])}" for ind in block["indicators"])
    return f"{figure} {VERDICTS[block['passed']]}"


def counties_table(entries):
    """Lines of text: one per county of `county_json` entries."""
    lines = []
    for entry in entries:
        parent = entry["parent"]["name"] if entry["parent"] else ""
        cells = [entry["code"], entry["name"], parent, _("%(n)s 所") % {"n": entry["schools"]}]
        cells += [f"[{Level(level).label}] {_level_cell(block)}" for level, block in entry["levels"].items()]
        lines.append("\t".join(cells))
    return lines
