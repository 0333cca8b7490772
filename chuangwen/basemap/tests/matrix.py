"""The base-map route, as each role (see chuangwen/tests/matrix.py): every signed-in user gets
the GeoJSON of the territory it may see (scoped, so never a 403); anonymous visitors sign in."""

from chuangwen.tests.matrix import page

ROUTES = [
    page("basemap:territory"),
]
