"""The admin's import reads files as the import commands do, and its export writes them safely
(see schools.importing.formats)."""

from schools.importing.formats import ImportFileError, TableCSV, TableXLSX


class TableImportMixin:
    """For ImportExportModelAdmin: Excel and CSV read by the commands' reader, and its messages;
    exported with formula-like text escaped, so that an export imports again unchanged."""

    import_template_name = "admin/table_import.html"

    def get_import_formats(self):
        return [TableCSV, TableXLSX]

    def get_export_formats(self):
        return [TableXLSX, TableCSV]

    def add_data_read_fail_error_to_form(self, form, error):
        if isinstance(error, ImportFileError):
            form.add_error("import_file", str(error))
        else:
            super().add_data_read_fail_error_to_form(form, error)
