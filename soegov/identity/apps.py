"""App configuration: registers the start-up checks of the SSO settings."""

from django.apps import AppConfig


class Config(AppConfig):
    name = "soegov.identity"
    label = "identity"
    verbose_name = "统一身份认证"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from soegov.identity import checks  # noqa: F401
