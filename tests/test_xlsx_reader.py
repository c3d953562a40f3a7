"""The .xlsx reader reads what Excel, WPS and openpyxl write: the sheet Excel opens on, cached
values of formulas, rich and phonetic text, booleans and error values."""

import pytest

from schools.importing.cells import FORMULA_WITHOUT_VALUE
from schools.importing.readers import read_table
from tests.xlsx_parts import MAIN, OFFICE, PACKAGE, package, sheet

RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}">'
    f'<Relationship Id="rId1" Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{OFFICE}/chartsheet" Target="chartsheets/sheet1.xml"/>'
    # An absolute target, as some writers give it.
    f'<Relationship Id="rId3" Type="{OFFICE}/worksheet" Target="/xl/worksheets/sheet2.xml"/>'
    f'<Relationship Id="rId4" Type="{OFFICE}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
CHART = f'<?xml version="1.0" encoding="UTF-8"?><chartsheet xmlns="{MAIN}"/>'


def workbook(active):
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{OFFICE}">'
        f'<bookViews><workbookView activeTab="{active}"/></bookViews><sheets>'
        '<sheet name="一" sheetId="1" r:id="rId1"/><sheet name="图" sheetId="2" r:id="rId2"/>'
        '<sheet name="二" sheetId="3" r:id="rId3"/></sheets></workbook>'
    )


def titled(title):
    return "".join(sheet(f'<row r="1"><c r="A1" t="inlineStr"><is><t>{title}</t></is></c></row>'))


@pytest.mark.parametrize(("active", "title"), [(0, "第一张"), (2, "第二张"), (1, "第一张"), (7, "第一张")])
def test_the_active_worksheet_is_read_else_the_first(tmp_path, active, title):
    # Tab 1 is a chart and tab 7 does not exist: the first worksheet is read instead.
    more = {"xl/worksheets/sheet2.xml": titled("第二张"), "xl/chartsheets/sheet1.xml": CHART}
    path = package(
        tmp_path / "book.xlsx", titled("第一张"), workbook=workbook(active), workbook_rels=RELS, more=more
    )

    assert read_table(path).headers == [title]


def test_values_as_excel_stores_them(tmp_path):
    strings = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'
        "<si><t>学校标识码</t></si>"
        # Rich text: runs joined; a phonetic guide (furigana) is not part of the text.
        '<si><r><t>柳市</t></r><r><rPr><b/></rPr><t xml:space="preserve">一小 </t></r>'
        '<rPh sb="0" eb="2"><t>りゅうし</t></rPh></si></sst>'
    )
    header = "".join(f'<c r="{column}1" t="inlineStr"><is><t>{column}</t></is></c>' for column in "ABCDEFGHI")
    cells = (
        f'<row r="1">{header}</row>'
        '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c><c r="C2" t="b"><v>1</v></c>'
        '<c r="D2" t="e"><v>#DIV/0!</v></c><c r="E2"><f>1/0</f><v/></c><c r="F2" t="str"><f>A1</f><v>x</v></c>'
        '<c r="G2"><v>12.5</v></c><c r="H2" t="inlineStr"><is><r><t>内</t></r><r><t>联</t></r></is></c>'
        # A cell without a reference follows the one before it.
        "<c><v>7</v></c></row>"
        '<row r="3"><c r="A3" t="b"><v>0</v></c><c r="B3" t="inlineStr"><is><t></t></is></c><c r="C3"><v>3</v></c></row>'
    )
    table = read_table(package(tmp_path / "values.xlsx", sheet(cells), strings=strings))

    assert table.headers == list("ABCDEFGHI")
    assert table.rows == [
        ("学校标识码", "柳市一小 ", True, "#DIV/0!", FORMULA_WITHOUT_VALUE, "x", 12.5, "内联", 7),
        (False, None, 3, None, None, None, None, None, None),
    ]


def test_a_formula_without_a_value_is_flagged(tmp_path):
    cells = '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row><row r="2"><c r="A2"><f>1+1</f></c></row>'

    table = read_table(package(tmp_path / "formula.xlsx", sheet(cells)))

    assert table.rows == [(FORMULA_WITHOUT_VALUE,)]
