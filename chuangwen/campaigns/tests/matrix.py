import datetime as dt

from chuangwen.campaigns.models import CommandPost, Phase, PhaseTask, WorkingGroup
from chuangwen.org.models import Person
from chuangwen.tests.matrix import OFFICE_ONLY, api, page

OFFICE_ACTS = {"office": 302}  # a POST that worked goes back to the campaign's page


def _phase(world) -> Phase:
    return world.campaign.phases.order_by("seq").first()


def _deliverable(world) -> PhaseTask:
    """A deliverable of street A (its admin and liaison report on it)."""
    item, _ = PhaseTask.objects.get_or_create(
        phase=_phase(world), number=1, defaults={"text": "宣传牌更换", "unit": world.street_a}
    )
    return item


def _spare_phase(world) -> dict:
    phase, _ = Phase.objects.get_or_create(
        campaign=world.campaign,
        seq=9,
        defaults={"name": "备用", "start": dt.date.today(), "end": dt.date.today()},
    )
    return {"pk": phase.pk}


def _spare_deliverable(world) -> dict:
    item, _ = PhaseTask.objects.get_or_create(phase=_phase(world), number=9, defaults={"text": "备用"})
    return {"pk": item.pk}


def _post(world) -> CommandPost:
    person, _ = Person.objects.get_or_create(name="指挥长甲", unit=world.district)
    post, _ = CommandPost.objects.get_or_create(campaign=world.campaign, title="指挥长", person=person)
    return post


def _group(world) -> WorkingGroup:
    group, _ = WorkingGroup.objects.get_or_create(
        campaign=world.campaign, name="城市管理组", defaults={"lead_unit": world.street_a}
    )
    return group


def _spare_group(world) -> dict:
    group, _ = WorkingGroup.objects.get_or_create(
        campaign=world.campaign, name="备用组", defaults={"lead_unit": world.district}
    )
    return {"pk": group.pk}


ROUTES = [
    page("campaigns:calendar"),
    page("campaigns:groups"),
    page("campaigns:campaign_new", default=403, **OFFICE_ONLY),
    page("campaigns:campaign_edit", default=403, kwargs=lambda w: {"pk": w.campaign.pk}, **OFFICE_ONLY),
    page("campaigns:phase_new", default=403, kwargs=lambda w: {"campaign_pk": w.campaign.pk}, **OFFICE_ONLY),
    page("campaigns:phase_edit", default=403, kwargs=lambda w: {"pk": _phase(w).pk}, **OFFICE_ONLY),
    page("campaigns:phase_delete", method="POST", default=403, kwargs=_spare_phase, **OFFICE_ACTS),
    page(
        "campaigns:deliverable_new", default=403, kwargs=lambda w: {"phase_pk": _phase(w).pk}, **OFFICE_ONLY
    ),
    page(
        "campaigns:deliverable_edit", default=403, kwargs=lambda w: {"pk": _deliverable(w).pk}, **OFFICE_ONLY
    ),
    page(
        "campaigns:deliverable_delete", method="POST", default=403, kwargs=_spare_deliverable, **OFFICE_ACTS
    ),
    # The responsible unit (street A) reports its evidence; the sibling street may not.
    page(
        "campaigns:deliverable_move",
        method="POST",
        default=403,
        kwargs=lambda w: {"pk": _deliverable(w).pk},
        data=lambda w: {"status": "submitted", "note": "已更换 12 块"},
        office=302,
        liaison_a=302,
        unit_admin_a=302,
    ),
    page("campaigns:post_new", default=403, kwargs=lambda w: {"campaign_pk": w.campaign.pk}, **OFFICE_ONLY),
    page("campaigns:post_edit", default=403, kwargs=lambda w: {"pk": _post(w).pk}, **OFFICE_ONLY),
    page(
        "campaigns:post_delete",
        method="POST",
        default=403,
        kwargs=lambda w: {"pk": _post(w).pk},
        **OFFICE_ACTS,
    ),
    page("campaigns:group_new", default=403, kwargs=lambda w: {"campaign_pk": w.campaign.pk}, **OFFICE_ONLY),
    page("campaigns:group_edit", default=403, kwargs=lambda w: {"pk": _group(w).pk}, **OFFICE_ONLY),
    page("campaigns:group_delete", method="POST", default=403, kwargs=_spare_group, **OFFICE_ACTS),
    api("GET", "/api/campaigns/"),
    api("GET", "/api/campaigns/{campaign_id}", kwargs=lambda w: {"campaign_id": w.campaign.pk}),
]
