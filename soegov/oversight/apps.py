from django.apps import AppConfig


class OversightConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "soegov.oversight"
    label = "oversight"
    verbose_name = "监督检查与责任追究"
