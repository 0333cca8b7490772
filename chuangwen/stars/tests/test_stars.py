"""Star ratings: aspects, scores, evidence and the 自荐 → 乡镇审查 → 县验收 workflow."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from chuangwen.accounts.models import Role
from chuangwen.audit.models import AuditEntry
from chuangwen.conftest import make_user
from chuangwen.core.errors import ConflictError, DomainError
from chuangwen.stars import services
from chuangwen.stars.models import DEFAULT_ASPECTS, Aspect, Evidence, Rating, RatingStatus, RatingStep, Title
from chuangwen.stars.tests.fixtures import community_liaison, jpeg, star_rating, upload

pytestmark = pytest.mark.django_db


def _score_all(rating, actor, values, version=None):
    scores = list(rating.scores.order_by("aspect__seq"))
    entries = [
        services.ScoreInput(s.aspect_id, v, f"说明{i}")
        for i, (s, v) in enumerate(zip(scores, values, strict=True))
    ]
    return services.save_scores(rating, entries, actor, version)


def _community_admin(world):
    return make_user("community_admin_a", world.community_a, Role.UNIT_ADMIN)


def _community_liaison(world):
    return community_liaison(world)


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_campaign_without_aspects_gets_the_ten_community_aspects(world):
    scheme, aspects = services.setup_for(world.campaign)
    assert [a.name for a in aspects] == list(DEFAULT_ASPECTS)
    assert (scheme.star_threshold, scheme.top_stars, scheme.pass_stars) == (Decimal("9"), 10, 7)
    services.setup_for(world.campaign)
    assert Aspect.objects.filter(campaign=world.campaign).count() == 10


def test_the_whole_workflow_from_self_assessment_to_award_keeps_every_comment(world):
    admin = _community_admin(world)
    rating = services.open_rating(world.campaign, world.community_a, 2026, admin)
    rating = _score_all(rating, admin, [10] * 7 + [8.5] * 3)
    assert (rating.stars, rating.title) == (7, "")  # counted so far; no title before acceptance
    rating = services.act(rating, "submit", admin, "自荐材料齐全", rating.version)
    assert rating.status == RatingStatus.SUBMITTED
    with pytest.raises(PermissionError):  # the community cannot review itself
        services.act(rating, "approve", admin)

    township = world.unit_admin_a  # unit admin of street A, above community A
    rating = services.act(rating, "return", township, "主题活动照片不足")
    assert rating.status == RatingStatus.DRAFT
    rating = services.act(rating, "submit", admin, "已补充")
    last = rating.scores.get(aspect__name="管理良好")
    rating = services.save_scores(rating, [services.ScoreInput(last.aspect_id, 9.5, "复核后上调")], township)
    assert rating.stars == 8
    rating = services.act(rating, "approve", township, "同意上报")
    with pytest.raises(PermissionError):
        services.act(rating, "accept", township)
    rating = services.act(rating, "return", world.office, "请乡镇再核实")
    assert rating.status == RatingStatus.SUBMITTED
    rating = services.act(rating, "approve", township, "已核实")
    rating = services.act(rating, "accept", world.office, "验收通过")
    assert rating.status == RatingStatus.ACCEPTED and rating.accepted_at and rating.title == Title.PASS
    comments = list(RatingStep.objects.filter(rating=rating).values_list("stage", "action", "comment"))
    assert comments[0] == ("self", "submit", "自荐材料齐全")
    assert ("county", "return", "请乡镇再核实") in comments and comments[-1] == (
        "county",
        "accept",
        "验收通过",
    )
    assert rating.scores.get(pk=last.pk).self_score == Decimal("8.50")
    assert AuditEntry.objects.filter(action="stars.rating.accept", object_id=str(rating.pk)).exists()
    with pytest.raises(DomainError, match="final"):
        services.act(rating, "return", world.office, "x")


def test_ten_aspects_at_nine_or_more_make_a_ten_star_community(world):
    admin = _community_admin(world)
    rating = services.open_rating(world.campaign, world.community_a, 2026, world.office)
    rating = _score_all(rating, admin, [9] * 10)
    assert (rating.stars, rating.total) == (10, Decimal("90"))
    rating = services.act(rating, "submit", admin)
    rating = services.act(rating, "approve", world.unit_admin_a)
    rating = services.act(rating, "accept", world.office)
    assert rating.title == Title.TOP


def test_it_refuses_bad_scores_incomplete_submissions_and_returns_without_a_reason(world):
    admin = _community_admin(world)
    rating = services.open_rating(world.campaign, world.community_a, 2026, world.office)
    aspect_id = rating.scores.first().aspect_id
    for bad in ("11", "-1", "abc"):
        with pytest.raises(DomainError):
            services.save_scores(rating, [services.ScoreInput(aspect_id, bad)], admin)
    with pytest.raises(DomainError, match="Score every aspect"):
        services.act(rating, "submit", admin)
    rating = _score_all(rating, admin, [9] * 10)
    rating = services.act(rating, "submit", admin)
    with pytest.raises(DomainError, match="Say why"):
        services.act(rating, "return", world.office, "  ")
    assert Rating.objects.get(pk=rating.pk).status == RatingStatus.SUBMITTED


def test_one_rating_per_community_and_year_and_only_for_communities(world):
    first = services.open_rating(world.campaign, world.community_a, 2026, world.office)
    again = services.open_rating(world.campaign, world.community_a, 2026, world.liaison_a)
    assert first.pk == again.pk and Rating.objects.count() == 1
    with pytest.raises(DomainError, match="communities"):
        services.open_rating(world.campaign, world.street_a, 2026, world.office)


def test_a_stale_version_is_a_conflict_and_changes_nothing(world):
    admin, liaison = _community_admin(world), _community_liaison(world)
    rating = services.open_rating(world.campaign, world.community_a, 2026, world.office)
    shown = rating.version
    rating = _score_all(rating, admin, [9] * 10, version=shown)
    with pytest.raises(ConflictError):
        _score_all(rating, liaison, [1] * 10, version=shown)
    with pytest.raises(ConflictError):
        services.act(rating, "submit", liaison, version=shown)
    stored = Rating.objects.get(pk=rating.pk)
    assert stored.status == RatingStatus.DRAFT and stored.stars == 10


def test_evidence_is_checked_by_content_and_a_refused_file_keeps_nothing(world, settings):
    liaison = _community_liaison(world)
    rating = services.open_rating(world.campaign, world.community_a, 2026, world.office)
    aspect_id = rating.scores.first().aspect_id
    with pytest.raises(DomainError):
        services.add_evidence(
            rating,
            aspect_id,
            [upload("ok.jpg"), upload("fake.jpg", b"MZ not a photo at all")],
            liaison,
        )
    assert not Evidence.objects.exists()
    made = services.add_evidence(rating, aspect_id, [upload("ok.jpg", jpeg((1, 2, 3)))], liaison)
    assert made[0].kind == "photo" and made[0].display
    with pytest.raises(PermissionError):
        services.add_evidence(rating, aspect_id, [upload()], world.liaison_b)


def test_the_rating_page_drives_the_workflow_and_a_sibling_sees_nothing(world):
    made = star_rating(world)
    rating = made.rating
    liaison = _signed_in(_community_liaison(world))
    page = liaison.get(reverse("stars:rating", args=[rating.pk]))
    assert page.status_code == 200 and page.context["may_score"]
    data = {"version": rating.version}
    for score in rating.scores.all():
        data[f"score_{score.aspect_id}"] = "9.5"
        data[f"comment_{score.aspect_id}"] = "达标"
    assert liaison.post(reverse("stars:rating_scores", args=[rating.pk]), data).status_code == 302
    rating.refresh_from_db()
    assert rating.stars == 10
    liaison.post(
        reverse("stars:rating_action", args=[rating.pk]), {"action": "submit", "version": rating.version}
    )
    rating.refresh_from_db()
    assert rating.status == RatingStatus.SUBMITTED
    assert world.client("liaison_b").get(reverse("stars:rating", args=[rating.pk])).status_code == 404
    assert (
        world.client("liaison_b").get(reverse("stars:evidence", args=[made.evidence.pk])).status_code == 404
    )


def test_the_office_lists_communities_by_title_and_exports_them(world):
    admin = _community_admin(world)
    rating = services.open_rating(world.campaign, world.community_a, 2026, world.office)
    rating = _score_all(rating, admin, [9] * 10)
    rating = services.act(rating, "submit", admin)
    rating = services.act(rating, "approve", world.unit_admin_a)
    services.act(rating, "accept", world.office)
    other = services.open_rating(world.campaign, world.community_b, 2026, world.office)
    _score_all(other, make_user("community_admin_b", world.community_b, Role.UNIT_ADMIN), [5] * 10)
    office = world.client("office")
    page = office.get(reverse("stars:list"), {"year": 2026, "title": "top"})
    assert [r.unit for r in page.context["page"]] == [world.community_a]
    response = office.get(reverse("stars:export"), {"year": 2026})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Community" and rows[1][0] == world.community_a.name and rows[1][-2] == 10


def test_the_api_scores_submits_and_answers_409_to_a_stale_action(world):
    client = _signed_in(_community_liaison(world))
    opened = client.post(
        "/api/stars/ratings",
        json.dumps({"unit_id": world.community_a.pk, "year": 2026}),
        content_type="application/json",
    ).json()
    detail = client.get(f"/api/stars/ratings/{opened['id']}").json()
    scores = [{"aspect_id": s["aspect_id"], "score": "9", "comment": ""} for s in detail["scores"]]
    saved = client.put(
        f"/api/stars/ratings/{opened['id']}/scores",
        json.dumps({"version": detail["version"], "scores": scores}),
        content_type="application/json",
    )
    assert saved.status_code == 200 and saved.json()["stars"] == 10
    stale = client.post(
        f"/api/stars/ratings/{opened['id']}/actions",
        json.dumps({"action": "submit", "version": detail["version"]}),
        content_type="application/json",
    )
    assert stale.status_code == 409
    done = client.post(
        f"/api/stars/ratings/{opened['id']}/actions",
        json.dumps({"action": "submit", "version": saved.json()["version"]}),
        content_type="application/json",
    )
    assert done.json()["status"] == "submitted"


def test_the_office_changes_aspects_and_thresholds(world):
    names = [*DEFAULT_ASPECTS[:8], "志愿服务"]
    services.save_setup(world.campaign, "8.5", 9, 6, [services.AspectInput(n) for n in names], world.office)
    scheme, aspects = services.setup_for(world.campaign)
    assert [a.name for a in aspects] == names and scheme.star_threshold == Decimal("8.50")
    with pytest.raises(DomainError):
        services.save_setup(
            world.campaign, "9", 12, 7, [services.AspectInput(n) for n in names], world.office
        )
    rating = services.open_rating(world.campaign, world.community_a, 2026, world.office)
    assert rating.scores.count() == 9


def test_evidence_sent_again_under_one_idempotency_key_is_stored_once(world):
    import base64

    from chuangwen.stars.models import Evidence
    from chuangwen.stars.tests.fixtures import jpeg

    client = world.client("liaison_a")
    opened = client.post(
        "/api/stars/ratings",
        json.dumps({"unit_id": world.community_a.pk, "year": 2026}),
        content_type="application/json",
    ).json()
    aspect_id = client.get(f"/api/stars/ratings/{opened['id']}").json()["scores"][0]["aspect_id"]
    body = json.dumps(
        {
            "aspect_id": aspect_id,
            "files": [{"name": "活动.jpg", "content": base64.b64encode(jpeg()).decode()}],
        }
    )
    url = f"/api/stars/ratings/{opened['id']}/evidence"
    # The self-assessment's evidence is the community's own (issue 24): its liaison sends it.
    client = Client()
    client.force_login(community_liaison(world))
    answers = [
        client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="phone-1")
        for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert Evidence.objects.filter(score__rating_id=opened["id"]).count() == 1
    client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="phone-2")
    assert Evidence.objects.filter(score__rating_id=opened["id"]).count() == 2


def test_the_evidence_form_sent_twice_stores_its_files_once(world):
    from chuangwen.stars.models import Evidence
    from chuangwen.stars.tests.fixtures import upload

    rating = star_rating(world).rating
    liaison = Client()
    liaison.force_login(community_liaison(world))
    page = liaison.get(reverse("stars:rating", args=[rating.pk]))
    key = page.context["upload_key"]
    assert f'name="idempotency_key" value="{key}"' in page.content.decode()
    aspect_id = rating.scores.order_by("aspect__seq").last().aspect_id
    before = Evidence.objects.filter(score__rating=rating).count()
    for _ in range(2):
        response = liaison.post(
            reverse("stars:rating_evidence", args=[rating.pk]),
            {"aspect": aspect_id, "files": [upload("新照片.jpg")], "idempotency_key": key},
        )
        assert response.status_code == 302
    assert Evidence.objects.filter(score__rating=rating).count() == before + 1
