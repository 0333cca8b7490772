"""The frontage register: problems at a shop, the repeated-problem rule, pledges, the road walk,
masking of contacts and the public exposure list."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from django.urls import reverse

from chuangwen.problems import services as problem_services
from chuangwen.problems.models import Problem, Source
from chuangwen.problems.tests.factories import category
from chuangwen.shops import services
from chuangwen.shops.models import Notice, Shop, ShopPhoto
from chuangwen.shops.tests.fixtures import make_shop, places, road_of_a, upload

pytestmark = pytest.mark.django_db


def test_a_problem_filed_at_a_shop_goes_to_its_grid_unit_and_is_linked(world):
    shop = make_shop(world)
    problem = services.report_at_shop(shop, world.inspector, category=category(), description="店外摆摊")
    problem.refresh_from_db()
    assert problem.shop_id == shop.pk
    assert problem.unit_id == world.community_a.pk  # the grid's unit is the shop's 包保 unit
    assert (problem.lat, problem.lng) == (shop.lat, shop.lng)


def test_a_retry_with_the_same_key_files_the_problem_once(world):
    shop = make_shop(world)
    first = services.report_at_shop(
        shop, world.office, category=category(), description="a", idempotency_key="k1"
    )
    again = services.report_at_shop(
        shop, world.office, category=category(), description="a", idempotency_key="k1"
    )
    assert first.pk == again.pk
    assert Problem.objects.filter(shop=shop).count() == 1


def test_a_problem_reported_right_at_a_shop_is_linked_by_its_position(
    world, django_capture_on_commit_callbacks
):
    shop = make_shop(world)
    make_shop(world, name="远处的店", lng=120.015)
    with django_capture_on_commit_callbacks(execute=True):
        problem = problem_services.report(
            world.inspector,
            category=category(),
            description="门前乱堆",
            source=Source.INSPECTION,
            lat=30.0001,
            lng=120.00505,  # about 5 m from the shop
            unit=world.street_a,
        )
    problem.refresh_from_db()
    assert problem.shop_id == shop.pk


def test_a_problem_far_from_every_shop_is_not_linked(world, django_capture_on_commit_callbacks):
    make_shop(world)
    with django_capture_on_commit_callbacks(execute=True):
        problem = problem_services.report(
            world.inspector,
            category=category(),
            description="路中间",
            source=Source.INSPECTION,
            lat=30.001,
            lng=120.005,  # about 100 m away
            unit=world.street_a,
        )
    problem.refresh_from_db()
    assert problem.shop_id is None


def test_repeated_problems_raise_a_notice_then_put_the_shop_on_the_public_exposure_list(world):
    services.save_rules(world.campaign, 2, 90, 2, False, world.office)
    shop = make_shop(world)
    for n in range(3):
        services.report_at_shop(shop, world.office, category=category(), description=f"第{n}次")
    assert Notice.objects.filter(shop=shop).count() == 1  # two problems raised it; the third waits
    shop.refresh_from_db()
    assert shop.exposed_at is None
    services.report_at_shop(shop, world.office, category=category(), description="第4次")
    notices = list(Notice.objects.filter(shop=shop).order_by("issued_at", "id"))
    assert len(notices) == 2
    assert len(notices[0].problem_ids) == 2 and set(notices[0].problem_ids).isdisjoint(notices[1].problem_ids)
    shop.refresh_from_db()
    assert shop.exposed_at is not None
    page = world.client("anonymous").get(reverse("shops:exposure"))
    assert page.status_code == 200
    assert shop.name in page.content.decode()
    assert "13912345678" not in page.content.decode()
    # The notice is a Word document listing the problems.
    response = world.client("liaison_a").get(reverse("shops:notice", args=[notices[0].pk]))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert notices[0].number in text and "第0次" in text
    # The office lifts the exposure once the frontage is in order.
    services.lift_exposure(shop, world.office)
    assert shop.name not in world.client("anonymous").get(reverse("shops:exposure")).content.decode()


def test_the_pledge_is_numbered_once_per_shop_and_names_the_shop_and_its_duties(world):
    first, second = make_shop(world), make_shop(world, name="第二家店", lng=120.01)
    client = world.client("duty_a")
    response = client.get(reverse("shops:pledge", args=[first.pk]))
    assert response.status_code == 200
    client.get(reverse("shops:pledge", args=[second.pk]))
    client.get(reverse("shops:pledge", args=[first.pk]))
    first.refresh_from_db()
    second.refresh_from_db()
    year = dt.date.today().year
    assert first.pledge_no == f"MQSB-{year}-00001"
    assert second.pledge_no == f"MQSB-{year}-00002"
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert first.name in text and first.pledge_no in text
    assert "Order" in text  # the duties (三包: 市容、环境卫生、秩序) are spelled out


def test_signing_the_pledge_stores_the_scan_and_coverage_counts_unsigned_shops(world):
    data = places(world)  # one signed shop on the road
    unsigned = make_shop(world, name="未签店", lng=120.012)
    client = world.client("duty_a")
    page = client.get(reverse("shops:coverage")).content.decode()
    assert "1 of 2 signed" in page
    response = client.post(
        reverse("shops:pledge_sign", args=[unsigned.pk]),
        {"signed_on": dt.date.today().isoformat(), "scan": upload("signed.jpg"), "version": unsigned.version},
    )
    assert response.status_code == 302
    unsigned.refresh_from_db()
    assert unsigned.pledge_signed and unsigned.pledge_no
    assert "2 of 2 signed" in client.get(reverse("shops:coverage")).content.decode()
    assert client.get(reverse("shops:pledge_scan", args=[unsigned.pk])).status_code == 200
    listed = client.get(reverse("shops:list"), {"pledge": "unsigned"}).content.decode()
    assert data.shop.name not in listed


def test_a_future_signing_date_is_refused(world):
    shop = make_shop(world)
    with pytest.raises(Exception, match="future"):
        services.sign_pledge(shop, upload(), dt.date.today() + dt.timedelta(days=2), world.office)


def test_the_road_walk_lists_shops_in_order_along_the_road(world):
    east = make_shop(world, name="东头店", lng=120.018)
    west = make_shop(world, name="西头店", lng=120.001)
    middle = make_shop(world, name="中间店", lng=120.009)
    _grid, road, _line = road_of_a(world)
    walk = world.client("duty_a").get(f"/api/shops/roads/{road.pk}/walk").json()
    assert [item["id"] for item in walk] == [west.pk, middle.pk, east.pk]
    assert walk[0]["road_position_m"] == pytest.approx(96.4, abs=1.0)  # 0.001° of longitude at 30°N
    assert any("Order" in check for check in walk[0]["checks"])
    page = world.client("duty_a").get(reverse("shops:walk", args=[road.pk])).content.decode()
    assert page.index("西头店") < page.index("中间店") < page.index("东头店")


def test_the_contact_is_masked_outside_the_office_and_the_shops_own_unit(world):
    shop = make_shop(world)
    assert world.client("office").get(f"/api/shops/shops/{shop.pk}").json()["contact_phone"] == "13912345678"
    assert world.client("duty_a").get(f"/api/shops/shops/{shop.pk}").json()["contact_phone"] == "13912345678"
    assert world.client("leader").get(f"/api/shops/shops/{shop.pk}").json()["contact_phone"] == "139****5678"
    listed = world.client("leader").get("/api/shops/shops").json()["items"]
    assert listed[0]["contact_phone"] == "139****5678"


def test_grid_staff_keep_a_shop_current_with_its_version(world):
    shop = make_shop(world)
    response = world.client("duty_a").put(
        f"/api/shops/shops/{shop.pk}",
        {"name": "新名字", "grid_id": shop.grid_id, "contact_phone": "", "version": shop.version},
        content_type="application/json",
    )
    assert response.status_code == 200
    shop.refresh_from_db()
    assert shop.name == "新名字" and shop.version == 2


def test_a_stale_edit_is_refused(world):
    shop = make_shop(world)
    response = world.client("duty_a").put(
        f"/api/shops/shops/{shop.pk}",
        {"name": "x", "grid_id": shop.grid_id, "version": shop.version - 1},
        content_type="application/json",
    )
    assert response.status_code == 409


def test_grid_staff_add_a_shop_from_the_phone_and_it_is_placed_along_the_road(world):
    grid, road, _line = road_of_a(world)
    response = world.client("duty_a").post(
        "/api/shops/shops",
        {
            "name": "新开美发店",
            "category": "small_beauty",
            "grid_id": grid.pk,
            "road_id": road.pk,
            "lat": 30.0,
            "lng": 120.01,
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["unit_id"] == world.community_a.pk
    assert body["road_position_m"] == pytest.approx(963.7, abs=2.0)
    assert "business licence not seen" in body["licence_problems"]


def test_the_sibling_street_cannot_put_a_shop_under_street_a(world):
    grid, _road, _line = road_of_a(world)
    response = world.client("liaison_b").post(
        "/api/shops/shops", {"name": "x", "grid_id": grid.pk}, content_type="application/json"
    )
    assert response.status_code == 404


def test_photos_sent_twice_with_one_key_are_stored_once(world):
    shop = make_shop(world)
    services.add_photos(shop, [upload()], world.duty_a, idempotency_key="abc")
    services.add_photos(shop, [upload()], world.duty_a, idempotency_key="abc")
    assert ShopPhoto.objects.filter(shop=shop).count() == 1


def test_six_small_trades_need_a_food_licence_when_they_sell_food(world):
    shop = make_shop(world, licence_seen=True, licence_expiry=dt.date.today() + dt.timedelta(days=30))
    assert shop.licence_problems() == ["food business licence not seen"]
    shop.food_licence_seen = True
    shop.food_licence_expiry = dt.date.today() - dt.timedelta(days=1)
    assert shop.licence_problems() == ["food business licence expired"]


def test_the_list_filters_by_grid_and_the_sibling_sees_nothing(world):
    data = places(world)
    page = world.client("duty_a").get(reverse("shops:list"), {"grid": data.grid.pk}).content.decode()
    assert data.shop.name in page
    assert data.shop.name not in world.client("liaison_b").get(reverse("shops:list")).content.decode()
    assert Shop.objects.count() == 1


def test_the_pages_speak_chinese(world, chinese):
    data = places(world)
    client = world.client("office")
    page = client.get(reverse("shops:shop", args=[data.shop.pk])).content.decode()
    assert "门前责任" in page and "小餐饮" in page and "Frontage" not in page
    walk = client.get(reverse("shops:walk", args=[data.road.pk])).content.decode()
    assert "沿路巡查" in walk and "不占道经营" in walk
    document = client.get(reverse("shops:pledge", args=[data.shop.pk])).content
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(document)).paragraphs)
    assert "门前三包责任书" in text and "秩序" in text and "pledge" not in text.lower()
    for name in ("placements:list", "placements:checks", "honours:list", "honours:selections"):
        body = client.get(reverse(name)).content.decode()
        assert "Public-welfare" not in body and "Honours" not in body and "Selections" not in body


def test_past_two_hundred_grids_the_list_filters_by_grid_code(world):
    from chuangwen.org.models import Grid

    data = places(world)
    Grid.objects.bulk_create([Grid(name=f"格{i}", code=f"X-{i}", unit=world.community_a) for i in range(201)])
    page = world.client("office").get(reverse("shops:list"), {"grid_code": data.grid.code}).content.decode()
    assert 'name="grid_code"' in page and data.shop.name in page
    other = world.client("office").get(reverse("shops:list"), {"grid_code": "X-1"}).content.decode()
    assert data.shop.name not in other
