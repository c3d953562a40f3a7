# The values fingerprint becomes a 64-bit number computed in arrays (standards.calc.fingerprint).
# The old hex digests cannot be converted: the column is replaced, every stored fingerprint reads
# 0 ("nothing stored"), and the next evaluation of each standard rewrites its results once.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("standards", "0004_compliance_items_json"),
    ]

    operations = [
        migrations.RemoveField(model_name="compliancesummary", name="values_fingerprint"),
        migrations.AddField(
            model_name="compliancesummary",
            name="values_fingerprint",
            field=models.BigIntegerField(default=0),
        ),
    ]
