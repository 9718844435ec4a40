"""App configuration: connects the login signals to the audit trail and registers its start-up checks."""

from django.apps import AppConfig


class Config(AppConfig):
    name = "soegov.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from soegov.audit import checks, signals  # noqa: F401
        from soegov.web.deploy_checks import TAG

        checks.register(TAG)
