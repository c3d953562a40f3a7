"""The annual report's fields, in one table: key, title, unit, kind, section and the wholes a
field may not exceed. The model's fields and constraints, the forms, the imports, the template
and the exports are built from it (docs/fields.md), and the contradictions a report must not
contain are checked here.

Plain Python, no ORM: used by the model's `clean()`, by the importers and by the database
constraints, so that every path names the same fields with the same message.
"""

from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from schools.levels import TYPE_LEVELS

LEVELS = ("primary", "junior", "senior")

# The school registry's columns, in the order files and exports use.
REGISTRY_KEYS = (
    "code",
    "name",
    "school_type",
    "ownership",
    "area_type",
    "region",
    "district",
    "teaching_point",
    "parent_code",
)


class Kind:
    """How a field is stored: a whole count, an area (m²), money (yuan), optional money, yes/no,
    a percentage."""

    COUNT, AREA, MONEY, OPTIONAL_MONEY, BOOL, PERCENT = (
        "count",
        "area",
        "money",
        "optional_money",
        "bool",
        "percent",
    )


@dataclass(frozen=True)
class ReportField:
    key: str
    title: str
    unit: str
    kind: str
    section: str
    # The fields whose sum this one may never exceed within one report (a part and its whole).
    wholes: tuple = ()


STUDENTS, CLASSES, TEACHERS = _("人"), _("个"), _("人")
SQM, YUAN = _("平方米"), _("元")
C, A, M, OM = Kind.COUNT, Kind.AREA, Kind.MONEY, Kind.OPTIONAL_MONEY


REPORT_FIELDS = (
    ReportField("students_primary", _("小学在校生数"), STUDENTS, C, "students"),
    ReportField("students_junior", _("初中在校生数"), STUDENTS, C, "students"),
    ReportField("students_senior", _("高中在校生数"), STUDENTS, C, "students"),
    ReportField("classes_primary", _("小学班数"), CLASSES, C, "students"),
    ReportField("classes_junior", _("初中班数"), CLASSES, C, "students"),
    ReportField("classes_senior", _("高中班数"), CLASSES, C, "students"),
    ReportField("admissions_primary", _("小学招生数"), STUDENTS, C, "students"),
    ReportField("admissions_junior", _("初中招生数"), STUDENTS, C, "students"),
    ReportField(
        "choice_admissions",
        _("择校生数"),
        STUDENTS,
        C,
        "students",
        ("admissions_primary", "admissions_junior"),
    ),
    ReportField(
        "oversize_classes",
        _("超标准班额班数"),
        CLASSES,
        C,
        "students",
        ("classes_primary", "classes_junior", "classes_senior"),
    ),
    ReportField("migrant_students", _("随迁子女在校生数"), STUDENTS, C, "students"),
    ReportField("left_behind_students", _("留守儿童数"), STUDENTS, C, "students"),
    ReportField("disabled_students", _("随班就读残疾学生数"), STUDENTS, C, "students"),
    ReportField("teachers_primary", _("小学专任教师数"), TEACHERS, C, "teachers"),
    ReportField("teachers_junior", _("初中专任教师数"), TEACHERS, C, "teachers"),
    ReportField("teachers_senior", _("高中专任教师数"), TEACHERS, C, "teachers"),
    ReportField(
        "qualified_above_primary", _("小学高于规定学历教师数"), TEACHERS, C, "teachers", ("teachers_primary",)
    ),
    ReportField(
        "qualified_above_junior", _("初中高于规定学历教师数"), TEACHERS, C, "teachers", ("teachers_junior",)
    ),
    ReportField(
        "mid_title_primary", _("小学中级及以上职称教师数"), TEACHERS, C, "teachers", ("teachers_primary",)
    ),
    ReportField(
        "mid_title_junior", _("初中中级及以上职称教师数"), TEACHERS, C, "teachers", ("teachers_junior",)
    ),
    ReportField(
        "backbone_primary", _("小学县级及以上骨干教师数"), TEACHERS, C, "teachers", ("teachers_primary",)
    ),
    ReportField(
        "backbone_junior", _("初中县级及以上骨干教师数"), TEACHERS, C, "teachers", ("teachers_junior",)
    ),
    ReportField(
        "pe_art_primary", _("小学体育艺术专任教师数"), TEACHERS, C, "teachers", ("teachers_primary",)
    ),
    ReportField("pe_art_junior", _("初中体育艺术专任教师数"), TEACHERS, C, "teachers", ("teachers_junior",)),
    ReportField("site_area", _("占地面积"), SQM, A, "land"),
    ReportField("green_area", _("绿化用地面积"), SQM, A, "land", ("site_area",)),
    ReportField("concentrated_green_area", _("集中绿地面积"), SQM, A, "land", ("green_area",)),
    ReportField("sports_ground_area", _("运动场地面积"), SQM, A, "land", ("site_area",)),
    ReportField("building_area", _("校舍建筑面积"), SQM, A, "land"),
    ReportField("teaching_aux_area", _("教学及辅助用房面积"), SQM, A, "land", ("building_area",)),
    ReportField("gym_area", _("体育馆面积"), SQM, A, "land", ("building_area",)),
    ReportField("dilapidated_area", _("危房面积"), SQM, A, "land", ("building_area",)),
    ReportField("equipment_value", _("教学仪器设备值"), YUAN, M, "equipment"),
    ReportField("computers", _("教学用计算机台数"), _("台"), C, "equipment"),
    ReportField("books", _("图书册数"), _("册"), C, "equipment"),
    ReportField("multimedia_classrooms", _("网络多媒体教室数"), _("间"), C, "equipment"),
    ReportField("teacher_payroll", _("教师工资总额"), YUAN, OM, "finance"),
    ReportField("public_funds", _("公用经费支出"), YUAN, OM, "finance"),
    ReportField("training_funds", _("教师培训经费支出"), YUAN, OM, "finance"),
    ReportField("pe_hour_met", _("每天一小时体育活动落实"), "", Kind.BOOL, "other"),
    ReportField("health_pass_rate", _("学生体质健康及格率"), _("%"), Kind.PERCENT, "other"),
)
FIELDS = {field.key: field for field in REPORT_FIELDS}


