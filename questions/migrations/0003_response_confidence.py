from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0002_attempt_retry_of_flagged"),
    ]

    operations = [
        migrations.AddField(
            model_name="response",
            name="confidence",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
    ]
