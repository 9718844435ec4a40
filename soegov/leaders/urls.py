"""URLs of the leaders pages."""

app_name = "leaders"
urlpatterns: list = []
