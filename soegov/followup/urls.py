"""URLs of the followup pages."""

app_name = "followup"
urlpatterns: list = []
