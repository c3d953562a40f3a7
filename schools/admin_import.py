"""The admin's import reads files as the import commands do, records every attempt as the commands
do, and its export writes files safely (see schools.importing.formats)."""

import hashlib

from import_export.results import RowResult

from schools.importing.formats import ImportFileError, TableCSV, TableXLSX
from schools.importing.services import import_batch_record
from schools.models import ImportBatch


class TableImportMixin:
    """For ImportExportModelAdmin: Excel and CSV read by the commands' reader, and its messages;
    exported with formula-like text escaped, so that an export imports again unchanged.

    Each upload (refused, or previewed) and each confirmed import is an ImportBatch of
    `import_batch_kind`; a confirmed one is also one entry in the admin's log. (The library's own
    log, one entry per row, is off: IMPORT_EXPORT_SKIP_ADMIN_LOG.)
    """

    import_template_name = "admin/table_import.html"
    import_batch_kind = ""

    def get_import_formats(self):
        return [TableCSV, TableXLSX]

    def get_export_formats(self):
        return [TableXLSX, TableCSV]

    def add_data_read_fail_error_to_form(self, form, error):
        if isinstance(error, ImportFileError):
            form.add_error("import_file", str(error))
        else:
            super().add_data_read_fail_error_to_form(form, error)

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        upload = request.FILES.get("import_file")
        # Without a confirm step, process_dataset() records the import.
        if request.method == "POST" and upload is not None and not self.is_skip_import_confirm_enabled():
            form = response.context_data["form"]
            # A file refused by its name or size is refused unread: no digest.
            read = "import_file" in getattr(form, "cleaned_data", {})
            self._record(
                request,
                file_name=upload.name,
                sha256=_digest(upload.chunks()) if read else "",
                result=response.context_data.get("result"),
                form_problems=sum(len(errors) for errors in form.errors.values()),
                dry_run=True,
            )
        return response

    def process_dataset(self, dataset, form, request, **kwargs):
        file_name = kwargs.get("file_name") or form.cleaned_data.get("original_file_name") or ""
        result = super().process_dataset(dataset, form, request, **kwargs)
        self._record(request, file_name=file_name, sha256=self._stored_digest(form), result=result)
        return result

    def _stored_digest(self, form):
        """The digest of the file imported: uploaded just now (no confirm step), or read back from
        the temporary storage by the confirm step."""
        if form.cleaned_data.get("import_file"):
            return _digest(form.cleaned_data["import_file"].chunks())
        name = form.cleaned_data.get("import_file_name")
        if not name:
            return ""
        storage = self.get_tmp_storage_class()(
            name=name, encoding=None, read_mode="rb", **self.get_tmp_storage_class_kwargs()
        )
        return _digest([storage.read()])

    def _record(self, request, *, file_name, sha256, result, form_problems=0, dry_run=False):
        counts = _counts(result) if result is not None else {"problems": form_problems or 1}
        if counts["problems"]:
            outcome = ImportBatch.Outcome.REFUSED
            counts = {"problems": counts["problems"]}  # nothing was written
        else:
            outcome = ImportBatch.Outcome.DRY_RUN if dry_run else ImportBatch.Outcome.APPLIED
        import_batch_record(
            kind=self.import_batch_kind,
            file_name=file_name,
            sha256=sha256,
            user=request.user,
            outcome=outcome,
            logged_model=self.model,
            **counts,
        )


def _digest(chunks):
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


def _counts(result):
    """created / updated / unchanged / problems of an import result of a planned resource: a row
    left unchanged is skipped with its object, a blank row is skipped without one."""
    problems = sum(len(getattr(error.error, "problems", None) or [error]) for error in result.base_errors)
    problems += sum(row.error_count for row in result.invalid_rows)
    problems += sum(len(errors) for _number, errors in result.row_errors())
    return {
        "created": result.totals[RowResult.IMPORT_TYPE_NEW],
        "updated": result.totals[RowResult.IMPORT_TYPE_UPDATE],
        "unchanged": sum(
            1
            for row in result.rows
            if row.import_type == RowResult.IMPORT_TYPE_SKIP and row.object_id is not None
        ),
        "problems": problems,
    }
