"""The volunteers pages show no English in the default interface language (zh-hans)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from chuangwen.volunteers import services
from chuangwen.volunteers.tests.fixtures import volunteer_world

pytestmark = pytest.mark.django_db
# "office" is the signed-in test user's name in the menu bar.
ALLOWED = {"PDF", "xlsx", "GPS", "QR", "Excel", "office"}


def visible_words(html: str) -> set[str]:
    body = re.sub(r"(?s)<(script|style|svg)\b.*?</\1>", " ", html)
    body = re.sub(r"(?s)<[^>]+>", " ", body)
    body = re.sub(r"https?://\S+", " ", body)
    return {w for w in re.findall(r"[A-Za-z]{3,}", body) if w not in ALLOWED}


def test_every_volunteers_page_is_in_chinese(world, chinese):
    vw = volunteer_world(world)
    services.confirm_record(vw.record, world.office)
    urls = [
        reverse("volunteers:index"),
        reverse("volunteers:index") + f"?unit={world.street_a.pk}",
        reverse("volunteers:roster"),
        reverse("volunteers:volunteer", kwargs={"pk": vw.volunteer.pk}),
        reverse("volunteers:volunteer_new"),
        reverse("volunteers:import"),
        reverse("volunteers:teams"),
        reverse("volunteers:team_new"),
        reverse("volunteers:activities"),
        reverse("volunteers:activity_new"),
        reverse("volunteers:activity", kwargs={"pk": vw.activity.pk}),
        reverse("volunteers:activity_file", kwargs={"pk": vw.activity.pk}),
        reverse("volunteers:commendations"),
    ]
    client = world.client("office")
    english = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        words = visible_words(response.content.decode())
        if words:
            english[url] = sorted(words)
    public = client.get(reverse("volunteers:sign", kwargs={"token": vw.activity.token}))
    if visible_words(public.content.decode()):
        english["sign"] = sorted(visible_words(public.content.decode()))
    assert not english, english
