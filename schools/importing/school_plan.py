"""Planning an import of the school registry: every check, on the file and the database, before any write."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schools import fields
from schools.importing import cells
from schools.importing.columns import REQUIRED, Column, Layout, normalised
from schools.importing.outcome import Problem
from schools.importing.plans import Entry, first_rows, read_rows, start
from schools.levels import SchoolType
from schools.models import AnnualReport, Region, School
from schools.models.registry import plain_name

# A school belongs to a town-level region (镇, 街道, 乡).
TOWN_KINDS = (Region.Kind.STREET, Region.Kind.TOWN, Region.Kind.TOWNSHIP)
# The fields an import sets; a school whose values all match is left untouched.
FIELDS = (
    "name",
    "school_type",
    "ownership",
    "area_type",
    "region_id",
    "district",
    "teaching_point",
    "parent_id",
)


_name_text = cells.text(School._meta.get_field("name").max_length)


def _school_name(value, key):
    """The name as the registry keeps it (`plain_name`), checked for length after cleaning."""
    name = _name_text(plain_name(cells.shown(value)), key)
    if not name:
        raise cells.CellError(_("不能为空，也不能只有不可见字符（%(key)s）") % {"key": key})
    return name


def school_layout():
    def field(key):
        return School._meta.get_field(key)

    return Layout(
        [
            Column("code", field("code").verbose_name, cells.school_code, REQUIRED),
            Column("name", field("name").verbose_name, _school_name, REQUIRED),
            Column("school_type", field("school_type").verbose_name, cells.choice(SchoolType), REQUIRED),
            Column("ownership", field("ownership").verbose_name, cells.choice(School.Ownership), "public"),
            Column("area_type", field("area_type").verbose_name, cells.choice(School.AreaType), REQUIRED),
            Column("region", field("region").verbose_name, cells.text(50), REQUIRED),
            Column("district", field("district").verbose_name, cells.text(field("district").max_length), ""),
            Column("teaching_point", field("teaching_point").verbose_name, cells.yes_no, False),
            Column("parent_code", gettext_lazy("所属中心校标识码"), cells.school_code, None),
        ],
        required=("code", "name", "school_type", "area_type", "region"),
        aliases={normalised("所属中心校"): "parent_code"},
    )


class Registry:
    """The registry as it stands: every school and town-level region, one query each."""

    def __init__(self):
        self.schools = {school.code: school for school in School.objects.all()}
        self.code_of = {school.pk: code for code, school in self.schools.items()}
        self.region_by_code, self.regions_by_name = {}, {}
        for region in Region.objects.filter(kind__in=TOWN_KINDS):
            self.region_by_code[region.code] = region
            self.regions_by_name.setdefault(region.name, []).append(region)

    def region(self, value):
        """The region named or coded `value`, or the message why there is none."""
        if value in self.region_by_code:
            return self.region_by_code[value], None
        named = self.regions_by_name.get(value, [])
        if len(named) == 1:
            return named[0], None
        if named:
            return None, _("镇街名称“%(value)s”不唯一，请填写区划代码（region）") % {"value": value}
        return None, _("未知的镇街“%(value)s”：应为镇街的区划代码或名称（region）") % {"value": value}


def plan_schools(table):
    """The plan of importing `table` into the registry; nothing is written."""
    layout = school_layout()
    plan, readable = start(table, layout)
    if not readable or "code" not in plan.positions:
        return plan
    rows = read_rows(plan, table, layout)
    rows = first_rows(
        plan, rows, lambda row: row.values.get("code"), "code", _("学校标识码与第%(row)d行重复（code）")
    )
    registry = Registry()
    for row in rows:
        if row.values.get("region") is not None:
            region, message = registry.region(row.values["region"])
            if message:
                plan.problems.append(Problem(row.number, plan.label("region", "region"), message))
            row.values["region"] = region
    in_file = {row.values["code"]: row for row in rows}
    _check_parents(plan, in_file, registry)
    _check_type_changes(plan, in_file, registry)
    plan.problems.sort(key=lambda problem: problem.row or 0)
    if not plan.problems:
        _fill_entries(plan, in_file, registry)
    return plan


def _final_state(in_file, registry):
    """Each school's parent code and teaching-point flag as they will be after the import."""
    parents = {code: registry.code_of.get(school.parent_id) for code, school in registry.schools.items()}
    points = {code: school.teaching_point for code, school in registry.schools.items()}
    for code, row in in_file.items():
        parents[code] = row.values.get("parent_code", parents.get(code))
        points[code] = row.values.get("teaching_point", points.get(code, False))
    return parents, points


