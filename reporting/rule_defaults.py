"""The error rules every database starts with: contradictions, negatives and absurd magnitudes.

Plain data, written into `ReportRule` (as built-in rules) after each migrate when missing; the
bureau may then reword them, change their limits or switch them off in the admin. Rows already
stored are never overwritten.
"""

from schools import fields

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
    ("limit-teachers", "教师人数超出合理范围", fields.TEACHER_KEYS, 2_000),
    ("limit-areas", "面积超出合理范围（单位为平方米）", fields.AREA_KEYS, 2_000_000),
    (
        "limit-money",
        "金额超出合理范围（单位为元，不是万元）",
        fields.MONEY_KEYS + fields.OPTIONAL_MONEY_KEYS,
        1_000_000_000,
    ),
    ("limit-computers", "计算机台数超出合理范围", ("computers",), 20_000),
    ("limit-books", "图书册数超出合理范围", ("books",), 2_000_000),
    ("limit-multimedia", "多媒体教室数超出合理范围", ("multimedia_classrooms",), 1_000),
)


def _part_message(part, wholes):
    whole_titles = " + ".join(map(fields.title, wholes))
    return f"{fields.title(part)}（{part}）不能大于{whole_titles}（{' + '.join(wholes)}）"


def builtin_rules():
    """The built-in rules as dicts of ReportRule field values, in a stable order."""
    found = [
        {
            "code": "non-negative",
            "message": "不能为负数",
            "kind": "range",
            "numerator": list(fields.NUMERIC_KEYS),
            "each_field": True,
            "minimum": 0,
        }
    ]
    found += [
        {
            "code": code,
            "message": message,
            "kind": "range",
            "numerator": list(keys),
            "each_field": True,
            "maximum": top,
        }
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
        for part, wholes in fields.PART_OF_WHOLE
    ]
    return [{**rule, "severity": "error", "builtin": True} for rule in found]


def builtin_rules_ensure(*, using="default", model=None):
    """Write the built-in error rules missing from the database (by code); returns how many.

    Runs after every migrate (and after the test framework's flush) with the migrated state's
    model: a rule the bureau edited or switched off stays as it is.
    """
    if model is None:
        from reporting.models import ReportRule as model
    wanted = builtin_rules()
    columns = {field.name for field in model._meta.fields}
    if not all(key in columns for rule in wanted for key in rule):
        return 0  # migrated only part of the way
    stored = set(model.objects.using(using).values_list("code", flat=True))
    missing = [model(**rule) for rule in wanted if rule["code"] not in stored]
    model.objects.using(using).bulk_create(missing)
    return len(missing)
