"""import_schools: the registry from .xlsx/.csv files, all rows or none."""

from io import StringIO

import pytest
import tablib
from django.core.management import call_command
from django.core.management.base import CommandError

from schools.importing.resources import SchoolResource
from schools.management.commands.import_schools import Command as ImportSchools
from schools.models import AnnualReport, Region, School
from tests.import_files import SCHOOL_KEYS, SCHOOL_TITLES, csv_file, school_row, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions(db):
    county = Region.objects.create(code="330382", name="乐清市", kind="county")
    Region.objects.create(code="330382100", name="柳市镇", kind="town", parent=county)
    Region.objects.create(code="330382001", name="城东街道", kind="street", parent=county)
    Region.objects.create(code="330382102", name="塘下镇", kind="town", parent=county)
    ruian = Region.objects.create(code="330381", name="瑞安市", kind="county")
    Region.objects.create(code="330381101", name="塘下镇", kind="town", parent=ruian)


@pytest.fixture
def existing(regions):
    """A school already in the registry, so that a failed import can be seen to leave it alone."""
    return School.objects.create(
        code="3303820900",
        name="老校",
        school_type="primary",
        area_type="rural",
        region=Region.objects.get(code="330382100"),
    )


def registry():
    fields = (
        "code",
        "name",
        "school_type",
        "ownership",
        "area_type",
        "region__code",
        "district",
        "teaching_point",
    )
    return list(School.objects.order_by("code").values_list(*fields, "parent__code"))


