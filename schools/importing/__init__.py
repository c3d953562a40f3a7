"""Importing the school registry and the annual reports from Excel (.xlsx) and CSV files.

readers, xlsx   file → Table: the header row and the data rows as written
limits          how large a file may be once read (settings IMPORT_MAX_*), checked while reading
columns, cells  the columns a file may have; one cell → one value, within plausible limits
*_plan          Table → Plan: every problem, and the instance each row becomes, before any write
resources       django-import-export resources (admin and commands) that write a plan, all or nothing
writing         the bulk writes; outcome: Problem ("row N, column X: message") and ImportOutcome
services        schools_import(), reports_import(): what the management commands call
formats         the admin's import formats, reading through read_table
uploads         web uploads: the type and size checks before a file is read, and a path to read it from
clerk           one school's own report from its uploaded file, checked as the import checks, unwritten
"""
