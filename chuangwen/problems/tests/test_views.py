import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chuangwen.problems.models import EventKind, PhotoKind, Problem, Status
from chuangwen.problems.photos import check
from chuangwen.problems.tests.factories import category, jpeg_bytes, photo, problem_in_street_a

pytestmark = pytest.mark.django_db


def upload(name="p.jpg", data=None):
    return SimpleUploadedFile(name, data or jpeg_bytes(), content_type="image/jpeg")


def report_data(**extra):
    data = {
        "category": category().pk,
        "description": "人行道上乱摆摊",
        "address": "松林路12号",
        "source": "patrol",
        "urgency": "normal",
        "idempotency_key": "form-1",
        "lat": "30.0001",
        "lng": "120.0001",
    }
    data.update(extra)
    return data


def test_the_phone_page_files_a_problem_with_its_photos_once_even_if_sent_twice(world):
    client = world.client("duty_a")
    assert client.get("/problems/report/").status_code == 200
    first = client.post("/problems/report/", {**report_data(), "photos": [upload(), upload("b.jpg")]})
    again = client.post("/problems/report/", {**report_data(), "photos": [upload()]})
    assert first.status_code == again.status_code == 302
    problem = Problem.objects.get()
    assert first.url == again.url == f"/problems/{problem.pk}/"
    assert problem.photos.filter(kind=PhotoKind.BEFORE).count() == 2
    assert problem.reporter == world.duty_a


def test_the_phone_page_refuses_a_fake_photo_with_a_clear_message(world):
    response = world.client("duty_a").post(
        "/problems/report/", {**report_data(), "photos": [upload("x.jpg", b"not an image at all")]}
    )
    assert response.status_code == 200
    assert "JPEG" in response.content.decode()
    assert not Problem.objects.exists()


def test_the_page_offers_nearby_duplicates_and_can_add_the_photos_to_one(world):
    existing = problem_in_street_a(world, lat=30.0, lng=120.0)
    client = world.client("liaison_a")
    partial = client.get(
        "/problems/report/nearby/", {"category": category().pk, "lat": 30.0001, "lng": 120.0001}
    )
    assert f"#{existing.pk}" in partial.content.decode()
    response = client.post("/problems/report/", {**report_data(), "photos": [upload()]})
    assert response.status_code == 200  # asked first: is it one of these?
    assert f'value="{existing.pk}"' in response.content.decode()
    response = client.post("/problems/report/", {**report_data(same_as=existing.pk), "photos": [upload()]})
    assert response.status_code == 302
    assert Problem.objects.count() == 1
    assert existing.photos.count() == 1
    response = client.post("/problems/report/", {**report_data(nearby_seen="1", idempotency_key="f2")})
    assert Problem.objects.count() == 2


def test_a_sibling_street_sees_a_nearby_problem_of_street_a_without_its_number_or_words(world):
    """Issue 23: the duplicate check showed street B the id and words of street A's problem."""
    existing = problem_in_street_a(world, description="松林路口占道经营，摊主姓王", lat=30.0, lng=120.0)
    client = world.client("liaison_b")
    partial = client.get(
        "/problems/report/nearby/", {"category": category().pk, "lat": 30.0001, "lng": 120.0001}
    ).content.decode()
    assert category().name in partial and "15 m" in partial
    assert "摊主" not in partial
    assert f"#{existing.pk}" not in partial
    assert re.findall(r'name="same_as" value="([^"]*)"', partial)[0].startswith("n")
    asked = client.post("/problems/report/", {**report_data(), "photos": [upload()]}).content.decode()
    assert "摊主" not in asked
    choice, none = re.findall(r'name="same_as" value="([^"]*)"', asked)
    assert choice.startswith("n") and none == ""  # an opaque choice, not the number
    # Guessing the number does not reach another street's problem; the offered choice does.
    guessed = client.post("/problems/report/", {**report_data(same_as=existing.pk), "photos": [upload()]})
    assert guessed.status_code == 200 and existing.photos.count() == 0
    chosen = client.post("/problems/report/", {**report_data(same_as=choice), "photos": [upload()]})
    assert chosen.status_code == 302 and chosen.url == "/problems/report/"
    assert Problem.objects.count() == 1 and existing.photos.count() == 1


def test_the_reporter_phone_is_masked_for_everyone_but_the_office(world):
    problem = problem_in_street_a(world, reporter_phone="13912345678")
    assert "13912345678" in world.client("office").get(f"/problems/{problem.pk}/").content.decode()
    page = world.client("liaison_a").get(f"/problems/{problem.pk}/").content.decode()
    assert "139****5678" in page and "13912345678" not in page
    api = world.client("liaison_a").get(f"/api/problems/{problem.pk}").json()
    assert api["reporter_phone"] == "139****5678"


def test_a_sibling_street_cannot_see_or_act_on_street_a_problems(world):
    problem = problem_in_street_a(world, photos=[photo()])
    client = world.client("liaison_b")
    assert client.get(f"/problems/{problem.pk}/").status_code == 404
    assert client.post(f"/problems/{problem.pk}/accept/", {"version": problem.version}).status_code == 404
    assert client.get(f"/problems/photos/{problem.photos.get().pk}/original/").status_code == 404
    assert problem.pk not in [p["id"] for p in client.get("/api/problems/").json()["items"]]


