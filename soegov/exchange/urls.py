"""URLs of the exchange pages."""

app_name = "exchange"
urlpatterns: list = []
