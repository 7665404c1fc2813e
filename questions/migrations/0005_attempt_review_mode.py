import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("questions", "0004_response_confidence"),
    ]

    operations = [
        migrations.AlterField(
            model_name="attempt",
            name="mode",
            field=models.CharField(
                choices=[("practice", "Practice"), ("exam", "Exam"), ("review", "Review")],
                default="practice",
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="attempt",
            name="question_set",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="attempts",
                to="questions.questionset",
            ),
        ),
    ]
