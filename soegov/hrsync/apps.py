"""App configuration of the HR sync."""

from django.apps import AppConfig


class Config(AppConfig):
    name = "soegov.hrsync"
    label = "hrsync"
    verbose_name = "人事同步"
    default_auto_field = "django.db.models.BigAutoField"
