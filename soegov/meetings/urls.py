"""URLs of the meetings pages."""

from django.urls import path

from soegov.meetings import batch_views, topic_views, views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_new, name="new"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/act/<str:action>/", views.meeting_act, name="act"),
    path("<int:pk>/documents/<str:kind>.<str:fmt>", views.meeting_document, name="document"),
    path("topics/", topic_views.topic_list, name="topics"),
    path("topics/new/", topic_views.topic_new, name="topic_new"),
    path("topics/<int:pk>/", topic_views.topic_detail, name="topic"),
    path("topics/<int:pk>/act/<str:action>/", topic_views.topic_act, name="topic_act"),
    path("materials/<int:pk>/", topic_views.material_download, name="material"),
    path("lists/", views.list_index, name="lists"),
    path("lists/<int:pk>/", views.list_detail, name="list_detail"),
    path("decisions/", views.decisions, name="decisions"),
    path("my-votes/", views.my_votes, name="my_votes"),
    path("sign/", batch_views.sign_minutes, name="sign_minutes"),
]
