"""The REST API (django-ninja): one router per app, OpenAPI 3 at /api/docs (assets served locally).

Every route authenticates with the session (CSRF-checked for writes) and fetches through
the scoping helper, like the pages do.
"""

from __future__ import annotations

import logging

from django.db import DataError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.security import django_auth
from pydantic import ValidationError as PydanticValidationError

from chuangwen.accounts.api import router as accounts_router
from chuangwen.assessments.api import router as assessments_router
from chuangwen.audit.api import router as audit_router
from chuangwen.bulletins.api import router as bulletins_router
from chuangwen.campaigns.api import router as campaigns_router
from chuangwen.core import storage
from chuangwen.core.errors import DomainError
from chuangwen.dashboard.api import router as dashboard_router
from chuangwen.indicators.api import router as indicators_router
from chuangwen.inspections.api import router as inspections_router
from chuangwen.materials.api import router as materials_router
from chuangwen.notifications.api import router as notifications_router
from chuangwen.org.api import router as org_router
from chuangwen.points.api import router as points_router
from chuangwen.problems.api import router as problems_router
from chuangwen.scoring.api import router as scoring_router
from chuangwen.stars.api import router as stars_router
from chuangwen.surveys.api import router as surveys_router
from chuangwen.tasks.api import router as tasks_router
from chuangwen.volunteers.api import router as volunteers_router

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="Chuangwen API",
    version="1",
    description="创文平台接口：单位、人员、创建周期、审计日志……",
    auth=django_auth,
    urls_namespace="api",
)


@api.exception_handler(PermissionError)
def _forbidden(request: HttpRequest, exc: PermissionError):
    return api.create_response(request, {"detail": str(exc) or "forbidden"}, status=403)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status)


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def _out_of_range(request: HttpRequest, exc: Exception):
    """A number no column can hold (an id of 30 digits) fails in the database driver: that is
    the caller's mistake, not the server's. Logged, so that a DataError of our own making still
    shows in the logs."""
    logger.warning("API %s %s: out of range: %s", request.method, request.path, exc)
    return api.create_response(request, {"detail": _("A number in the request is out of range.")}, status=400)


@api.exception_handler(PydanticValidationError)
def _response_out_of_range(request: HttpRequest, exc: PydanticValidationError):
    """A list route returns its queryset unevaluated; the driver's overflow on a huge id in a
    filter (`?questionnaire_id=9223372036854775808`) then surfaces while the answer is
    serialised, wrapped in pydantic's error. The same caller's mistake: 400. Anything else
    wrapped there is a bug of ours and stays a 500."""
    causes = " ".join(str(error.get("msg", "")) for error in exc.errors())
    if "OverflowError" in causes or "DataError" in causes:
        return _out_of_range(request, exc)
    raise exc


@api.exception_handler(storage.FileMissing)
def _file_missing(request: HttpRequest, exc: storage.FileMissing):
    return api.create_response(request, {"detail": exc.message}, status=404)


def _storage_failed(request: HttpRequest, exc: Exception):
    """botocore's own errors, from a write not (yet) going through chuangwen.core.storage: 503
    with the Chinese message (a StorageUnavailable is a DomainError with status 503)."""
    logger.error("API %s %s: storage failed: %r", request.method, request.path, exc)
    return api.create_response(request, {"detail": str(storage.UNAVAILABLE)}, status=503)


try:
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:  # local storage only
    pass
else:
    api.add_exception_handler(BotoCoreError, _storage_failed)
    api.add_exception_handler(ClientError, _storage_failed)

api.add_router("/org/", org_router)
api.add_router("/campaigns/", campaigns_router)
api.add_router("/indicators/", indicators_router)
api.add_router("/tasks/", tasks_router)
api.add_router("/notifications/", notifications_router)
api.add_router("/points/", points_router)
api.add_router("/inspections/", inspections_router)
api.add_router("/surveys/", surveys_router)
api.add_router("/problems/", problems_router)
api.add_router("/audit/", audit_router)
api.add_router("/accounts/", accounts_router)
api.add_router("/materials/", materials_router)
api.add_router("/scoring/", scoring_router)
api.add_router("/assessments/", assessments_router)
api.add_router("/stars/", stars_router)
api.add_router("/dashboard/", dashboard_router)
api.add_router("/bulletins/", bulletins_router)
from chuangwen.placements.api import router as placements_router  # noqa: E402
from chuangwen.shops.api import router as shops_router  # noqa: E402

api.add_router("/shops/", shops_router)
api.add_router("/placements/", placements_router)
from chuangwen.honours.api import router as honours_router  # noqa: E402

api.add_router("/honours/", honours_router)

from chuangwen.meetings.api import router as meetings_router  # noqa: E402

api.add_router("/meetings/", meetings_router)

from chuangwen.ledger.api import router as ledger_router  # noqa: E402

api.add_router("/ledger/", ledger_router)

api.add_router("/volunteers/", volunteers_router)
