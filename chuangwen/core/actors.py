"""Who did it: the one rule for recording the user behind a change.

Services take an `actor` that may be a signed-in user, Django's AnonymousUser (a public
page), or None (a background job, a management command). A foreign key such as
`created_by` or `reviewed_by` records the user only when there is one.
"""

from __future__ import annotations

from typing import Any


def user_or_none(actor: Any) -> Any | None:
    """The actor when it is a signed-in user, else None (anonymous, a job, a command)."""
    return actor if getattr(actor, "is_authenticated", False) else None


def user_id_or_none(actor: Any) -> int | None:
    """The signed-in actor's primary key, else None."""
    user = user_or_none(actor)
    return user.pk if user is not None else None
