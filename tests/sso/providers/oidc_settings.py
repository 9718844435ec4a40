"""An OpenID Connect provider for the tests: django-oauth-toolkit with OIDC on, RS256 ID tokens, PKCE.

Its users log in with a password, and those with a TOTP device also with a code; the ID token's `amr` says which
(["pwd"] or ["pwd", "otp"]), as a real provider reports the methods it used.
"""

from tests.sso.providers.common import *  # noqa: F403
from tests.sso.providers.common import BASE_APPS, BASE_URL, DATA

INSTALLED_APPS = [*BASE_APPS, "django_otp", "django_otp.plugins.otp_totp", "oauth2_provider"]
ROOT_URLCONF = "tests.sso.providers.oidc_urls"
LOGIN_URL = "/login/"
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    # The browser test's live server is http://localhost:PORT: any port, as for 127.0.0.1 (RFC 8252 7.3).
    "ALLOW_LOCALHOST_LOOPBACK": True,
    "OIDC_ISS_ENDPOINT": f"{BASE_URL}/o",
    "OIDC_RSA_PRIVATE_KEY": (DATA / "rsa.pem").read_text(),
    "PKCE_REQUIRED": True,
    "SCOPES": {"openid": "OpenID Connect", "profile": "姓名与工号"},
    "OAUTH2_VALIDATOR_CLASS": "tests.sso.providers.oidc_views.Validator",
    "ACCESS_TOKEN_EXPIRE_SECONDS": 300,
    "ID_TOKEN_EXPIRE_SECONDS": 300,
}
