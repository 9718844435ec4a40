"""URLs of the oversight pages."""

from django.urls import path

from soegov.oversight import event_inspection_views, views

app_name = "oversight"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("rows/<str:kind>/", views.rows, name="rows"),
    path("ledgers/", views.ledger_list, name="ledgers"),
    path("ledgers/<int:pk>/", views.ledger_detail, name="ledger"),
    path("ledgers/<int:pk>/purposes/", views.ledger_purposes, name="ledger_purposes"),
    path("findings/<int:pk>/", views.finding_detail, name="finding"),
    path("findings/<int:pk>/dismiss/", views.finding_dismiss, name="finding_dismiss"),
    path("cases/", views.case_list, name="cases"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/act/<str:action>/", views.case_act, name="case_act"),
    path("cases/<int:pk>/case.<str:fmt>", views.case_export, name="case_export"),
    path("events/", event_inspection_views.event_list, name="events"),
    path("events/<int:pk>/", event_inspection_views.event_detail, name="event"),
    path("inspections/", event_inspection_views.inspection_list, name="inspections"),
    path("inspections/<int:pk>/", event_inspection_views.inspection_detail, name="inspection"),
    path("inspections/<int:pk>/report.<str:fmt>", event_inspection_views.inspection_report, name="inspection_report"),
]
