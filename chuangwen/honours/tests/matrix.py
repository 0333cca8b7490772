"""Routes of honours. The honour and the nomination are community A's; the selection is the
district campaign's (visible to all below it). Writes carry invalid data: an allowed role is
answered with the page's redirect."""

from chuangwen.honours.tests.fixtures import honours
from chuangwen.tests.matrix import api, page

READERS = {"office": 200, "leader": 200, "liaison_a": 200, "liaison_b": 200, "unit_admin_a": 200}
A_READERS = {**READERS, "liaison_b": 404}
H = lambda w: {"pk": honours(w).honour.pk}  # noqa: E731
S = lambda w: {"pk": honours(w).selection.pk}  # noqa: E731

ROUTES = [
    page("honours:list", default=403, **READERS),
    page("honours:new", method="POST", data=lambda w: {}, default=403, office=302),
    page("honours:detail", kwargs=H, default=403, **A_READERS),
    page("honours:selections", default=403, **READERS),
    page("honours:selection", kwargs=S, default=403, **READERS),
    page(
        "honours:nominate",
        kwargs=S,
        method="POST",
        data=lambda w: {},
        default=403,
        office=302,
        liaison_a=302,
        liaison_b=302,
        unit_admin_a=302,
    ),
    page(
        "honours:selection_action",
        kwargs=S,
        method="POST",
        data=lambda w: {"action": "x"},
        default=403,
        office=302,
    ),
    page(
        "honours:photo",
        kwargs=lambda w: {"pk": honours(w).nomination.photos.first().pk},
        default=403,
        **A_READERS,
    ),
    page("honours:public_notice", default=200, anonymous=200),
    api("GET", "/api/honours/honours", default=403, **READERS),
    api(
        "GET",
        "/api/honours/selections/{selection_id}/nominations",
        kwargs=lambda w: {"selection_id": honours(w).selection.pk},
        default=403,
        **READERS,
    ),
]
