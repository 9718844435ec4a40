"""A CAS 2/3 test server: django-mama-cas, releasing the user name, full name and employee number."""

from tests.sso.providers.common import *  # noqa: F403
from tests.sso.providers.common import BASE_APPS

INSTALLED_APPS = [*BASE_APPS, "mama_cas"]
ROOT_URLCONF = "tests.sso.providers.cas_urls"
MAMA_CAS_SERVICES = [{
    "SERVICE": r"^http://(testserver|127\.0\.0\.1(:\d+)?|localhost(:\d+)?)/",
    "CALLBACKS": ["tests.sso.providers.cas_urls.attributes"],
    "LOGOUT_ALLOW": True,
}]
MAMA_CAS_TICKET_EXPIRE = 60
