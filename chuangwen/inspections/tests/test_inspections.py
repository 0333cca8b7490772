"""Rounds, drawing points, the phone page's item-by-item saves, scoring and summaries."""

from __future__ import annotations

import base64
import io
import json

import pytest
from django.urls import reverse

from chuangwen.audit.models import AuditEntry
from chuangwen.core.errors import DomainError
from chuangwen.inspections import services
from chuangwen.inspections.models import ChecklistSubmission, Observation, ObservationPhoto, Round, Sampling
from chuangwen.inspections.queries import summary
from chuangwen.points.models import Point
from chuangwen.points.tests.fixtures import POINT_LAT, POINT_LNG, jpeg, make_point

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def items_of(rp):
    return {i.number: i for i in rp.point.point_type.items.all()}


def save_item(client, rp, item, **fields):
    data = {"item": item.pk, "lat": POINT_LAT, "lng": POINT_LNG, **fields}
    response = client.post(reverse("inspections:visit_save", args=[rp.pk]), data, **JSON)
    return response, json.loads(response.content)


def test_the_office_creates_a_round_and_draws_points_by_quota_with_a_recorded_seed(world):
    for n in range(12):
        make_point(world, name=f"小区{n}", type_code="XQ", unit=world.street_a if n % 2 else world.street_b)
    for n in range(5):
        make_point(world, name=f"路{n}", type_code="ZCGD")
    client = world.client("office")
    response = client.post(
        reverse("inspections:round_new"),
        {
            "name": "模拟测评第一轮",
            "kind": "mock_test",
            "start_date": "2026-06-01",
            "end_date": "2026-06-03",
            "organizer": world.office_unit.pk,
            "team": world.inspection_team.pk,
            "pass_rate": 80,
        },
    )
    round_ = Round.objects.get(name="模拟测评第一轮")
    assert response.status_code == 302 and round_.campaign == world.campaign
    response = client.post(
        reverse("inspections:round_draw", args=[round_.pk]), {"q_XQ": 4, "q_ZCGD": 2, "seed": 424242}
    )
    assert response.status_code == 302
    drawn = sorted(round_.round_points.values_list("point_id", flat=True))
    sample = Sampling.objects.get(round=round_)
    assert sample.seed == 424242 and sorted(sample.drawn) == drawn and len(drawn) == 6
    # The same seed over the same points draws the same ones, in another round.
    other = Round.objects.create(
        name="复测",
        start_date=round_.start_date,
        end_date=round_.end_date,
        organizer=world.office_unit,
        team=world.inspection_team,
    )
    again = services.draw_points(other, {"XQ": 4, "ZCGD": 2}, world.office, seed=424242)
    assert sorted(again.drawn) == drawn and again.candidates_digest == sample.candidates_digest
    assert AuditEntry.objects.filter(action="inspections.round.draw").count() == 2


def test_a_draw_within_a_street_only_takes_its_points(world):
    for n in range(6):
        make_point(world, name=f"A{n}", type_code="XQ")
        make_point(world, name=f"B{n}", type_code="XQ", unit=world.street_b)
    round_ = Round.objects.create(
        name="自查",
        kind="self_check",
        start_date="2026-06-01",
        end_date="2026-06-01",
        organizer=world.street_a,
        team=world.street_a,
    )
    row = services.draw_points(round_, {"XQ": 10}, world.unit_admin_a, within=world.street_a)
    assert Point.objects.filter(pk__in=row.drawn, unit=world.street_b).count() == 0
    assert row.shortfall == {"XQ": 4}


def test_an_inspector_saves_items_one_by_one_and_the_point_is_scored(world, inspection):
    rp = inspection.rp
    client = world.client("inspector")
    items = items_of(rp)
    response, body = save_item(
        client, rp, items[1], occurrences=2, note="人行道有垃圾"
    )  # B→ C: 2 occurrences
    assert response.status_code == 200 and body["ok"] and body["item"]["grade"] == "C"
    save_item(client, rp, items[7], value=0)  # no public-service ad over 200 m: fail
    for number in (2, 3, 4, 5, 6, 8):
        save_item(client, rp, items[number], result="pass")
    rp.refresh_from_db()
    assert rp.status == "done" and rp.failed_count == 2
    assert rp.score_rate == pytest.approx(100 * (0.33 + 6) / 8, abs=0.01)
    point = Point.objects.get(pk=rp.point_id)
    assert point.last_score == rp.score_rate and point.last_failed == 2
    observation = Observation.objects.get(round_point=rp, item=items[1])
    assert observation.distance_m < 1 and observation.inspector == world.inspector


