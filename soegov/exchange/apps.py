from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "soegov.exchange"
    label = "exchange"
    verbose_name = "三重一大数据报送（0004/0005/0006 数据包）"
