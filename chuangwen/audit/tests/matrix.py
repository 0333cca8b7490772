from chuangwen.tests.matrix import api, page

ROUTES = [
    page("audit:list", default=403, office=200),
    api("GET", "/api/audit/entries", default=403, office=200),
]
