from django.apps import AppConfig


class MattersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "soegov.matters"
    label = "matters"
    verbose_name = "重大事项报告"
