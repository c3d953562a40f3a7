"""The annual report's field keys and the contradictions a report must not contain.

Plain Python: used by the model's `clean()`, by the importers and by the database constraints,
so that every path names the same fields with the same message.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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

TEACHER_KEYS = (
    "teachers_primary",
    "teachers_junior",
    "teachers_senior",
    "qualified_above_primary",
    "qualified_above_junior",
    "mid_title_primary",
    "mid_title_junior",
    "backbone_primary",
    "backbone_junior",
    "pe_art_primary",
    "pe_art_junior",
)

STUDENT_KEYS = (
    "students_primary",
    "students_junior",
    "students_senior",
    "classes_primary",
    "classes_junior",
    "classes_senior",
    "admissions_primary",
    "admissions_junior",
    "choice_admissions",
    "oversize_classes",
    "migrant_students",
    "left_behind_students",
    "disabled_students",
)

COUNT_KEYS = (
    *STUDENT_KEYS,
    *TEACHER_KEYS,
    "computers",
    "books",
    "multimedia_classrooms",
)
AREA_KEYS = (
    "site_area",
    "green_area",
    "concentrated_green_area",
    "sports_ground_area",
    "building_area",
    "teaching_aux_area",
    "gym_area",
    "dilapidated_area",
)
MONEY_KEYS = ("equipment_value",)
OPTIONAL_MONEY_KEYS = ("teacher_payroll", "public_funds", "training_funds")
BOOL_KEYS = ("pe_hour_met",)
PERCENT_KEYS = ("health_pass_rate",)

REPORT_KEYS = COUNT_KEYS + AREA_KEYS + MONEY_KEYS + OPTIONAL_MONEY_KEYS + BOOL_KEYS + PERCENT_KEYS
NUMERIC_KEYS = COUNT_KEYS + AREA_KEYS + MONEY_KEYS + OPTIONAL_MONEY_KEYS + PERCENT_KEYS

# (part, wholes): the part may never exceed the sum of the wholes within one report.
PART_OF_WHOLE = (
    *(
        (f"{kind}_{level}", (f"teachers_{level}",))
        for level in ("primary", "junior")
        for kind in ("qualified_above", "mid_title", "backbone", "pe_art")
    ),
    ("teaching_aux_area", ("building_area",)),
    ("gym_area", ("building_area",)),
    ("dilapidated_area", ("building_area",)),
    ("concentrated_green_area", ("green_area",)),
    ("green_area", ("site_area",)),
    ("sports_ground_area", ("site_area",)),
    ("choice_admissions", ("admissions_primary", "admissions_junior")),
    ("oversize_classes", ("classes_primary", "classes_junior", "classes_senior")),
)


# Each level's own fields ("teachers_junior", "admissions_junior", …).
LEVEL_KEYS = {level: tuple(key for key in NUMERIC_KEYS if key.endswith(f"_{level}")) for level in LEVELS}


def is_numeric_key(key):
    """Whether `key` names a numeric report field; "{level}" must fit at least one level."""
    if "{level}" in key:
        return any(key.format(level=level) in NUMERIC_KEYS for level in LEVELS)
    return key in NUMERIC_KEYS


def title(key):
    """The report field's title in the active language ("小学专任教师数")."""
    from schools.models import AnnualReport

    return str(AnnualReport._meta.get_field(key).verbose_name)


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
                    _("%(part)s（%(pk)s）不能大于%(whole)s（%(wk)s）")
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
                    _("%(title)s（%(key)s）：该办学类型没有此学段，应为0")
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
                    _("%(title)s（%(key)s）：该办学类型没有此学段，在校生数应为0")
                    % {"title": title(f"students_{level}"), "key": f"students_{level}"},
                )
            )
            continue
        for kind in ("classes", "teachers"):
            if not _num(values, f"{kind}_{level}"):
                problems.append(
                    (
                        f"{kind}_{level}",
                        _("%(title)s（%(key)s）为0，但%(stitle)s（%(skey)s）为%(n)s")
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


# The report form's sections: students and classes, teachers, land and buildings, equipment, finance, other.
SECTIONS = (
    ("students", STUDENT_KEYS),
    ("teachers", TEACHER_KEYS),
    ("land", AREA_KEYS),
    ("equipment", ("equipment_value", "computers", "books", "multimedia_classrooms")),
    ("finance", OPTIONAL_MONEY_KEYS),
    ("other", BOOL_KEYS + PERCENT_KEYS),
)
SECTION_TITLES = {
    "students": gettext_lazy("学生与班级"),
    "teachers": gettext_lazy("教师"),
    "land": gettext_lazy("用地与校舍"),
    "equipment": gettext_lazy("装备"),
    "finance": gettext_lazy("经费"),
    "other": gettext_lazy("其他"),
}