def run(path, *args):
    out = StringIO()
    call_command("import_schools", str(path), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def problems(path, *args):
    """The stderr lines of an import that must fail, after checking that it wrote nothing."""
    before = registry()
    err = StringIO()
    with pytest.raises(CommandError, match="未写入任何数据"):
        call_command("import_schools", str(path), *args, stdout=StringIO(), stderr=err)
    assert registry() == before
    return err.getvalue().splitlines()


def test_xlsx_with_chinese_titles_and_labels_creates_schools(regions, tmp_path):
    path = xlsx(
        tmp_path / "schools.xlsx",
        SCHOOL_TITLES,
        [
            school_row("3303820001", "城东一小", "小学", "公办", "城区", "城东街道", district="城东学区"),
            school_row("3303820002", "柳市实验", "九年一贯制学校", "民办", "镇区", "330382100"),
        ],
    )

    assert run(path) == "学校：新增 2，更新 0，未变 0\n"
    assert registry() == [
        ("3303820001", "城东一小", "primary", "public", "urban", "330382001", "城东学区", False, None),
        ("3303820002", "柳市实验", "nine_year", "private", "town", "330382100", "", False, None),
    ]


def test_csv_with_key_headers_and_choice_keys(regions, tmp_path):
    path = csv_file(
        tmp_path / "schools.csv",
        SCHOOL_KEYS,
        [
            ["3303820001", "柳市中学", "junior", "public", "town", "柳市镇", "", "no", ""],
            ["3303820002", "黄华教学点", "primary", "public", "rural", "柳市镇", "", "yes", "3303820001"],
        ],
    )

    run(path)

    assert registry() == [
        ("3303820001", "柳市中学", "junior", "public", "town", "330382100", "", False, None),
        ("3303820002", "黄华教学点", "primary", "public", "rural", "330382100", "", True, "3303820001"),
    ]


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig"])
def test_csv_in_gb18030_or_with_a_bom(regions, tmp_path, encoding):
    path = csv_file(
        tmp_path / "schools.csv",
        SCHOOL_TITLES,
        [school_row("3303820001", "虹桥镇第一小学")],
        encoding=encoding,
    )

    run(path)

    assert School.objects.get().name == "虹桥镇第一小学"


def test_headers_are_matched_without_whitespace_and_optional_columns_may_be_left_out(regions, tmp_path):
    header = [" 学校标识码", "学校\n名称", "办学 类型", "城乡分类 ", "所属镇街"]
    path = csv_file(
        tmp_path / "schools.csv", header, [["3303820001", "城东一小", "小学", "城区", "城东街道"]]
    )

    run(path)

    assert registry() == [
        ("3303820001", "城东一小", "primary", "public", "urban", "330382001", "", False, None)
    ]


def test_a_teaching_point_may_hang_under_a_school_further_down_the_file(regions, tmp_path):
    path = xlsx(
        tmp_path / "schools.xlsx",
        SCHOOL_TITLES,
        [
            school_row("3303820002", "岭底教学点", teaching_point="是", parent_code="3303820001"),
            school_row("3303820001", "岭底中心小学"),
        ],
    )

    run(path)

    assert School.objects.get(code="3303820002").parent == School.objects.get(code="3303820001")


def test_rows_update_schools_by_code_and_columns_left_out_keep_their_values(existing, tmp_path):
    existing.district = "北白象学区"
    existing.save()
    header = ["学校标识码", "学校名称", "办学类型", "城乡分类", "所属镇街"]
    path = csv_file(
        tmp_path / "schools.csv",
        header,
        [
            ["3303820900", "新校名", "九年一贯制学校", "镇区", "城东街道"],
            ["3303820001", "城东一小", "小学", "城区", "城东街道"],
        ],
    )

    assert run(path) == "学校：新增 1，更新 1，未变 0\n"
    assert registry() == [
        ("3303820001", "城东一小", "primary", "public", "urban", "330382001", "", False, None),
        ("3303820900", "新校名", "nine_year", "public", "town", "330382001", "北白象学区", False, None),
    ]


def test_importing_the_same_file_twice_leaves_the_same_state(regions, tmp_path):
    path = xlsx(
        tmp_path / "schools.xlsx",
        SCHOOL_TITLES,
        [school_row("3303820002", teaching_point="是", parent_code="3303820001"), school_row("3303820001")],
    )
    run(path)
    first = registry()

    assert run(path) == "学校：新增 0，更新 0，未变 2\n"
    assert registry() == first


def test_dry_run_reports_the_counts_and_writes_nothing(existing, tmp_path):
    path = csv_file(
        tmp_path / "schools.csv", SCHOOL_TITLES, [school_row("3303820900", "改名"), school_row("3303820001")]
    )

    assert run(path, "--dry-run") == "试运行：只检查，未写入任何数据\n学校：新增 1，更新 1，未变 0\n"
    assert registry() == [("3303820900", "老校", "primary", "public", "rural", "330382100", "", False, None)]


def test_the_command_explains_itself():
    assert "学校名录" in ImportSchools().create_parser("manage.py", "import_schools").format_help()


def test_verbosity_0_prints_nothing(regions, tmp_path):
    path = csv_file(tmp_path / "schools.csv", SCHOOL_TITLES, [school_row("3303820001")])

    assert run(path, "--verbosity", "0") == ""
    assert School.objects.count() == 1


def bad_csv(tmp_path, rows, header=SCHOOL_TITLES):
    return csv_file(tmp_path / "schools.csv", header, rows)


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            [school_row("3303820001"), school_row("330382002")],
            "row 3, column 学校标识码: 学校标识码应为10位数字：“330382002”（code）",
        ),
        (
            [school_row("3303820001"), school_row("3303820002"), school_row("3303820001")],
            "row 4, column 学校标识码: 学校标识码与第2行重复（code）",
        ),
        (
            [school_row("3303820001", school_type="大学")],
            "row 2, column 办学类型: 不是有效的选项：“大学”，"
            "应为小学、初级中学、九年一贯制学校、十二年一贯制学校、完全中学之一（school_type）",
        ),
        ([school_row("3303820001", area_type="")], "row 2, column 城乡分类: 不能为空（area_type）"),
        (
            [school_row("3303820001", region="虹桥镇")],
            "row 2, column 所属镇街: 未知的镇街“虹桥镇”：应为镇街的区划代码或名称（region）",
        ),
        (
            [school_row("3303820001", region="乐清市")],
            "row 2, column 所属镇街: 未知的镇街“乐清市”：应为镇街的区划代码或名称（region）",
        ),
        (
            [school_row("3303820001", region="塘下镇")],
            "row 2, column 所属镇街: 镇街名称“塘下镇”不唯一，请填写区划代码（region）",
        ),
        (
            [school_row("3303820001", teaching_point="是")],
            "row 2, column 所属中心校标识码: 教学点必须填写所属中心校标识码（parent_code）",
        ),
        (
            [school_row("3303820001", teaching_point="是", parent_code="3303829999")],
            "row 2, column 所属中心校标识码: "
            "所属中心校“3303829999”不在学校名录中，也不在本文件中（parent_code）",
        ),
        (
            [
                school_row("3303820001", teaching_point="是", parent_code="3303820900"),
                school_row("3303820002", teaching_point="是", parent_code="3303820001"),
            ],
            "row 3, column 所属中心校标识码: 所属中心校“3303820001”是教学点，不能作为中心校（parent_code）",
        ),
        (
            [school_row("3303820001", parent_code="3303820001")],
            "row 2, column 所属中心校标识码: 学校不能以本校为所属中心校（parent_code）",
        ),
        (
            [
                school_row("3303820001", parent_code="3303820002"),
                school_row("3303820002", parent_code="3303820001"),
            ],
            "row 2, column 所属中心校标识码: "
            "所属中心校形成循环：3303820001 → 3303820002 → 3303820001（parent_code）",
        ),
        (
            [school_row("3303820001", teaching_point="可能")],
            "row 2, column 是否教学点: 应为“是”或“否”：“可能”（teaching_point）",
        ),
    ],
    ids=[
        "malformed code",
        "duplicate code",
        "unknown choice",
        "required blank",
        "unknown region",
        "county is no town",
        "ambiguous region name",
        "teaching point without parent",
        "unknown parent",
        "parent is a teaching point",
        "own parent",
        "parent loop",
        "bad yes/no",
    ],
)
def test_a_bad_row_is_reported_at_its_row_and_column_and_nothing_is_written(
    existing, tmp_path, rows, expected
):
    good = [school_row("3303820900", "老校改名")]  # a valid update that must not happen either

    assert expected in problems(bad_csv(tmp_path, rows + good))


