"""Builders of import files for the import tests: .xlsx (with openpyxl) and .csv, from a header and rows."""

import csv
import re
import zipfile

from openpyxl import Workbook

from schools.fields import REGISTRY_KEYS

SCHOOL_TITLES = [
    "学校标识码",
    "学校名称",
    "办学类型",
    "举办者类型",
    "城乡分类",
    "所属镇街",
    "学区",
    "是否教学点",
    "所属中心校标识码",
]
SCHOOL_KEYS = list(REGISTRY_KEYS)
SHEET = "xl/worksheets/sheet1.xml"


def xlsx(path, header, rows, *, merge=None, cached=None, cells=None):
    """Write an .xlsx file. `merge` is a range to merge ("A1:B1"); `cached` maps a formula cell
    ("C2") to the value Excel would have stored with it (openpyxl itself stores none); `cells`
    maps more cells ("A9") to values."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for reference, value in (cells or {}).items():
        sheet[reference] = value
    if merge:
        sheet.merge_cells(merge)
    workbook.save(path)
    if cached:
        _store_cached_values(path, cached)
    return path


def _store_cached_values(path, cached):
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts[SHEET].decode()
    for ref, value in cached.items():
        # Excel marks a formula's text result with t="str"; a number needs no type.
        kind = ' t="str"' if isinstance(value, str) else ""
        xml, found = re.subn(
            rf'<c r="{ref}"([^>]*)>(<f>[^<]*</f>)<v\s*/>', rf'<c r="{ref}"\1{kind}>\2<v>{value}</v>', xml
        )
        assert found == 1, ref
    parts[SHEET] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def csv_file(path, header, rows, *, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


def school_row(
    code, name=None, school_type="小学", ownership="公办", area_type="镇区", region="柳市镇", **more
):
    """A registry row in SCHOOL_TITLES order; `more` sets district, teaching_point, parent_code."""
    return [
        code,
        name or f"学校{code[-4:]}",
        school_type,
        ownership,
        area_type,
        region,
        more.get("district", ""),
        more.get("teaching_point", "否"),
        more.get("parent_code", ""),
    ]
