"""The URL map of the whole site."""

from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from soegov.api.api import api
from soegov.search.views import search_page
from soegov.web import language, views

handler403 = "soegov.web.views.permission_denied"
handler404 = "soegov.web.views.not_found"
handler500 = "soegov.web.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("search/", search_page, name="search"),
    path("i18n/setlang/", language.set_language, name="set_language"),
    # Browsers ask for /favicon.ico whatever the page says; the icon is served locally, never a 404.
    path("favicon.ico", RedirectView.as_view(url=static("soegov/favicon.svg"), permanent=True)),
    path("accounts/sso/", include("soegov.identity.urls")),
    path("notices/", include("soegov.notices.urls")),
    path("accounts/", include("soegov.accounts.urls")),
    path("enterprises/", include("soegov.enterprises.urls")),
    path("audit/", include("soegov.audit.urls")),
    path("advisor/", include("soegov.advisor.urls")),
    path("matters/", include("soegov.matters.urls")),
    path("meetings/", include("soegov.meetings.urls")),
    path("followup/", include("soegov.followup.urls")),
    path("exchange/", include("soegov.exchange.urls")),
    path("collector/", include("soegov.collector.urls")),
    path("oversight/", include("soegov.oversight.urls")),
    path("leaders/", include("soegov.leaders.urls")),
    path("signatures/", include("soegov.signatures.urls")),
    path("hrsync/", include("soegov.hrsync.urls")),
    path("jobs/", include("soegov.jobs.urls")),
    path("api/", api.urls),
]
