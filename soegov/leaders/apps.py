from django.apps import AppConfig


class LeadersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "soegov.leaders"
    label = "leaders"
    verbose_name = "企业领导人员管理"
