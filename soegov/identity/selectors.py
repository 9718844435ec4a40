"""Reads for the SSO pages: pending logins and links, one page at a time."""

from __future__ import annotations

from django.db.models import QuerySet

from soegov.identity.models import PendingLink, PendingStatus, SsoIdentity


def pending_logins() -> QuerySet[PendingLink]:
    """Unknown SSO logins the system administrator has not dealt with, most recent first."""
    return PendingLink.objects.filter(status=PendingStatus.PENDING).order_by("-last_seen", "-id")


def links() -> QuerySet[SsoIdentity]:
    """Every link with its account, for the administrator's list."""
    return SsoIdentity.objects.select_related("user", "linked_by").order_by("user__username", "provider", "id")
