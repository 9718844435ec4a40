"""App configuration."""

from django.apps import AppConfig


class Config(AppConfig):
    name = "soegov.enterprises"
    label = "enterprises"
    default_auto_field = "django.db.models.BigAutoField"