def _loop(code, parents):
    """The chain code → parent → … when it comes back to `code`, else None."""
    chain, current = [code], parents.get(code)
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return [*chain, current] if current == code else None


def _check_parents(plan, in_file, registry):
    parents, points = _final_state(in_file, registry)
    children = {}
    for code, parent in parents.items():
        if parent is not None:
            children.setdefault(parent, []).append(code)
    parent_column = plan.label("parent_code", plan.label("teaching_point", plan.label("code", "code")))
    for code, row in in_file.items():
        if "parent_code" in plan.positions and "parent_code" not in row.values:
            continue  # the cell itself is wrong, already reported
        parent = parents[code]
        message = None
        if parent is None and points[code]:
            message = _("教学点必须填写所属中心校标识码（parent_code）")
        elif parent == code:
            message = _("学校不能以本校为所属中心校（parent_code）")
        elif parent is not None and parent not in parents:
            message = _("所属中心校“%(code)s”不在学校名录中，也不在本文件中（parent_code）") % {
                "code": parent
            }
        elif parent is not None and points.get(parent):
            message = _("所属中心校“%(code)s”是教学点，不能作为中心校（parent_code）") % {"code": parent}
        elif parent is not None and _loop(code, parents):
            message = _("所属中心校形成循环：%(chain)s（parent_code）") % {
                "chain": " → ".join(_loop(code, parents))
            }
        if message:
            plan.problems.append(Problem(row.number, parent_column, message))
        # Schools outside the file that hang under this one: the file cannot make it a teaching point.
        outside = [child for child in children.get(code, ()) if child not in in_file]
        if points[code] and outside:
            plan.problems.append(
                Problem(
                    row.number,
                    plan.label("teaching_point", "teaching_point"),
                    _("本校是%(codes)s的所属中心校，不能设为教学点（teaching_point）")
                    % {"codes": "、".join(outside)},
                )
            )


def _check_type_changes(plan, in_file, registry):
    """A new school type must still fit the levels of the school's stored reports."""
    changed = {}
    for code, row in in_file.items():
        school = registry.schools.get(code)
        new_type = row.values.get("school_type")
        if school is not None and new_type is not None and new_type != school.school_type:
            changed[school.pk] = (row, new_type)
    if not changed:
        return
    keys = [f"{kind}_{level}" for kind in ("students", "classes", "teachers") for level in fields.LEVELS]
    stored = AnnualReport.objects.filter(school_id__in=list(changed)).values("school_id", "year", *keys)
    for report in stored.order_by("year"):
        row, new_type = changed[report["school_id"]]
        for _key, message in fields.contradictions(report, new_type):
            plan.problems.append(
                Problem(
                    row.number,
                    plan.label("school_type", "school_type"),
                    _("改为该办学类型后与%(year)d年的年报矛盾：%(message)s")
                    % {"year": report["year"], "message": message},
                )
            )


def _fill_entries(plan, in_file, registry):
    instances, before = {}, {}
    for code, row in in_file.items():
        school = registry.schools.get(code)
        if school is None:
            school = School(code=code)
        else:
            before[code] = [getattr(school, name) for name in FIELDS]
        for key, value in row.values.items():
            if key not in ("code", "parent_code"):
                setattr(school, key, value)
        instances[code] = school
    for code, row in in_file.items():
        school = instances[code]
        linked_to_new = False
        if "parent_code" in row.values:
            parent = row.values["parent_code"]
            if parent in instances:
                # A parent created by this import has no id yet: the writer creates it first.
                school.parent = instances[parent]
                linked_to_new = instances[parent].pk is None
            else:
                school.parent_id = registry.schools[parent].pk if parent else None
        is_new = code not in before
        changed = is_new or linked_to_new or before[code] != [getattr(school, name) for name in FIELDS]
        plan.entries[row.number] = Entry(school, is_new, changed)
