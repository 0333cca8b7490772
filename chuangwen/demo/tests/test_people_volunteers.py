"""The demo's volunteers (issue 17): teams, a roster, past Friday service days with confirmed
hours, and an activity open for sign-in today."""

from __future__ import annotations

from chuangwen.demo.accounts import COMMUNITY_A
from chuangwen.demo.loader import load_demo
from chuangwen.demo.tests.test_loader import _demo, logins  # noqa: F401 - the shared fixtures
from chuangwen.org.models import Unit
from chuangwen.volunteers.figures import unit_figures
from chuangwen.volunteers.models import Activity, ActivityStatus, Team, Volunteer


def test_the_demo_has_volunteers_with_confirmed_friday_service(logins):  # noqa: F811
    community = Unit.objects.get(code=COMMUNITY_A)
    assert Team.objects.filter(unit=community).count() == 2
    assert Volunteer.objects.filter(unit=community).count() == 20
    figures = unit_figures(community)
    assert figures.registered == 20 and figures.active_90 > 0 and figures.hours_total > 0
    assert figures.friday_days == 4
    assert Activity.objects.filter(unit=community, status=ActivityStatus.OPEN).count() == 1
    before = Volunteer.objects.count(), Activity.objects.count()
    load_demo()
    assert (Volunteer.objects.count(), Activity.objects.count()) == before
