"""Routes of exposure. The list is the district campaign's (a draft only for office and leader;
units see it once published); the exposure is street A's problem's."""

from chuangwen.exposure.tests.fixtures import exposure_world
from chuangwen.tests.matrix import page

READERS = {"office": 200, "leader": 200, "liaison_a": 200, "liaison_b": 200, "unit_admin_a": 200}
R = lambda w: {"pk": exposure_world(w).roll.pk}  # noqa: E731
X = lambda w: {"pk": exposure_world(w).exposure.pk}  # noqa: E731

ROUTES = [
    page("exposure:rolls", default=403, **READERS),
    page("exposure:roll_propose", method="POST", data=lambda w: {}, default=403, office=302),
    # A draft: units get 404 (not published yet), office and leader see it.
    page(
        "exposure:roll",
        kwargs=R,
        default=403,
        office=200,
        leader=200,
        liaison_a=404,
        liaison_b=404,
        unit_admin_a=404,
    ),
    page(
        "exposure:roll_action",
        kwargs=R,
        method="POST",
        data=lambda w: {"action": "x"},
        default=403,
        office=302,
    ),
    page("exposure:board", default=403, office=200, leader=200),
    page("exposure:expose", method="POST", data=lambda w: {}, default=403, office=404),
    page(
        "exposure:exposure_action",
        kwargs=X,
        method="POST",
        data=lambda w: {"action": "x"},
        default=403,
        office=302,
    ),
    page("exposure:public_rolls", default=200, anonymous=200),
    page("exposure:public_board", default=200, anonymous=200),
    page(
        "exposure:public_photo",
        kwargs=lambda w: {"pk": exposure_world(w).exposure.pk, "which": "before"},
        default=200,
        anonymous=200,
    ),
]
