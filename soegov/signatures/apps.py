from django.apps import AppConfig


class SignaturesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "soegov.signatures"
    label = "signatures"
    verbose_name = "电子签名"
