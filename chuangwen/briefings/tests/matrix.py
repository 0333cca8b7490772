"""Every reports page, as each role (see chuangwen/tests/matrix.py).

The reports hold every unit's figures: the office and leaders read and download them; the
office generates and sets the schedule (sent invalid: 302 back to the list); everyone else 403.
"""

from chuangwen.briefings.tests.factories import matrix_briefing
from chuangwen.tests.matrix import page

B = lambda w: {"pk": matrix_briefing(w).pk, "fmt": "docx"}  # noqa: E731

ROUTES = [
    page("briefings:index", default=403, office=200, leader=200),
    page("briefings:download", kwargs=B, default=403, office=200, leader=200),
    page("briefings:generate", method="POST", default=403, office=302),
    page("briefings:schedule", method="POST", default=403, office=302),
]
