from chuangwen.campaigns.models import WorkingGroup
from chuangwen.tests.matrix import page


def _group(world) -> dict:
    group, _ = WorkingGroup.objects.get_or_create(
        campaign=world.campaign, name="社区工作组", defaults={"lead_unit": world.street_a}
    )
    return {"pk": group.pk}


ROUTES = [
    page("core:home"),
    # Visible to everyone in the territory; the lists inside are scoped to what each may see.
    page("core:group_work", kwargs=_group),
]