def test_the_unit_walks_the_loop_on_the_pages_and_the_inspector_closes_it(world):
    problem = problem_in_street_a(world)
    unit = world.client("liaison_a")
    page = unit.get(f"/problems/{problem.pk}/").content.decode()
    assert f"/problems/{problem.pk}/accept/" in page and f"/problems/{problem.pk}/verify/" not in page
    unit.post(f"/problems/{problem.pk}/accept/", {"version": 1})
    unit.post(f"/problems/{problem.pk}/start/", {"version": 2})
    unit.post(f"/problems/{problem.pk}/submit/", {"version": 3, "measures": "已清理", "photos": [upload()]})
    problem.refresh_from_db()
    assert problem.status == Status.SUBMITTED
    inspector = world.client("inspector")
    assert (
        f"/problems/{problem.pk}/" in inspector.get("/problems/inbox/").content.decode()
    )  # awaiting verification
    inspector.post(f"/problems/{problem.pk}/verify/", {"version": 4, "passed": "1", "note": "到位"})
    problem.refresh_from_db()
    assert problem.status == Status.CLOSED
    page = unit.get(f"/problems/{problem.pk}/").content.decode()
    assert page.count("/display/") == 1  # the after-photo (this problem was filed without a before-photo)
    assert list(problem.events.values_list("kind", flat=True))[-1] == EventKind.VERIFIED


def test_a_second_person_acting_on_an_old_page_gets_the_conflict_message(world):
    problem = problem_in_street_a(world)
    seen = problem.version
    world.client("liaison_a").post(f"/problems/{problem.pk}/accept/", {"version": seen})
    response = world.client("unit_admin_a").post(
        f"/problems/{problem.pk}/return/", {"version": seen, "reason": "不归我们"}, follow=True
    )
    text = response.content.decode()
    assert f"#{problem.pk}" in text
    problem.refresh_from_db()
    assert problem.status == Status.ACCEPTED


def test_a_unit_cannot_act_on_a_problem_it_only_reported(world):
    problem = problem_in_street_a(world, actor=world.duty_a)  # reported by community A, owned by street A
    response = world.client("duty_a").post(f"/problems/{problem.pk}/accept/", {"version": problem.version})
    assert response.status_code == 403
    assert world.client("duty_a").get(f"/problems/{problem.pk}/").status_code == 200


def test_the_inbox_lists_the_soonest_deadline_first(world):
    late = problem_in_street_a(world, category=category("路面破损"))  # 5 working days
    soon = problem_in_street_a(world, urgency="immediate")  # 24 hours
    page = world.client("liaison_a").get("/problems/inbox/").content.decode()
    assert page.index(f"/problems/{soon.pk}/") < page.index(f"/problems/{late.pk}/")


def test_the_office_assigns_the_queue_in_bulk_and_stale_rows_are_reported(world):
    a = Problem.objects.get(pk=problem_in_street_a(world, unit=None, address="无名路").pk)
    b = Problem.objects.get(pk=problem_in_street_a(world, unit=None, address="无名路2").pk)
    assert a.status == b.status == Status.REPORTED
    client = world.client("office")
    assert f"/problems/{a.pk}/" in client.get("/problems/console/").content.decode()
    response = client.post(
        "/problems/console/dispatch/",
        {
            "unit": world.street_b.pk,
            "force": "on",
            "rows": [f"{a.pk}:{a.version}", f"{b.pk}:{b.version + 7}"],
        },
        follow=True,
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, a.unit, a.forced) == (Status.DISPATCHED, world.street_b, True)
    assert b.status == Status.REPORTED
    assert f"#{b.pk}" in response.content.decode()


def test_the_original_photo_is_served_as_uploaded(world):
    data = jpeg_bytes(30, 20)
    problem = problem_in_street_a(world, photos=[check(data)])
    item = problem.photos.get()
    response = world.client("liaison_a").get(f"/problems/photos/{item.pk}/original/")
    assert b"".join(response.streaming_content) == data


def test_the_list_filters_by_status_and_text(world):
    problem = problem_in_street_a(world, description="井盖丢失的问题")
    client = world.client("office")
    assert f"/problems/{problem.pk}/" in client.get("/problems/", {"q": "井盖"}).content.decode()
    assert f"/problems/{problem.pk}/" not in client.get("/problems/", {"status": "closed"}).content.decode()
    assert f"/problems/{problem.pk}/" in client.get("/problems/", {"status": "open"}).content.decode()


def test_the_console_map_carries_the_located_queue_with_links(world):
    from chuangwen.problems import services
    from chuangwen.problems.tests.factories import category

    located = services.report(
        world.office, category=category(), description="桥下堆物", source="patrol", lat=30.01, lng=120.02
    )
    services.report(world.office, category=category(), description="无位置", source="patrol", address="某处")
    page = world.client("office").get("/problems/console/")
    markers = page.context["markers"]
    assert [m["id"] for m in markers] == [located.pk]
    assert markers[0]["url"] == f"/problems/{located.pk}/" and markers[0]["status"] == "reported"
    assert 'id="cw-problem-markers"' in page.content.decode()
