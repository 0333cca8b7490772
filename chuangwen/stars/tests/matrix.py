"""Routes of star ratings. The rating is community A's (below street A), still in self-assessment.
Writes carry version -1: a role allowed to act gets the conflict answer (302 back to the page, or
409), so the walk never moves the rating."""

from chuangwen.stars.tests.fixtures import star_rating
from chuangwen.tests.matrix import api, page

READERS = {"office": 200, "leader": 200, "liaison_a": 200, "liaison_b": 200, "unit_admin_a": 200}
A_ONLY = {"office": 200, "leader": 200, "liaison_a": 200, "unit_admin_a": 200, "liaison_b": 404}
R = lambda w: {"pk": star_rating(w).rating.pk}  # noqa: E731
R_API = lambda w: {"rating_id": star_rating(w).rating.pk}  # noqa: E731
STALE = lambda w: {"version": -1}  # noqa: E731
# Filling is for community A's own liaison and admin only (社区自荐): the street above it and the
# office read but may not fill it (test_rules proves the community's own people can).
FILLERS_PAGE = {"office": 403, "liaison_a": 403, "unit_admin_a": 403, "leader": 403, "liaison_b": 404}
FILLERS_API = {"office": 403, "liaison_a": 403, "unit_admin_a": 403, "leader": 403, "liaison_b": 404}
ASPECTS = [
    "创建理念",
    "办公设施",
    "班子团结",
    "居民自治",
    "民间组织",
    "社区服务",
    "实事工程",
    "主题活动",
    "文明祥和",
    "管理良好",
]

ROUTES = [
    page("stars:list", default=403, **READERS),
    page("stars:setup", default=403, office=200),
    page(
        "stars:open",
        method="POST",
        default=403,
        data=lambda w: {"unit": w.community_a.pk, "year": star_rating(w).rating.year},
        office=302,
        leader=302,
        liaison_a=302,
        liaison_b=302,
        unit_admin_a=302,
    ),
    page("stars:export", default=403, office=200, leader=200),
    page("stars:rating", kwargs=R, default=403, **A_ONLY),
    page("stars:rating_scores", kwargs=R, method="POST", data=STALE, **FILLERS_PAGE, default=403),
    page("stars:rating_evidence", kwargs=R, method="POST", **FILLERS_PAGE, default=403),
    page(
        "stars:rating_action",
        kwargs=R,
        method="POST",
        data=lambda w: {"version": -1, "action": "submit"},
        **FILLERS_PAGE,
        default=403,
    ),
    page("stars:evidence", kwargs=lambda w: {"pk": star_rating(w).evidence.pk}, default=403, **A_ONLY),
    api("GET", "/api/stars/setup", default=403, **READERS),
    api(
        "PUT",
        "/api/stars/setup",
        default=403,
        data=lambda w: {
            "star_threshold": "9",
            "top_stars": 10,
            "pass_stars": 7,
            "aspects": [{"name": n} for n in ASPECTS],
        },
        office=200,
    ),
    api("GET", "/api/stars/ratings", default=403, **READERS),
    api(
        "POST",
        "/api/stars/ratings",
        default=403,
        data=lambda w: {"unit_id": w.community_a.pk, "year": star_rating(w).rating.year},
        office=200,
        liaison_a=200,
        unit_admin_a=200,
        leader=403,
        liaison_b=404,
    ),
    api("GET", "/api/stars/ratings/{rating_id}", kwargs=R_API, default=403, **A_ONLY),
    api(
        "PUT",
        "/api/stars/ratings/{rating_id}/scores",
        kwargs=R_API,
        data=lambda w: {"version": -1, "scores": []},
        default=403,
        **FILLERS_API,
    ),
    api(
        "POST",
        "/api/stars/ratings/{rating_id}/evidence",
        kwargs=R_API,
        data=lambda w: {"aspect_id": 0, "files": []},
        default=403,
        **FILLERS_API,
    ),
    api(
        "POST",
        "/api/stars/ratings/{rating_id}/actions",
        kwargs=R_API,
        data=lambda w: {"version": -1, "action": "submit"},
        default=403,
        **FILLERS_API,
    ),
]
