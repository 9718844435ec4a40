"""App configuration: connects the login signals to the audit trail."""

from django.apps import AppConfig


class Config(AppConfig):
    name = "soegov.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from soegov.audit import signals  # noqa: F401