def test_saving_the_same_entry_twice_with_its_key_stores_once(world, inspection):
    client = world.client("inspector")
    item = items_of(inspection.rp)[5]
    photo = io.BytesIO(jpeg())
    photo.name = "rubbish.jpg"
    first, body1 = save_item(
        client, inspection.rp, item, result="fail", occurrences=1, client_key="abc", photos=[photo]
    )
    photo.seek(0)
    second, body2 = save_item(
        client, inspection.rp, item, result="fail", occurrences=1, client_key="abc", photos=[photo]
    )
    assert first.status_code == second.status_code == 200
    assert body2["message"] != body1["message"]  # "already saved"
    assert Observation.objects.filter(round_point=inspection.rp, item=item).count() == 1
    assert ObservationPhoto.objects.filter(observation__item=item).count() == 1
    assert ChecklistSubmission.objects.filter(key="abc").count() == 1


def test_the_same_photo_sent_under_a_new_key_is_still_kept_once(world, inspection):
    item = items_of(inspection.rp)[5]
    data = jpeg(colour=(1, 2, 3))
    for key in ("k1", "k2"):
        services.record(
            inspection.rp, [services.Entry(item.pk, "fail", photos=[data])], world.inspector, key=key
        )
    assert ObservationPhoto.objects.filter(observation__item=item).count() == 1


def test_a_photo_that_is_not_an_image_is_refused_and_nothing_is_saved(world, inspection):
    fake = io.BytesIO(b"%PDF-1.4 not a photo")
    fake.name = "evidence.jpg"
    item = items_of(inspection.rp)[6]
    response, body = save_item(world.client("inspector"), inspection.rp, item, result="fail", photos=[fake])
    assert response.status_code == 400 and "evidence.jpg" in body["message"]
    assert not Observation.objects.filter(round_point=inspection.rp, item=item).exists()


@pytest.mark.parametrize(("lat", "lng"), [("", ""), (0, 0), (123, 456)])
def test_missing_or_absurd_gps_saves_the_item_with_a_clear_warning(world, inspection, lat, lng):
    item = items_of(inspection.rp)[6]
    response, body = save_item(
        world.client("inspector"), inspection.rp, item, result="pass", lat=lat, lng=lng
    )
    assert response.status_code == 200 and "without a location" in body["warnings"][0]
    observation = Observation.objects.get(round_point=inspection.rp, item=item)
    assert observation.lat is None and observation.result == "pass"


def test_the_responsible_unit_cannot_record_its_own_points(world, inspection):
    item = items_of(inspection.rp)[2]
    response = world.client("unit_admin_a").post(
        reverse("inspections:visit_save", args=[inspection.rp.pk]),
        {"item": item.pk, "result": "pass"},
        **JSON,
    )
    assert response.status_code == 404
    assert not Observation.objects.filter(round_point=inspection.rp, item=item).exists()
    assert (
        world.client("liaison_a").get(reverse("inspections:round_point", args=[inspection.rp.pk])).status_code
        == 200
    )


def test_an_item_from_another_checklist_is_refused(world, inspection):
    other = make_point(world, name="菜场", type_code="NMSC").point_type.items.first()
    with pytest.raises(DomainError, match="not on this point's checklist"):
        services.record(inspection.rp, [services.Entry(other.pk, "pass")], world.inspector)


def test_nothing_is_recorded_in_a_closed_round(world, inspection):
    services.set_status(inspection.round, "close", world.office)
    with pytest.raises(DomainError, match="not under way"):
        services.record(
            inspection.rp, [services.Entry(items_of(inspection.rp)[2].pk, "pass")], world.inspector
        )


def test_a_whole_checklist_with_photos_arrives_through_the_api_once(world, inspection):
    items = items_of(inspection.rp)
    payload = {
        "key": "phone-42",
        "lat": POINT_LAT,
        "lng": POINT_LNG,
        "items": [{"item_id": items[n].pk, "result": "pass"} for n in (1, 2, 3, 4, 5, 6, 8)]
        + [{"item_id": items[7].pk, "value": 0, "photos": [base64.b64encode(jpeg()).decode()]}],
    }
    client = world.client("inspector")
    url = f"/api/inspections/assignments/{inspection.rp.pk}/checklist"
    first = client.post(url, json.dumps(payload), content_type="application/json")
    second = client.post(url, json.dumps(payload), content_type="application/json")
    assert first.status_code == 200, first.content
    assert json.loads(first.content)["failed_items"] == 1 and json.loads(second.content)["replayed"] is True
    assert ObservationPhoto.objects.filter(observation__item=items[7]).count() == 1


