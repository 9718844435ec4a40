"""URLs of the leaders pages."""

from django.urls import path

from soegov.leaders import views

app_name = "leaders"
urlpatterns = [
    path("", views.index, name="index"),
    path("enterprise/<int:pk>/", views.enterprise, name="enterprise"),
    path("enterprise/<int:pk>/act/<str:action>/", views.enterprise_act, name="enterprise_act"),
    path("appointments/<int:pk>/", views.appointment, name="appointment"),
    path("appointments/<int:pk>/act/<str:action>/", views.appointment_act, name="appointment_act"),
    path("recruitments/<int:pk>/close/", views.recruitment_close, name="recruitment_close"),
    path("<int:pk>/", views.leader, name="leader"),
    path("<int:pk>/act/<str:action>/", views.leader_act, name="leader_act"),
    path("pay-ledger.xlsx", views.pay_ledger, name="pay_ledger"),
    path("documents/<int:pk>/", views.document_download, name="document"),
]
