from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0003_questionset_owner_editors"),
    ]

    operations = [
        migrations.AddField(
            model_name="response",
            name="confidence",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
    ]
