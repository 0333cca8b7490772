"""A browser's date field reads only YYYY-MM-DD: a pre-filled date written the Chinese way
(2026/12/07) shows as empty, and a required one then blocks the form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_new_round_offers_its_dates_in_the_form_a_date_field_reads(world, chinese):
    html = world.client("office").get(reverse("inspections:round_new")).content.decode()
    assert f'name="start_date" value="{dt.date.today().isoformat()}"' in html
