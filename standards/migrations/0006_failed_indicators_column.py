"""A summary names its failed indicators in a text column; the failed-item rows go.

Writing a row per failed item cost more than the whole evaluation (20,000 summaries had 91,000);
`failed_indicators` (",3,7,") is what SQL filters on instead, and `items` keeps every item's
figures. The summary's report and standard lose their own indexes: the unique (report, standard,
part) and the (standard, failed count) indexes begin with them.

Forward: each summary's failed ids are read from its `items`. Backward: the rows are rebuilt
from `items`, one per failed item.
"""

import django.db.models.deletion
from django.db import migrations, models

from standards.calc.codec import decode_items, failed_text

BATCH = 2000


def _summaries(apps):
    Summary = apps.get_model("standards", "ComplianceSummary")
    ids = list(Summary.objects.exclude(failed_count=0).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        yield Summary, Summary.objects.filter(pk__in=ids[start : start + BATCH]).values_list("pk", "items")


def failed_to_column(apps, schema_editor):
    for Summary, rows in _summaries(apps):
        changed = []
        for pk, items in rows:
            failed = [item.indicator_id for item in decode_items(items) if item.passed is False]
            changed.append(Summary(pk=pk, failed_indicators=failed_text(failed)))
        Summary.objects.bulk_update(changed, ["failed_indicators"], batch_size=BATCH)


def column_to_rows(apps, schema_editor):
    Result = apps.get_model("standards", "ComplianceResult")
    for _Summary, rows in _summaries(apps):
        Result.objects.bulk_create(
            [
                Result(
                    summary_id=pk,
                    indicator_id=item.indicator_id,
                    value=item.value,
                    threshold=item.threshold,
                    percent=item.percent,
                    shortfall=item.shortfall,
                )
                for pk, items in rows
                for item in decode_items(items)
                if item.passed is False
            ],
            batch_size=BATCH,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("schools", "0009_scope_and_account_history"),
        ("standards", "0005_values_fingerprint_number"),
    ]

    operations = [
        migrations.AddField(
            model_name="compliancesummary",
            name="failed_indicators",
            field=models.TextField(
                blank=True, default="", help_text="未达标指标的编号，形如“,3,7,”", verbose_name="未达标指标"
            ),
        ),
        # Backward, this runs once the rows' table is back.
        migrations.RunPython(failed_to_column, column_to_rows),
        migrations.AlterField(
            model_name="compliancesummary",
            name="report",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="compliance",
                to="schools.annualreport",
                verbose_name="年报",
            ),
        ),
        migrations.AlterField(
            model_name="compliancesummary",
            name="standard",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="summaries",
                to="standards.standard",
                verbose_name="标准",
            ),
        ),
        migrations.DeleteModel(name="ComplianceResult"),
    ]
