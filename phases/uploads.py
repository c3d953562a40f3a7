"""Checks on an uploaded evidence file or attachment before anything is stored: its type is read
from its content (never its name), its size is limited, its name is made safe to show and to
offer for download."""

import re
import struct
import unicodedata
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# (content type, extension, what the page calls it) for each accepted kind of file.
JPEG = ("image/jpeg", "jpg")
PNG = ("image/png", "png")
GIF = ("image/gif", "gif")
WEBP = ("image/webp", "webp")
PDF = ("application/pdf", "pdf")
DOCX = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
XLSX = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
PPTX = ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx")
DOC = ("application/msword", "doc")
XLS = ("application/vnd.ms-excel", "xls")
PPT = ("application/vnd.ms-powerpoint", "ppt")
# The content types a stored file may be served as (anything else goes out as octet-stream).
KINDS = (JPEG, PNG, GIF, WEBP, PDF, DOCX, XLSX, PPTX, DOC, XLS, PPT)
CONTENT_TYPES = frozenset(content_type for content_type, _extension in KINDS)
TYPE_BY_EXTENSION = {extension: content_type for content_type, extension in KINDS}

OLE_BY_EXTENSION = {"doc": DOC, "xls": XLS, "ppt": PPT}
OOXML_PARTS = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX), ("ppt/presentation.xml", PPTX))
# A zip's directory is read, never its content; more entries than this is not an Office file.
ZIP_MAX_ENTRIES = 10_000
# The end-of-directory record is 22 bytes and a comment of at most 65,535 follows it.
EOCD_MAX = 22 + 65_535
NAME_MAX = 100


def _zip_directory_small(upload):
    """Whether the zip's end record claims at most ZIP_MAX_ENTRIES entries: checked before the
    directory is parsed, so that a small file claiming millions of entries costs no memory. A
    zip64 archive (its count in another record) is not an Office document's size: refused."""
    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(max(0, size - EOCD_MAX))
    tail = upload.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 12:
        return False
    (entries,) = struct.unpack("<H", tail[at + 10 : at + 12])
    return entries <= ZIP_MAX_ENTRIES


def _sniff(head, upload, extension):
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE_BY_EXTENSION.get(extension, DOC)
    if head.startswith(b"PK\x03\x04"):
        if not _zip_directory_small(upload):
            return None
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:
                infos = archive.infolist()
                if len(infos) > ZIP_MAX_ENTRIES:
                    return None
                names = {info.filename for info in infos}
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        if "[Content_Types].xml" in names:
            for part, kind in OOXML_PARTS:
                if part in names:
                    return kind
    return None


def safe_name(name, extension):
    """A display name for an uploaded file: no folders, no control or markup characters, at most
    NAME_MAX characters, ending in the extension of the type found in its content."""
    name = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = "".join(ch for ch in stem if unicodedata.category(ch)[0] in "LN" or ch in " -_()（）")
    stem = re.sub(r"\s+", " ", stem).strip(" .") or _("文件")
    return f"{stem[: NAME_MAX - len(extension) - 1]}.{extension}"


def validate_upload(upload):
    """(safe name, content type, size) of an uploaded file, or a ValidationError in Chinese naming
    the file and what is wrong with it. Accepted: JPEG, PNG, GIF and WebP images, PDF, and Word,
    Excel and PowerPoint documents; at most settings.UPLOAD_MAX_BYTES."""
    display = safe_name(getattr(upload, "name", ""), "")[:-1] or _("文件")
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("“%(name)s”是空文件。") % {"name": display})
    if size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("“%(name)s”有 %(size)s，超过上限 %(limit)s。")
            % {
                "name": display,
                "size": filesizeformat(size),
                "limit": filesizeformat(settings.UPLOAD_MAX_BYTES),
            }
        )
    name = getattr(upload, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    upload.seek(0)
    head = upload.read(16)
    kind = _sniff(head, upload, extension)
    upload.seek(0)
    if kind is None:
        raise ValidationError(
            _(
                "“%(name)s”不是可接受的文件类型：只接受图片（JPEG、PNG、GIF、WebP）、PDF 和 Word、Excel、PowerPoint 文档。"
            )
            % {"name": display}
        )
    content_type, ext = kind
    return safe_name(name, ext), content_type, size
