"""Global search (soegov.search) finds these by any words: pg_trgm indexes on PostgreSQL, as for the lists."""

from django.db import migrations

from soegov.core.trigram import TrigramIndexes


class Migration(migrations.Migration):

    dependencies = [
        ("leaders", "0003_personal_data_sm4"),
    ]

    operations = [
        TrigramIndexes(model_name="leader", columns=["name"]),
    ]
