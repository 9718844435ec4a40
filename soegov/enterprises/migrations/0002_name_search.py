"""Keyword search over enterprise names (lists of matters, findings, cases … search by enterprise name)."""

from django.db import migrations

from soegov.core.trigram import TrigramIndexes


class Migration(migrations.Migration):

    dependencies = [
        ("enterprises", "0001_initial"),
    ]

    operations = [
        TrigramIndexes(model_name="enterprise", columns=["name"]),
    ]
