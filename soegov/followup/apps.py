from django.apps import AppConfig


class FollowupConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "soegov.followup"
    label = "followup"
    verbose_name = "决策执行督办与紧急决策追认"
