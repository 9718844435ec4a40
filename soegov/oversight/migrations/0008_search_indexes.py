"""Global search (soegov.search) finds these by any words: pg_trgm indexes on PostgreSQL, as for the lists."""

from django.db import migrations

from soegov.core.trigram import TrigramIndexes


class Migration(migrations.Migration):

    dependencies = [
        ("oversight", "0007_list_indexes"),
    ]

    operations = [
        TrigramIndexes(model_name="finding", columns=["message", "citation"]),
    ]
