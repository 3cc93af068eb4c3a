"""CanvassTeam moves to the canvass app (issue #15). Only Django's picture of
the models changes here: the tables signups_canvassteam, _members and _blocks
stay with every row, and canvass/0001 takes them over under the same names."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('signups', '0008_message_kinds'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='CanvassTeam')],
            database_operations=[],
        ),
    ]
