"""A summary keeps all its items as JSON; ComplianceResult keeps only the failed ones.

Forward: every summary's item rows become its `items` list (in the indicators' order), then the
rows of items that did not fail are deleted. Backward: the rows are rebuilt from `items`, every
item again, with its `passed`.
"""

import django.db.models.deletion
from django.db import migrations, models

from standards.calc.codec import decode_items, encode_item

BATCH = 2000


def _batches(ids):
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def items_to_json(apps, schema_editor):
    Summary = apps.get_model("standards", "ComplianceSummary")
    Result = apps.get_model("standards", "ComplianceResult")
    ids = list(Summary.objects.order_by("pk").values_list("pk", flat=True))
    for batch in _batches(ids):
        items = {pk: [] for pk in batch}
        rows = (
            Result.objects.filter(summary_id__in=batch)
            .order_by("summary_id", "indicator__order", "indicator__code")
            .values_list("summary_id", "indicator_id", "value", "threshold", "passed", "percent", "shortfall")
        )
        for summary_id, *item in rows:
            items[summary_id].append(encode_item(*item))
        Summary.objects.bulk_update(
            [Summary(pk=pk, items=found) for pk, found in items.items()], ["items"], batch_size=BATCH
        )
    Result.objects.exclude(passed=False).delete()


def json_to_items(apps, schema_editor):
    Summary = apps.get_model("standards", "ComplianceSummary")
    Result = apps.get_model("standards", "ComplianceResult")
    Result.objects.all().delete()
    ids = list(Summary.objects.order_by("pk").values_list("pk", flat=True))
    for batch in _batches(ids):
        rows = [
            Result(
                summary_id=pk,
                indicator_id=item.indicator_id,
                value=item.value,
                threshold=item.threshold,
                passed=item.passed,
                percent=item.percent,
                shortfall=item.shortfall,
            )
            for pk, items in Summary.objects.filter(pk__in=batch).values_list("pk", "items")
            for item in decode_items(items)
        ]
        Result.objects.bulk_create(rows, batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("standards", "0003_threshold_blank_choice_labels"),
    ]

    # The reverse relation is renamed first: its old name, "items", is the new field's.
    operations = [
        migrations.AlterField(
            model_name="complianceresult",
            name="summary",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="failed_items",
                to="standards.compliancesummary",
                verbose_name="达标结果",
            ),
        ),
        migrations.AddField(
            model_name="compliancesummary",
            name="items",
            field=models.JSONField(default=list, verbose_name="各指标结果"),
        ),
        migrations.RunPython(items_to_json, json_to_items),
        migrations.RemoveField(
            model_name="complianceresult",
            name="passed",
        ),
        migrations.AlterModelOptions(
            name="complianceresult",
            options={
                "ordering": ["summary", "indicator__order"],
                "verbose_name": "未达标指标",
                "verbose_name_plural": "未达标指标",
            },
        ),
    ]
