"""A small import file claiming a huge sheet is refused as soon as the reader reaches a limit
(settings IMPORT_MAX_*), with a message naming the limit and where, and its memory stays flat
whatever the file claims. The hostile files are written by hand: a few kilobytes each."""

import tracemalloc

import pytest

from schools.importing.outcome import FileRejected
from schools.importing.readers import read_table
from tests.xlsx_parts import SHEET_PART, STRINGS_PART, package, shared_strings, sheet

MEGABYTE = 1024 * 1024
# Far below what reading the sheets these files claim would take (hundreds of MB to GB).
FLAT = 10 * MEGABYTE


@pytest.fixture(autouse=True)
def limits(settings):
    settings.IMPORT_MAX_ROWS = 200_000
    settings.IMPORT_MAX_COLUMNS = 1_000
    settings.IMPORT_MAX_CELLS = 5_000_000
    settings.IMPORT_MAX_UNZIPPED_BYTES = 200 * MEGABYTE
    return settings


def refusal(path):
    """The message read_table refuses `path` with, and the peak of memory traced while reading."""
    tracemalloc.start()
    try:
        with pytest.raises(FileRejected) as refused:
            read_table(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return refused.value.message, peak


HEADER_CELL = '<row r="1"><c r="A1" t="inlineStr"><is><t>学校标识码</t></is></c></row>'


@pytest.mark.parametrize("row", [20_000, 200_000])
def test_a_lone_cell_far_away_is_refused_without_building_the_sheet_it_claims(tmp_path, row):
    # ALL is column 1,000 (A..Z 26, AA..ZZ 676, AAA..AKZ 286: 988; AL 12 more): within the row and
    # column limits, but the sheet it spans is row × 1,000 cells, over 5,000,000.
    far = f'<row r="{row}"><c r="ALL{row}"><v>1</v></c></row>'
    path = package(tmp_path / "far.xlsx", sheet(HEADER_CELL + far))

    message, peak = refusal(path)

    assert message == (
        f"文件超过5,000,000个单元格（第{row:,}行第1,000列仍有内容，表格已达{row:,}行×1,000列），请删除多余的行或列"
    )
    assert peak < FLAT


def test_a_row_bomb_is_refused_at_the_first_row_beyond_the_limit(tmp_path, limits):
    limits.IMPORT_MAX_ROWS = 1_000
    # 50,000 rows numbered by position (no r attribute): compresses to a few kilobytes.
    rows = ("<row><c><v>1</v></c></row>" for _number in range(50_000))
    path = package(tmp_path / "rows.xlsx", sheet(rows))

    message, peak = refusal(path)

    assert message == "文件超过1,000行（第1,001行仍有内容），请删除多余的行"
    assert peak < FLAT


def test_a_cell_beyond_the_last_column_is_refused_with_its_place(tmp_path):
    # ALM is column 1,001.
    path = package(
        tmp_path / "wide.xlsx", sheet('<row r="1"><c r="A1"><v>1</v></c><c r="ALM1"><v>2</v></c></row>')
    )

    message, _peak = refusal(path)

    assert message == "文件超过1,000列（第1行第1,001列仍有内容），请删除多余的列"


def test_a_csv_padded_to_50000_rows_by_1000_columns_is_refused_unbuilt(tmp_path):
    # 50 KB: a first row 1,000 fields wide (999 commas), 49,998 empty lines, and a value in row 50,000.
    path = tmp_path / "padded.csv"
    path.write_text("x" + "," * 999 + "y\n" + "\n" * 49_998 + "z\n")

    message, peak = refusal(path)

    # 50,000 × 1,000 = 50,000,000 cells
    assert message == (
        "文件超过5,000,000个单元格（第50,000行第1列仍有内容，表格已达50,000行×1,000列），请删除多余的行或列"
    )
    assert peak < FLAT


def test_a_csv_with_more_rows_than_the_limit_is_refused_at_the_first_beyond(tmp_path, limits):
    limits.IMPORT_MAX_ROWS = 100
    path = tmp_path / "long.csv"
    path.write_text("学校标识码\n" + "3303820001\n" * 150)

    message, _peak = refusal(path)

    assert message == "文件超过100行（第101行仍有内容），请删除多余的行"


def test_empty_fields_at_the_end_of_csv_lines_are_no_content(tmp_path, limits):
    limits.IMPORT_MAX_COLUMNS = 3
    path = tmp_path / "commas.csv"
    path.write_text("a,b" + "," * 50 + "\n1,2" + "," * 50 + "\n")

    table = read_table(path)

    assert table.headers == ["a", "b"]
    assert table.rows == [("1", "2")]


def test_a_sheet_that_unzips_beyond_the_limit_is_refused_before_it_is_read(tmp_path, limits):
    limits.IMPORT_MAX_UNZIPPED_BYTES = MEGABYTE
    padding = " " * (2 * MEGABYTE)  # whitespace between rows: compresses to about 2 KB
    path = package(tmp_path / "padded.xlsx", sheet([HEADER_CELL, padding]))

    message, peak = refusal(path)

    assert message == f"文件解压后超过1 MB（读到{SHEET_PART}时），请删除多余的内容或拆分文件"
    assert peak < FLAT


def test_the_unzipped_limit_counts_every_part_read(tmp_path, limits):
    limits.IMPORT_MAX_UNZIPPED_BYTES = MEGABYTE
    # 0.6 MB of shared strings, then a 0.6 MB sheet: each under 1 MB, together over it.
    strings = shared_strings(["学校标识码", " " * (600 * 1024)])
    rows = [HEADER_CELL, " " * (600 * 1024)]
    path = package(tmp_path / "two.xlsx", sheet(rows), strings=strings)

    message, _peak = refusal(path)

    assert message == f"文件解压后超过1 MB（读到{SHEET_PART}时），请删除多余的内容或拆分文件"


def test_more_shared_strings_than_cells_are_refused_as_they_are_read(tmp_path, limits):
    limits.IMPORT_MAX_CELLS = 1_000
    strings = shared_strings(f"s{number}" for number in range(1_001))
    path = package(
        tmp_path / "strings.xlsx", sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'), strings=strings
    )

    message, _peak = refusal(path)

    assert message == f"文件超过1,000个单元格（{STRINGS_PART}中的文字已超过1,000项），请删除多余的内容"


def test_entity_declarations_are_refused(tmp_path):
    # The beginning of a "billion laughs": 10 × 10 × 10 × 10 = 10,000 letters from one reference.
    doctype = (
        '<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
    )
    strings = (
        f'<?xml version="1.0" encoding="UTF-8"?>{doctype}'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&d;</t></si></sst>'
    )
    path = package(
        tmp_path / "laughs.xlsx", sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'), strings=strings
    )

    message, _peak = refusal(path)

    assert message == "文件不是有效的Excel（.xlsx）文件"


def test_within_the_limits_a_sparse_sheet_is_read_as_written(tmp_path, limits):
    limits.IMPORT_MAX_ROWS = 4
    limits.IMPORT_MAX_COLUMNS = 3
    limits.IMPORT_MAX_CELLS = 12
    # A header of two titles, a blank row, and a value in C4: the table is 4 rows × 3 columns.
    rows = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="B1" t="inlineStr"><is><t>b</t></is></c></row>'
        '<row r="4"><c r="C4"><v>7</v></c></row>'
    )
    table = read_table(package(tmp_path / "sparse.xlsx", sheet(rows)))

    assert table.headers == ["a", "b", ""]
    assert table.rows == [(None, None, None), (None, None, None), (None, None, 7)]


def test_formatted_blank_cells_beyond_the_cell_limit_are_refused(tmp_path, limits):
    limits.IMPORT_MAX_CELLS = 1_000
    # 1,001 cells without a value (Excel writes them for formatted cells) in row 2.
    path = package(tmp_path / "blank.xlsx", sheet([HEADER_CELL, "<row>", "<c/>" * 1_001, "</row>"]))

    message, _peak = refusal(path)

    assert message == "文件中设置了格式的空单元格超过1,000个（到第2行为止），请清除多余单元格的格式"


def test_formatted_blank_rows_beyond_the_row_limit_are_refused(tmp_path, limits):
    limits.IMPORT_MAX_ROWS = 1_000
    # Rows 2 to 1,002 without a value: the 1,001st of them is row 1,002.
    path = package(tmp_path / "blank.xlsx", sheet([HEADER_CELL, "<row/>" * 1_001]))

    message, _peak = refusal(path)

    assert message == "文件中设置了格式的空行超过1,000行（到第1,002行为止），请删除多余的行"
