"""App configuration."""

from django.apps import AppConfig


class Config(AppConfig):
    name = "soegov.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the settings check (soegov.accounts.checks)."""
        from soegov.accounts import checks  # noqa: F401
