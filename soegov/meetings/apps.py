from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "soegov.meetings"
    label = "meetings"
    verbose_name = "三重一大集体决策"
