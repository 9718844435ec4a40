"""URLs of the oversight pages."""

app_name = "oversight"
urlpatterns: list = []
