from typing import Any

from django.urls import include, path


def attributes(user: Any, service: str) -> dict[str, Any]:
    """What the CAS test server releases (the employee number is kept in last_name, as in the OIDC provider)."""
    return {"displayName": user.first_name or user.username, "employeeNumber": user.last_name,
            "authnMethod": "pwd"}  # mama-cas checks a password only


urlpatterns = [path("cas/", include("mama_cas.urls"))]
