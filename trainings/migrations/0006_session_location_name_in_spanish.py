from django.db import migrations, models


class Migration(migrations.Migration):
    """The place's name in both languages, like the other bilingual texts:
    the English one keeps what was stored."""

    dependencies = [
        ("trainings", "0005_attendance_details_shredded"),
    ]

    operations = [
        migrations.RenameField(model_name="session", old_name="location_name", new_name="location_name_en"),
        migrations.AlterField(
            model_name="session",
            name="location_name_en",
            field=models.CharField(
                help_text="Shown publicly, e.g. the name of a church hall.", max_length=200,
                verbose_name="place (English)",
            ),
        ),
        migrations.AddField(
            model_name="session",
            name="location_name_es",
            field=models.CharField(
                blank=True, help_text="Leave empty to show the English name.", max_length=200,
                verbose_name="place (Spanish)",
            ),
        ),
    ]
