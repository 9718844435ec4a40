"""URLs of the registry pages."""

from django.urls import path

from soegov.enterprises import views

app_name = "enterprises"
urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
    path("<int:pk>/bodies/new/", views.body_create, name="body_create"),
    path("bodies/", views.body_list, name="bodies"),
    path("bodies/<int:pk>/", views.body_detail, name="body"),
    path("members/<int:pk>/", views.member_edit, name="member"),
    path("export/enterprises.xlsx", views.export_enterprises, name="export_enterprises"),
    path("export/members.xlsx", views.export_members, name="export_members"),
    path("import/<str:what>/", views.import_view, name="import"),
]
