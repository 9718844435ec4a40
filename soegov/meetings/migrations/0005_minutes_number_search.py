"""Global search finds a meeting by its minutes' number (纪要编号): a pg_trgm index on PostgreSQL, as for the lists."""

from django.db import migrations

from soegov.core.trigram import TrigramIndexes


class Migration(migrations.Migration):

    dependencies = [
        ("meetings", "0004_search_indexes"),
    ]

    operations = [
        TrigramIndexes(model_name="minutes", columns=["doc_number"]),
    ]
