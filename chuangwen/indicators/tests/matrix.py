from chuangwen.indicators.tests.fixtures import system_of
from chuangwen.tests.matrix import api, page

SYSTEM = lambda w: {"system_id": system_of(w).pk}  # noqa: E731
INDICATOR = lambda w: {"indicator_id": (system_of(w), w.indicator)[1].pk}  # noqa: E731

ROUTES = [
    page("indicators:tree"),
    page("indicators:import", default=403, office=200),
    page("indicators:import_template", default=403, office=200),
    api("GET", "/api/indicators/systems"),
    api("GET", "/api/indicators/systems/{system_id}", kwargs=SYSTEM),
    api("GET", "/api/indicators/systems/{system_id}/indicators", kwargs=SYSTEM),
    api("GET", "/api/indicators/{indicator_id}", kwargs=INDICATOR),
]
