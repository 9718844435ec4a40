from django.apps import AppConfig


class CollectorConfig(AppConfig):
    name = "soegov.collector"
    label = "collector"
    verbose_name = "数据报送通道（企业 → 国资委采集端）"

    def ready(self) -> None:
        # Registers the start-up checks of the reporting settings.
        from soegov.collector import checks  # noqa: F401