def test_every_problem_is_listed_one_line_each(existing, tmp_path):
    path = bad_csv(
        tmp_path, [school_row("33038200x1", school_type="大学"), school_row("3303820002", name=" ")]
    )

    assert problems(path) == [
        "row 2, column 学校标识码: 学校标识码应为10位数字：“33038200x1”（code）",
        "row 2, column 办学类型: 不是有效的选项：“大学”，"
        "应为小学、初级中学、九年一贯制学校、十二年一贯制学校、完全中学之一（school_type）",
        "row 3, column 学校名称: 不能为空（name）",
    ]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ([*SCHOOL_TITLES, "备注"], "row 1, column 备注: 未知的列“备注”"),
        (
            [title for title in SCHOOL_TITLES if title != "城乡分类"],
            "row 1: 缺少必填列“城乡分类”（area_type）",
        ),
        (["code", *SCHOOL_TITLES[1:], "学校标识码"], "row 1, column 学校标识码: 与“code”是同一列（code）"),
    ],
    ids=["unknown column", "missing required column", "repeated column"],
)
def test_header_problems(existing, tmp_path, header, expected):
    cells = {
        **dict(zip(SCHOOL_TITLES, school_row("3303820001"), strict=True)),
        "code": "3303820001",
        "备注": "新建",
    }
    values = [cells[title] for title in header]

    assert expected in problems(csv_file(tmp_path / "schools.csv", header, [values]))


def test_a_bad_row_after_more_than_a_batch_of_good_rows_writes_nothing(existing, tmp_path):
    rows = [school_row(f"33038{n:05d}") for n in range(1, 1202)]
    rows.append(school_row("3303829999", region="无此镇"))

    lines = problems(bad_csv(tmp_path, rows))

    assert lines == ["row 1203, column 所属镇街: 未知的镇街“无此镇”：应为镇街的区划代码或名称（region）"]
    assert School.objects.count() == 1


def test_a_new_school_type_must_fit_the_stored_reports(existing, tmp_path):
    AnnualReport.objects.create(
        school=existing, year=2012, students_primary=300, classes_primary=8, teachers_primary=20
    )
    path = bad_csv(tmp_path, [school_row("3303820900", school_type="初级中学")])

    assert problems(path) == [
        "row 2, column 办学类型: 改为该办学类型后与2012年的年报矛盾："
        "小学在校生数（students_primary）：该办学类型没有此学段，在校生数应为0",
    ]


