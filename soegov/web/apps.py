"""The project package as an app, so its templates, static files and commands are found."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "soegov.web"
    label = "web"
    verbose_name = "soegov"

    def ready(self) -> None:
        from soegov.web import deploy_checks

        deploy_checks.register()
