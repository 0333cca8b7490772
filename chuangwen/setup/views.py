"""The setup page: the same steps as `chuangwen setup`, for the office in the browser."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangwen.accounts.permissions import MANAGE_CAMPAIGN, role_required
from chuangwen.core.errors import DomainError
from chuangwen.setup import services
from chuangwen.setup.forms import AdminForm, CampaignSetupForm, CataloguesForm, RootForm

FORMS = {"root": RootForm, "admin": AdminForm, "campaign": CampaignSetupForm, "catalogues": CataloguesForm}


def _page(request: HttpRequest, step: str, form=None, **extra) -> HttpResponse:
    steps = services.steps()
    if form is None and step in FORMS:
        form = FORMS[step]()
    return render(
        request,
        "setup/index.html",
        {
            "steps": steps,
            "step": step,
            "form": form,
            "all_done": all(s.done for s in steps),
            "gaps": services.gaps(),
            "root": services.root_unit(),
            "admins": services.office_admins(),
            "user_is_admin": request.user in services.office_admins(),
            **extra,
        },
    )


@role_required(*MANAGE_CAMPAIGN)
def index(request: HttpRequest) -> HttpResponse:
    keys = [s.key for s in services.steps()]
    wanted = request.GET.get("step", "")
    step = wanted if wanted in keys else (services.next_step() or "done")
    return _page(request, step)


@require_POST
@role_required(*MANAGE_CAMPAIGN)
def save(request: HttpRequest, step: str) -> HttpResponse:
    """Write one step and go on to the next that is not done (or back with the errors)."""
    user = request.user
    form = FORMS[step](request.POST) if step in FORMS else None
    if form is not None and not form.is_valid():
        return _page(request, step, form)
    data = form.cleaned_data if form is not None else {}
    try:
        if step == "root":
            root, _office = services.create_root(
                user,
                name=data["name"],
                code=data["code"],
                kind=data["kind"],
                office_name=data["office_name"],
                request=request,
            )
            messages.success(request, _("Root unit %(name)s created.") % {"name": root.name})
        elif step == "admin_me":
            services.make_office_admin(user, request=request)
            messages.success(request, _("You are the office admin."))
        elif step == "admin":
            admin, password = services.create_office_admin(
                user,
                username=data["username"],
                display_name=data["display_name"],
                phone=data["phone"],
                password=data["password"],
                request=request,
            )
            messages.success(
                request,
                _("Login %(name)s created. Initial password (shown once): %(password)s")
                % {"name": admin.username, "password": password},
            )
        elif step == "campaign":
            campaign = services.create_campaign(
                user,
                name=data["name"],
                level=data["level"],
                year=data["year"],
                inspection_start=data["inspection_start"],
                inspection_end=data["inspection_end"],
                phases=data["phases"],
                request=request,
            )
            messages.success(request, _("Campaign %(name)s created.") % {"name": campaign.name})
        elif step == "catalogues":
            services.load_catalogues(user, tuple(data["load"]), request=request)
            messages.success(request, _("Catalogues loaded."))
        else:
            return redirect("setup:index")
    except DomainError as exc:
        if form is None:
            messages.error(request, str(exc))
            return redirect("setup:index")
        form.add_error(None, str(exc))
        return _page(request, step, form)
    return redirect("setup:index")