def test_excel_error_cells_and_formulas_without_a_value_are_refused(existing, tmp_path):
    path = xlsx(
        tmp_path / "schools.xlsx",
        SCHOOL_TITLES,
        [school_row("3303820001", name="#N/A"), school_row("3303820002", name='=A3&"小学"')],
    )

    assert problems(path) == [
        "row 2, column 学校名称: 单元格是Excel错误值“#N/A”（name）",
        "row 3, column 学校名称: 公式没有计算结果，请在Excel中重新计算并保存后再导入（name）",
    ]


def test_a_formula_with_its_computed_value_is_read(regions, tmp_path):
    path = xlsx(
        tmp_path / "schools.xlsx",
        SCHOOL_TITLES,
        [school_row("3303820001", name='="柳市"&"一小"')],
        cached={"B2": "柳市一小"},
    )

    run(path)

    assert School.objects.get().name == "柳市一小"


def test_merged_cells_in_the_header_row_are_refused(existing, tmp_path):
    header = ["学校基本信息", None, *SCHOOL_TITLES[2:]]
    path = xlsx(tmp_path / "schools.xlsx", header, [school_row("3303820001")], merge="A1:B1")

    assert "row 1, column 学校基本信息: 表头不能有合并单元格（A1:B1）" in problems(path)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("schools.csv", b"", "文件是空的：第1行应为表头"),
        ("schools.csv", "学校标识码,学校名称\n".encode(), "文件中没有数据行：第1行为表头，数据从第2行开始"),
        (
            "schools.xlsx",
            "学校标识码,学校名称\n3303820001,一小\n".encode(),
            "文件不是有效的Excel（.xlsx）文件",
        ),
        (
            "schools.csv",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "文件不是有效的CSV文本文件（含有二进制内容）",
        ),
        ("schools.xls", b"\xd0\xcf\x11\xe0", "不支持的文件类型“.xls”：请使用.xlsx或.csv文件"),
    ],
    ids=["empty", "header only", "text named .xlsx", "binary named .csv", "old .xls"],
)
def test_files_that_cannot_be_imported(existing, tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)

    assert problems(path) == [expected]


def test_a_stray_value_far_below_the_data_is_refused(existing, tmp_path):
    path = xlsx(tmp_path / "schools.xlsx", SCHOOL_TITLES, [school_row("3303820001")], cells={"C300000": "x"})

    assert problems(path) == ["文件超过200,000行（第300,000行仍有内容），请删除多余的行"]


def test_data_under_an_empty_header_is_refused(existing, tmp_path):
    path = bad_csv(tmp_path, [[*school_row("3303820001"), "备注"]], header=[*SCHOOL_TITLES, ""])

    assert problems(path) == ["row 1, column J: 该列有数据但表头为空"]


def test_an_xlsx_named_csv_is_refused(existing, tmp_path):
    path = xlsx(tmp_path / "schools.xlsx", SCHOOL_TITLES, [school_row("3303820001")])
    path = path.rename(tmp_path / "schools.csv")

    assert problems(path) == [
        "文件不是有效的CSV文本文件（它是压缩包或Excel文件，Excel文件的扩展名应为.xlsx）"
    ]


def test_the_admin_resource_refuses_a_file_with_a_bad_row_and_writes_nothing(existing):
    dataset = tablib.Dataset(
        school_row("3303820001"), school_row("3303820002", region="无此镇"), headers=SCHOOL_TITLES
    )

    result = SchoolResource().import_data(dataset, dry_run=False)

    assert result.has_validation_errors()
    assert [row.error.messages for row in result.invalid_rows] == [
        ["第3行，所属镇街列：未知的镇街“无此镇”：应为镇街的区划代码或名称（region）"]
    ]
    assert School.objects.count() == 1


def test_the_admin_resource_imports_and_its_export_imports_back_unchanged(regions):
    dataset = tablib.Dataset(
        school_row("3303820001", "柳市一小"),
        school_row("3303820002", "柳市教学点", teaching_point="是", parent_code="3303820001"),
        headers=SCHOOL_KEYS,
    )
    result = SchoolResource().import_data(dataset, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 2

    exported = SchoolResource().export()
    assert exported.headers == SCHOOL_TITLES
    assert exported[1] == (
        "3303820002",
        "柳市教学点",
        "小学",
        "公办",
        "镇区",
        "柳市镇",
        "",
        "是",
        "3303820001",
    )

    again = SchoolResource().import_data(exported, dry_run=False)
    assert again.totals["skip"] == 2
