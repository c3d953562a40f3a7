"""The error rules every database starts with: contradictions, negatives and absurd magnitudes.

Plain data, written into `ReportRule` (as built-in rules) after each migrate when missing; the
bureau may then reword them, change their limits or switch them off in the admin. Rows already
stored are never overwritten.
"""

from schools import rules

# (code, message, fields, largest plausible value): anything above is a typing error, or 万元
# entered where 元 are asked for.
MAGNITUDES = (
    (
        "limit-students",
        "学生人数超出合理范围",
        (
            "students_{level}",
            "admissions_primary",
            "admissions_junior",
            "choice_admissions",
            "migrant_students",
            "left_behind_students",
            "disabled_students",
        ),
        20_000,
    ),
    ("limit-classes", "班级数超出合理范围", ("classes_{level}", "oversize_classes"), 400),
    ("limit-teachers", "教师人数超出合理范围", rules.TEACHER_KEYS, 2_000),
    ("limit-areas", "面积超出合理范围（单位为平方米）", rules.AREA_KEYS, 2_000_000),
    ("limit-money", "金额超出合理范围（单位为元，不是万元）", rules.MONEY_KEYS + rules.OPTIONAL_MONEY_KEYS, 1_000_000_000),
    ("limit-computers", "计算机台数超出合理范围", ("computers",), 20_000),
    ("limit-books", "图书册数超出合理范围", ("books",), 2_000_000),
    ("limit-multimedia", "多媒体教室数超出合理范围", ("multimedia_classrooms",), 1_000),
)


def _part_message(part, wholes):
    whole_titles = " + ".join(map(rules.title, wholes))
    return f"{rules.title(part)}（{part}）不能大于{whole_titles}（{' + '.join(wholes)}）"


def builtin_rules():
    """The built-in rules as dicts of ReportRule field values, in a stable order."""
    found = [
        {
            "code": "non-negative",
            "message": "不能为负数",
            "kind": "range",
            "numerator": list(rules.NUMERIC_KEYS),
            "each_field": True,
            "minimum": 0,
        }
    ]
    found += [
        {"code": code, "message": message, "kind": "range", "numerator": list(keys), "each_field": True, "maximum": top}
        for code, message, keys, top in MAGNITUDES
    ]
    found += [
        {
            "code": f"part-{part}",
            "message": _part_message(part, wholes),
            "kind": "compare",
            "numerator": [part],
            "denominator": list(wholes),
        }
        for part, wholes in rules.PART_OF_WHOLE
    ]
    return [{**rule, "severity": "error", "builtin": True} for rule in found]
