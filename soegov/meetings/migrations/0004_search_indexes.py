"""Global search (soegov.search) finds these by any words: pg_trgm indexes on PostgreSQL, as for the lists."""

from django.db import migrations

from soegov.core.trigram import TrigramIndexes


class Migration(migrations.Migration):

    dependencies = [
        ("meetings", "0003_attendance_opinions"),
    ]

    operations = [
        TrigramIndexes(model_name="meeting", columns=["title"]),
        TrigramIndexes(model_name="topic", columns=["title"]),
        TrigramIndexes(model_name="agendaitem", columns=["conclusion"]),
    ]
