"""Builders of .xlsx packages part by part, with zipfile, for files no spreadsheet program writes:
broken XML, hostile sizes. A few kilobytes each, however large a sheet they claim."""

import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml"
SHEET_PART = "xl/worksheets/sheet1.xml"
STRINGS_PART = "xl/sharedStrings.xml"


def content_types(shared_strings=True):
    strings = (
        f'<Override PartName="/{STRINGS_PART}" ContentType="{SPREADSHEET}.sharedStrings+xml"/>'
        if shared_strings
        else ""
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{SPREADSHEET}.sheet.main+xml"/>'
        f'<Override PartName="/{SHEET_PART}" ContentType="{SPREADSHEET}.worksheet+xml"/>'
        f"{strings}</Types>"
    )


ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}">'
    f'<Relationship Id="rId1" Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{OFFICE}">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}">'
    f'<Relationship Id="rId1" Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{OFFICE}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)


def sheet(rows_xml):
    """A worksheet part around `rows_xml` (the <row> elements, as one string or an iterable of strings)."""
    rows = [rows_xml] if isinstance(rows_xml, str) else rows_xml
    yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'
    yield from rows
    yield "</sheetData></worksheet>"


def shared_strings(texts):
    yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'
    yield from (f"<si><t>{text}</t></si>" for text in texts)
    yield "</sst>"


def package(path, sheet_xml, *, strings=None, workbook=WORKBOOK, workbook_rels=WORKBOOK_RELS, more=None):
    """Write an .xlsx file of one worksheet. Parts are given as strings or iterables of strings
    (streamed into the archive, so that a part of millions of rows costs no memory here);
    `strings` is the shared string table part, if any; `more` maps further part names to parts."""
    parts = {
        "[Content_Types].xml": content_types(shared_strings=strings is not None),
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": workbook,
        "xl/_rels/workbook.xml.rels": workbook_rels,
        SHEET_PART: sheet_xml,
        **(more or {}),
    }
    if strings is not None:
        parts[STRINGS_PART] = strings
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in parts.items():
            with archive.open(name, "w", force_zip64=True) as member:
                for piece in [content] if isinstance(content, str) else content:
                    member.write(piece.encode())
    return path