def test_the_phone_page_lists_the_checklist_without_inline_scripts(world, inspection):
    html = (
        world.client("inspector").get(reverse("inspections:visit", args=[inspection.rp.pk])).content.decode()
    )
    assert "inspections.js" in html and "<script>" not in html
    assert html.count("data-obs-form") == inspection.rp.point.point_type.items.count()


def test_an_inspector_opens_the_point_page_of_an_assigned_point_only_while_the_round_is_open(
    world, inspection
):
    client = world.client("inspector")
    url = reverse("points:detail", args=[inspection.rp.point_id])
    assert client.get(url).status_code == 200
    services.set_status(inspection.round, "close", world.office)
    assert client.get(url).status_code == 404


def test_the_round_summary_groups_results_by_unit_and_type(world, inspection):
    b_point = make_point(world, name="柳岸路", unit=world.street_b)
    services.add_points(inspection.round, [b_point], world.office)
    rp_b = inspection.round.round_points.get(point=b_point)
    item = items_of(rp_b)[1]
    services.record(rp_b, [services.Entry(item.pk, occurrences=3)], world.inspector)
    services.record(
        inspection.rp, [services.Entry(items_of(inspection.rp)[1].pk, occurrences=0)], world.inspector
    )
    result = summary(inspection.round, world.office)
    by_unit = {row.key: row for row in result["by_unit"]}
    assert by_unit["柳岸街道"].rate == 0 and by_unit["松林街道"].rate == 100
    assert result["by_type"][0].key == "主次干道" and result["overall"].failed == 1
    assert result["worst_items"][0]["n"] == 1
    page = world.client("inspector").get(reverse("inspections:round_summary", args=[inspection.round.pk]))
    assert "柳岸街道" in page.content.decode()


def test_a_round_cannot_open_without_points_and_close_twice(world):
    round_ = Round.objects.create(
        name="空",
        start_date="2026-06-01",
        end_date="2026-06-01",
        organizer=world.office_unit,
        team=world.inspection_team,
    )
    with pytest.raises(DomainError):
        services.set_status(round_, "open", world.office)
    services.add_points(round_, [make_point(world)], world.office)
    services.set_status(round_, "open", world.office)
    services.set_status(round_, "close", world.office)
    with pytest.raises(DomainError):
        services.set_status(round_, "close", world.office)


def test_display_copies_are_made_after_the_save_or_else_on_first_view(
    world, inspection, django_capture_on_commit_callbacks
):
    from PIL import Image

    item = items_of(inspection.rp)[6]
    with django_capture_on_commit_callbacks(execute=True):
        services.record(
            inspection.rp, [services.Entry(item.pk, "fail", photos=[jpeg((3000, 2000))])], world.inspector
        )
    made = ObservationPhoto.objects.get(observation__item=item)
    assert made.display and max(Image.open(made.display).size) <= 1600
    # No worker ran for this one: the page makes the copy when it is first shown.
    services.record(
        inspection.rp, [services.Entry(item.pk, "fail", photos=[jpeg((80, 60), (0, 9, 0))])], world.inspector
    )
    waiting = ObservationPhoto.objects.exclude(pk=made.pk).get(observation__item=item)
    assert not waiting.display
    response = world.client("liaison_a").get(reverse("inspections:photo", args=[waiting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    waiting.refresh_from_db()
    assert waiting.display


def test_the_inspector_is_sent_from_the_points_qr_page_to_the_checklist(world, inspection):
    client = world.client("inspector")
    history = client.get(reverse("inspections:point_history", args=[inspection.rp.point_id])).content.decode()
    assert reverse("inspections:visit", args=[inspection.rp.pk]) in history
    liaison_view = world.client("liaison_a").get(
        reverse("inspections:point_history", args=[inspection.rp.point_id])
    )
    assert reverse("inspections:visit", args=[inspection.rp.pk]) not in liaison_view.content.decode()


def test_the_inspectors_home_page_lists_points_still_to_inspect(world, inspection):
    html = world.client("inspector").get(reverse("core:home")).content.decode()
    assert reverse("inspections:rounds") in html


def test_an_item_saved_far_from_the_point_is_kept_with_a_warning_and_marked(world, inspection):
    item = items_of(inspection.rp)[2]
    response, body = save_item(
        world.client("inspector"), inspection.rp, item, result="pass", lat=POINT_LAT + 0.02
    )
    assert response.status_code == 200 and "2224 m" in body["warnings"][0]
    page = (
        world.client("office")
        .get(reverse("inspections:round_point", args=[inspection.rp.pk]))
        .content.decode()
    )
    assert "2224" in page
