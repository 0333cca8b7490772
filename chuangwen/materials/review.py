"""Who may review what: the campaign's ReviewPolicy applied to a submission and a user.

A reviewer at a level holds one of the level's roles in the submitting unit or a unit above
it (campaign-wide roles — office, leaders — reach every unit), is not the person who
submitted, and (when the policy says so) has not already approved this version at another
level. Queues are querysets built from the same rules through the scoping helper.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from chuangwen.accounts.models import CAMPAIGN_WIDE_ROLES, Membership, User
from chuangwen.accounts.permissions import has_any_role
from chuangwen.accounts.scope import scope_for, scoped
from chuangwen.campaigns.models import Campaign
from chuangwen.materials.models import (
    IN_REVIEW,
    LEVEL_ORDER,
    Decision,
    ReviewAction,
    ReviewPolicy,
    Submission,
)


def policy_for(submission: Submission) -> ReviewPolicy:
    return ReviewPolicy.for_campaign(submission.requirement.task.campaign)


def policy_for_requirement(requirement: Any) -> ReviewPolicy:
    return ReviewPolicy.for_campaign(requirement.task.campaign)


def _approved_elsewhere(user: Any, submission: Submission, level: str) -> bool:
    return (
        ReviewAction.objects.filter(submission=submission, actor=user, decision=Decision.APPROVE)
        .exclude(level=level)
        .exists()
    )


def can_review(user: Any, submission: Submission, policy: ReviewPolicy | None = None) -> bool:
    """May the user act on the submission at the level it awaits?"""
    if not submission.is_current or submission.status not in IN_REVIEW:
        return False
    if not getattr(user, "is_authenticated", False) or submission.submitted_by_id == user.pk:
        return False
    policy = policy or policy_for(submission)
    roles = policy.roles_for(submission.status)
    if not roles or not has_any_role(user, roles):
        return False
    if not scope_for(user, roles).covers(submission.unit):
        return False
    return not (policy.separate_reviewers and _approved_elsewhere(user, submission, submission.status))


def reviewer_levels(user: Any) -> list[str]:
    """The levels at which the user may act in some campaign (for menus and the queue tabs)."""
    levels: set[str] = set()
    for campaign in Campaign.objects.all():
        policy = ReviewPolicy.for_campaign(campaign)
        levels.update(level for level in policy.levels() if has_any_role(user, policy.roles_for(level)))
    return [level for level in LEVEL_ORDER if level in levels]


def queue(user: Any, level: str | None = None) -> QuerySet[Submission]:
    """Current submissions awaiting a level at which the user may act (one query when listed)."""
    combined: QuerySet[Submission] | None = None
    for campaign in Campaign.objects.all():
        policy = ReviewPolicy.for_campaign(campaign)
        for lvl in policy.levels():
            if level and lvl != level:
                continue
            roles = policy.roles_for(lvl)
            if not has_any_role(user, roles):
                continue
            part = scoped(
                Submission.objects.filter(is_current=True, status=lvl, requirement__task__campaign=campaign),
                user,
                roles=roles,
            )
            if policy.separate_reviewers:
                part = part.exclude(
                    Exists(
                        ReviewAction.objects.filter(
                            submission=OuterRef("pk"), actor=user, decision=Decision.APPROVE
                        ).exclude(level=lvl)
                    )
                )
            combined = part if combined is None else combined | part
    if combined is None:
        return Submission.objects.none()
    return combined.exclude(submitted_by=user)


def reviewers(submission: Submission, level: str) -> list[User]:
    """Everybody who may act on the submission at `level` (whom to notify)."""
    policy = policy_for(submission)
    roles = policy.roles_for(level)
    if not roles:
        return []
    above = [int(part) for part in submission.unit.path.strip("/").split("/") if part]
    memberships = Membership.objects.filter(role__in=roles).filter(
        Q(role__in=CAMPAIGN_WIDE_ROLES) | Q(unit_id__in=above)
    )
    users = User.objects.filter(pk__in=memberships.values("user_id"), is_active=True)
    return [u for u in users if u.pk != submission.submitted_by_id]
