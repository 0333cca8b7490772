"""Domain errors raised by services and turned into clear messages by views and the API."""

from __future__ import annotations

from django.http import Http404


class DomainError(Exception):
    """An action that the rules do not allow in the object's current state (HTTP 400/409)."""

    status = 400


class ConflictError(DomainError):
    """Somebody else changed the object first; the user should reload and try again (HTTP 409)."""

    status = 409


class NoCampaign(Http404):
    """A page that works inside a campaign was asked for while none exists (a fresh install):
    the 404 page then says so and points the office to setup, instead of "no such page"."""
