"""What a working group owns, in one definition: the rows of its lead and member units (and the
units below them). The group page (reports/groups.py) and the `?group=<id>` filter of the task
board, the points list and the problems inbox (pages and API) all call `owned_by()`.

A model takes part by naming the unit that makes a row the group's in `group_unit_field` (like
`scope_field` for the scoping helper) and, when it belongs to one campaign, `group_campaign_field`.
It lives here, below tasks, points and problems, so each of them can filter by group without
importing another app sideways.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from chuangwen.accounts.scope import get_scoped_or_404, scoped
from chuangwen.campaigns.models import WorkingGroup

M = TypeVar("M", bound=Model)


def group_units_q(group: WorkingGroup, field: str) -> Q:
    """Rows whose `field` (a unit) lies under the group's lead unit or one of its members."""
    paths = {group.lead_unit.path, *group.members.values_list("path", flat=True)}
    query = Q()
    for path in paths:
        query |= Q(**{f"{field}__path__startswith": path})
    return query


def owned_by(queryset: QuerySet[M], group: WorkingGroup) -> QuerySet[M]:
    """The queryset narrowed to the group's rows. It only ever narrows: scope the queryset as usual.

    A row reached through a reverse relation (a task through its assignments) is tested in a
    subquery of ids, so a task with two of the group's units is neither repeated nor needs
    DISTINCT on the caller's query; a row's own unit (points, problems) is filtered directly.
    """
    model = queryset.model
    field = model.group_unit_field
    campaign_field = getattr(model, "group_campaign_field", "")
    if "__" in field:
        owners = model._default_manager.filter(group_units_q(group, field))
        queryset = queryset.filter(pk__in=owners.values("pk"))
    else:
        queryset = queryset.filter(group_units_q(group, field))
    if campaign_field:
        queryset = queryset.filter(**{campaign_field: group.campaign_id})
    return queryset


def groups_for(user: Any, campaign: Any = None) -> QuerySet[WorkingGroup]:
    """The groups a list's picker offers: those of `campaign`, or of the current campaigns."""
    qs = scoped(WorkingGroup.objects.select_related("campaign"), user)
    qs = qs.filter(campaign=campaign) if campaign is not None else qs.filter(campaign__is_current=True)
    return qs.order_by("campaign__id", "rank", "id")


def picked_group(user: Any, value: Any) -> WorkingGroup | None:
    """The group a `?group=` parameter names, fetched through the scoping helper.

    Empty or not a number (`abc`, `-1`): no filter, as for the other filters of a list. A number
    naming no group the user may see: 404, so a sibling learns nothing. A number too big for the
    column is answered by the out-of-range handlers (400/404), never a server error.
    """
    text = str(value or "").strip()
    if not text.isdigit():
        return None
    if len(text) > 18:  # past a 64-bit id: no such group, without asking the database
        raise Http404
    return get_scoped_or_404(WorkingGroup.objects.select_related("campaign", "lead_unit"), user, pk=int(text))
