"""The annual report's import: a django-import-export resource planned over the whole file, shared
by the admin's import and `import_reports`. Reports are written as approved figures, each with an
"imported" event (old → new values), and evaluated in the same transaction."""

from import_export import fields, widgets

from phases.services import gaps_reconcile_reports
from reporting.importing.plan import plan_reports, report_layout
from reporting.models import ReportEvent
from schools import fields as report_fields
from schools.importing.resources import PlannedResource, yes_no
from schools.importing.writing import create_rows, update_rows
from schools.models import AnnualReport, School
from standards.services import compliance_recompute

WRITTEN_FIELDS = (*report_fields.REPORT_KEYS, "status", "revision", "updated_at")


def _reports_write(*, creates, updates, batch_size):
    create_rows(AnnualReport, creates, batch_size)
    update_rows(updates, WRITTEN_FIELDS)


def _reports_history(*, entries, user, source):
    """One "imported" event per report created or changed, with its old → new values."""
    ReportEvent.objects.bulk_create(
        [
            ReportEvent(
                report_id=entry.instance.pk,
                action=ReportEvent.Action.IMPORTED,
                user=user,
                to_status=AnnualReport.Status.APPROVED,
                reason=source,
                changes=entry.changes,
            )
            for entry in entries
            if entry.changed
        ],
        batch_size=1000,
    )


class AnnualReportResource(PlannedResource):
    scope_column = "school_code"

    @staticmethod
    def school_of(instance):
        return instance.school

    """Imports reports as approved; `year` applies to a file without a year column."""

    school = fields.Field(
        attribute="school", column_name="school_code", widget=widgets.ForeignKeyWidget(School, "code")
    )
    name = fields.Field(attribute="school__name", column_name="name", readonly=True)

    class Meta:
        model = AnnualReport
        fields = ("school", "name", "year", *report_fields.REPORT_KEYS)
        import_id_fields = ("school", "year")
        use_bulk = True
        skip_diff = True
        batch_size = 1000
        clean_model_instances = False

    def __init__(self, *, year=None, evaluate=True, **kwargs):
        """`evaluate=False` leaves the compliance of the written reports to the caller (the benchmark
        times the import and the evaluation apart)."""
        super().__init__(**kwargs)
        self.year = year
        self.evaluate = evaluate

    def make_plan(self, table):
        return plan_reports(table, year=self.year)

    def layout(self):
        return report_layout()

    def write(self, creates, updates):
        _reports_write(creates=creates, updates=updates, batch_size=self._meta.batch_size)
        _reports_history(entries=self.plan.entries.values(), user=self.user, source=self.source)
        # In the same transaction, whoever imports (the admin, import_reports): stored compliance
        # never disagrees with the imported figures, and a failed recompute undoes the import.
        written = [entry.instance.pk for entry in self.plan.entries.values() if entry.changed]
        if written and self.evaluate and not self.dry_run:
            compliance_recompute(reports=written)
            gaps_reconcile_reports(reports=written)

    def import_headers(self, dataset):
        headers = super().import_headers(dataset)
        if "year" not in self.plan.positions:
            # The library looks for every import id column in the file.
            dataset.append_col([self.year] * len(dataset), header="year")
            headers.append("year")
        return headers

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("school")

    def dehydrate_pe_hour_met(self, report):
        return yes_no(report.pe_hour_met)
