import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from chuangwen.problems import services
from chuangwen.problems.jobs import forget_public_attempts
from chuangwen.problems.models import Channel, Problem, PublicSubmission, Source, Status
from chuangwen.problems.tests.factories import category, jpeg_bytes, public_problem
from chuangwen.problems.views.public import DEVICE_COOKIE

pytestmark = pytest.mark.django_db


def form(**extra):
    data = {"category": category().pk, "description": "垃圾桶满了没人清", "address": "松林路口", "phone": ""}
    data.update(extra)
    return data


def test_anyone_reports_without_an_account_and_gets_a_follow_link(world):
    client = Client()
    page = client.get("/report/")
    assert page.status_code == 200
    assert DEVICE_COOKIE in page.cookies
    photo = SimpleUploadedFile("a.jpg", jpeg_bytes(), content_type="image/jpeg")
    response = client.post("/report/", {**form(phone="13812345678"), "photos": [photo]})
    problem = Problem.objects.get()
    assert response.status_code == 302
    assert response.url == f"/report/status/{problem.public_token}/"
    assert (problem.source, problem.channel, problem.status) == (
        Source.CITIZEN,
        Channel.PUBLIC,
        Status.REPORTED,
    )
    assert problem.reporter_phone == "13812345678"
    assert problem.photos.count() == 1
    status_page = client.get(response.url).content.decode()
    assert "13812345678" not in status_page and "138****5678" not in status_page


def test_a_script_filling_the_honeypot_sees_thanks_but_nothing_is_stored(world):
    response = Client().post("/report/", form(website="http://spam.example"))
    assert response.status_code == 200
    assert not Problem.objects.exists()
    assert PublicSubmission.objects.filter(accepted=False).count() == 1


def test_too_many_reports_from_one_address_are_refused(world, settings):
    settings.PUBLIC_REPORTS_PER_IP_HOUR = 2
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(2):
        client.post("/report/", form())
    assert Client(REMOTE_ADDR="203.0.113.9").post("/report/", form()).status_code == 429
    assert Problem.objects.count() == 2
    assert Client(REMOTE_ADDR="203.0.113.10").post("/report/", form()).status_code == 302


def test_too_many_reports_from_one_device_are_refused_even_from_new_addresses(world, settings):
    settings.PUBLIC_REPORTS_PER_DEVICE_DAY = 1
    client = Client(REMOTE_ADDR="203.0.113.20")
    client.get("/report/")
    assert client.post("/report/", form()).status_code == 302
    client.defaults["REMOTE_ADDR"] = "203.0.113.21"
    assert client.post("/report/", form()).status_code == 429


def test_a_report_without_any_location_is_sent_back_to_the_form(world):
    response = Client().post("/report/", form(address=""))
    assert response.status_code == 200
    assert not Problem.objects.exists()


def test_the_status_link_needs_the_exact_token(world):
    problem = public_problem(world)
    assert Client().get(f"/report/status/{problem.public_token}/").status_code == 200
    assert Client().get(f"/report/status/{problem.public_token[:-2]}xx/").status_code == 404


def test_a_merged_report_shows_the_progress_of_the_original(world):
    reported = public_problem(world)
    original = services.report(
        world.office, category=category(), description="同一处", source=Source.PATROL, unit=world.street_a
    )
    services.mark_duplicate(reported, world.office, original=original)
    page = Client().get(f"/report/status/{reported.public_token}/").content.decode()
    assert world.street_a.name in page


def test_old_public_attempts_are_forgotten_by_the_nightly_job(world):
    PublicSubmission.objects.create(ip="203.0.113.1", created_at=timezone.now() - dt.timedelta(days=8))
    recent = PublicSubmission.objects.create(ip="203.0.113.2")
    assert forget_public_attempts.call_local() == 1
    assert list(PublicSubmission.objects.all()) == [recent]


def test_the_public_form_sent_three_times_with_its_key_stores_one_problem_with_one_photo(world):
    """Issue 23: every upload route takes an idempotency key. A citizen on a weak connection
    who taps Send again (or whose browser resends) must not file the same problem three times."""
    client = Client()
    page = client.get("/report/").content.decode()
    key = page.split('name="idempotency_key" value="', 1)[1].split('"', 1)[0]
    assert len(key) >= 32
    answers = [
        client.post(
            "/report/",
            {
                **form(),
                "idempotency_key": key,
                "photos": [SimpleUploadedFile("a.jpg", jpeg_bytes(), content_type="image/jpeg")],
            },
        )
        for _ in range(3)
    ]
    problem = Problem.objects.get()
    assert problem.photos.count() == 1
    assert {a.status_code for a in answers} == {302}
    assert {a.url for a in answers} == {f"/report/status/{problem.public_token}/"}
