"""CanvassTeam, taken over from signups with its tables and rows (see
signups/0009). The content type follows, so the permissions organizers were
given on canvass teams, and the audit entries naming them, carry over."""

import django.db.models.deletion
from django.db import migrations, models


def content_type_follows(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if ContentType.objects.using(db).filter(app_label="canvass", model="canvassteam").exists():
        return
    ContentType.objects.using(db).filter(app_label="signups", model="canvassteam").update(app_label="canvass")


def content_type_goes_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    ContentType.objects.using(db).filter(app_label="canvass", model="canvassteam").update(app_label="signups")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('signups', '0009_canvassteam_moves_to_canvass'),
        ('zones', '0003_unaccent'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CanvassTeam',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, verbose_name='team name')),
                        ('day', models.CharField(choices=[('saturday', 'Saturday'), ('sunday', 'Sunday')], max_length=10, verbose_name='day')),
                        ('notes', models.TextField(blank=True, verbose_name='organizer notes')),
                        ('blocks', models.ManyToManyField(blank=True, related_name='canvass_teams', to='zones.block', verbose_name='blocks')),
                        ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='canvass_teams', to='signups.campaign', verbose_name='campaign')),
                        ('members', models.ManyToManyField(blank=True, related_name='canvass_teams', to='signups.volunteer', verbose_name='members')),
                        ('zone', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='canvass_teams', to='zones.zone', verbose_name='zone')),
                    ],
                    options={
                        'verbose_name': 'canvass team',
                        'verbose_name_plural': 'canvass teams',
                        'db_table': 'signups_canvassteam',
                        'ordering': ['campaign', 'day', 'name'],
                        'constraints': [models.UniqueConstraint(fields=('campaign', 'day', 'name'), name='canvass_team_unique_name_per_day')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_follows, content_type_goes_back, elidable=False),
    ]
