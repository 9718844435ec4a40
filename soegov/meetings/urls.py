"""URLs of the meetings pages."""

app_name = "meetings"
urlpatterns: list = []
