from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "soegov.notices"
    label = "notices"
    verbose_name = "消息通知"

    def ready(self) -> None:
        # Registers the start-up checks of the channels' settings.
        from soegov.notices import checks  # noqa: F401
