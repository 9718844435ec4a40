"""Global search (soegov.search) finds these by any words: pg_trgm indexes on PostgreSQL, as for the lists."""

from django.db import migrations

from soegov.core.trigram import TrigramIndexes


class Migration(migrations.Migration):

    dependencies = [
        ("enterprises", "0002_name_search"),
    ]

    operations = [
        TrigramIndexes(model_name="enterprise", columns=["uscc"]),
    ]