def _keys(*kinds, section=None):
    return tuple(f.key for f in REPORT_FIELDS if f.kind in kinds and section in (None, f.section))


# The fields kept per level, as a rule or an indicator names them for "each level the school
# teaches" ("students_{level}"), with their titles.
LEVEL_PATTERNS = {
    "students_{level}": _("各学段在校生数"),
    "classes_{level}": _("各学段班数"),
    "admissions_{level}": _("各学段招生数"),
    "teachers_{level}": _("各学段专任教师数"),
    "qualified_above_{level}": _("各学段高于规定学历教师数"),
    "mid_title_{level}": _("各学段中级及以上职称教师数"),
    "backbone_{level}": _("各学段县级及以上骨干教师数"),
    "pe_art_{level}": _("各学段体育艺术专任教师数"),
}
REPORT_KEYS = tuple(FIELDS)
COUNT_KEYS = _keys(C)
STUDENT_KEYS = _keys(C, section="students")
TEACHER_KEYS = _keys(C, section="teachers")
AREA_KEYS = _keys(A)
MONEY_KEYS = _keys(M)
OPTIONAL_MONEY_KEYS = _keys(OM)
BOOL_KEYS = _keys(Kind.BOOL)
PERCENT_KEYS = _keys(Kind.PERCENT)
NUMERIC_KEYS = tuple(key for key in REPORT_KEYS if key not in BOOL_KEYS)

# (part, wholes): the part may never exceed the sum of the wholes within one report.
PART_OF_WHOLE = tuple((f.key, f.wholes) for f in REPORT_FIELDS if f.wholes)


# Each level's own fields ("teachers_junior", "admissions_junior", …).
LEVEL_KEYS = {level: tuple(key for key in NUMERIC_KEYS if key.endswith(f"_{level}")) for level in LEVELS}


def is_numeric_key(key):
    """Whether `key` names a numeric report field; "{level}" must fit at least one level."""
    if "{level}" in key:
        return any(key.format(level=level) in NUMERIC_KEYS for level in LEVELS)
    return key in NUMERIC_KEYS


def title(key):
    """The report field's title in the active language ("小学专任教师数")."""
    return str(FIELDS[key].title)


def _num(values, key):
    value = values.get(key)
    return 0 if value is None else value


def contradictions(values, school_type=None):
    """Every contradiction in one report as (field key, message in Chinese).

    `values` maps report keys to numbers (missing or None counts as 0); `school_type` is the
    school's type, or None when unknown (then the level check is skipped).
    """
    problems = []
    for part, wholes in PART_OF_WHOLE:
        if _num(values, part) > sum(_num(values, k) for k in wholes):
            whole_title = " + ".join(title(k) for k in wholes)
            problems.append(
                (
                    part,
                    gettext("%(part)s（%(pk)s）不能大于%(whole)s（%(wk)s）")
                    % {"part": title(part), "pk": part, "whole": whole_title, "wk": " + ".join(wholes)},
                )
            )
    taught = TYPE_LEVELS.get(school_type) if school_type else None
    for level in LEVELS:
        others = [key for key in LEVEL_KEYS[level] if key != f"students_{level}" and _num(values, key)]
        if taught is not None and level not in taught and others and not _num(values, f"students_{level}"):
            # A level the school does not teach has no figures (its fields are hidden on the form);
            # with students there, the message below says so once.
            problems.append(
                (
                    others[0],
                    gettext("%(title)s（%(key)s）：该办学类型没有此学段，应为0")
                    % {"title": "、".join(title(key) for key in others), "key": ", ".join(others)},
                )
            )
        students = _num(values, f"students_{level}")
        if not students:
            continue
        if taught is not None and level not in taught:
            problems.append(
                (
                    f"students_{level}",
                    gettext("%(title)s（%(key)s）：该办学类型没有此学段，在校生数应为0")
                    % {"title": title(f"students_{level}"), "key": f"students_{level}"},
                )
            )
            continue
        for kind in ("classes", "teachers"):
            if not _num(values, f"{kind}_{level}"):
                problems.append(
                    (
                        f"{kind}_{level}",
                        gettext("%(title)s（%(key)s）为0，但%(stitle)s（%(skey)s）为%(n)s")
                        % {
                            "title": title(f"{kind}_{level}"),
                            "key": f"{kind}_{level}",
                            "stitle": title(f"students_{level}"),
                            "skey": f"students_{level}",
                            "n": students,
                        },
                    )
                )
    return problems


# The report form's sections, in order: students and classes, teachers, land and buildings,
# equipment, finance, other.
SECTION_TITLES = {
    "students": _("学生与班级"),
    "teachers": _("教师"),
    "land": _("用地与校舍"),
    "equipment": _("装备"),
    "finance": _("经费"),
    "other": _("其他"),
}
SECTIONS = tuple((name, tuple(f.key for f in REPORT_FIELDS if f.section == name)) for name in SECTION_TITLES)
