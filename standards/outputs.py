"""Shaping computed compliance for JSON and for a plain-text table."""

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
                label += f"（{Level(unit.part).label}）"
            verdict = "达标" if unit.passed_rule else "未达标"
            failed = [
                f"{item.indicator.code} {item.indicator.name} {_num(item.value, 2)}/{_num(item.threshold, 2)}"
                f" 差{_num(item.shortfall, 2)}{item.indicator.numerator_unit}"
                for item in unit.items
                if item.passed is False
            ]
            lines.append(f"{label}\t{verdict}\t未达标{unit.failed}项\t" + "；".join(failed))
    return lines


def balance_table(result):
    lines = [f"{result['standard']} {result['year']} {result['region']}"]
    for level, block in result["levels"].items():
        lines.append(f"[{Level(level).label}] 学校 {block['schools']} 所，学生 {block['students']} 人")
        for ind in block["indicators"]:
            limit = "" if ind["limit"] is None else f" ≤{ind['limit']}"
            lines.append(f"  {ind['code']} {ind['name']}: 均值 {ind['mean']} 差异系数 {ind['cv']}{limit}")
        if "composite_cv" in block:
            lines.append(f"  综合差异系数 {block['composite_cv']} ≤{block['composite_limit']}")
        lines.append(f"  结论：{ {True: '达到', False: '未达到', None: '无法判定'}[block['passed']] }")
    return lines
