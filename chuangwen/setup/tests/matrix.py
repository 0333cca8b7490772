from chuangwen.tests.matrix import OFFICE_ONLY, page

ROUTES = [
    page("setup:index", default=403, **OFFICE_ONLY),
    # Loading nothing is a no-op that goes back to the page.
    page("setup:save", method="POST", default=403, kwargs=lambda w: {"step": "catalogues"}, office=302),
]
