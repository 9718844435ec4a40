"""App configuration."""

from django.apps import AppConfig


class Config(AppConfig):
    name = "soegov.advisor"
    label = "advisor"
    default_auto_field = "django.db.models.BigAutoField"
