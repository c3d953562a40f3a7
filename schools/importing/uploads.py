"""Files uploaded through the web (the admin's import, a school's own report): the checks made
before a file is read, and a path to read it from."""

import math
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export.forms import ImportForm

from schools.importing.outcome import FileRejected
from schools.importing.readers import check_type

MEGABYTE = 1024 * 1024


def validate_upload(upload):
    """ValidationError unless `upload` is named .xlsx or .csv and is at most settings.IMPORT_MAX_BYTES.

    Only the name and the size are looked at, so that an oversized file is refused unread.
    """
    try:
        check_type(upload.name)
    except FileRejected as rejected:
        raise ValidationError(rejected.message, code="file_type") from None
    if upload.size > settings.IMPORT_MAX_BYTES:
        raise ValidationError(
            _("文件过大（%(size)s MB）：上传的文件不能超过%(limit)s MB")
            # Rounded up, so that a file just over the limit never reads as equal to it.
            % {"size": _shown(math.ceil(upload.size * 100 / MEGABYTE) / 100), "limit": limit_in_megabytes()},
            code="file_size",
        )


def limit_in_megabytes():
    """settings.IMPORT_MAX_BYTES in MB, as a message shows it ("10", "0.5")."""
    return _shown(round(settings.IMPORT_MAX_BYTES / MEGABYTE, 2))


def _shown(megabytes):
    return f"{megabytes:.2f}".rstrip("0").rstrip(".")


class ImportUploadForm(ImportForm):
    """The admin's import form (`import_form_class`): the file is checked before the admin reads it."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.formats = formats
        self.fields["import_file"].help_text = _(".xlsx或.csv文件，不超过%(limit)s MB") % {
            "limit": limit_in_megabytes()
        }
        # The file's name says how to read it: a format chosen otherwise would only misread it.
        self.fields["format"].required = False

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        validate_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        if upload is not None:
            suffix = Path(upload.name).suffix.lower().lstrip(".")
            found = [
                str(i)
                for i, format_class in enumerate(self.formats)
                if format_class().get_extension() == suffix
            ]
            if found:
                cleaned["format"] = found[0]
        return cleaned


@contextmanager
def saved_upload(upload):
    """The uploaded file as a path for read_table: a temporary copy with the upload's suffix."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{Path(upload.name).suffix.lower()}"
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        yield path
