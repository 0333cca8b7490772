"""Routes of the installable app: the worker and the manifest are public files (a browser
fetches them before and after signing in); the list of pages to keep needs a signed-in person."""

from chuangwen.tests.matrix import page

EVERYBODY = {"anonymous": 200}

ROUTES = [
    page("offline:service_worker", **EVERYBODY),
    page("offline:manifest", **EVERYBODY),
    page("offline:precache"),
]
