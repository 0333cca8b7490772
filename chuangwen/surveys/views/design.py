"""Pages for designing questionnaires: list, create, edit, status, XLSForm import/export,
question scoring and grade bands."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangwen.accounts.permissions import MANAGE_SURVEYS, SURVEY_USERS, has_any_role, role_required
from chuangwen.accounts.scope import get_scoped_or_404, scoped
from chuangwen.core.errors import DomainError
from chuangwen.core.xlsx import xlsx_response
from chuangwen.surveys import services
from chuangwen.surveys.forms import BandFormSet, QuestionForm, QuestionnaireForm, UploadForm
from chuangwen.surveys.models import Question, Questionnaire, QuestionnaireStatus, Round
from chuangwen.surveys.spec import BandSpec
from chuangwen.surveys.standard import TEMPLATES
from chuangwen.surveys.xlsform import parse_xlsform
from chuangwen.surveys.xlsform_write import design_of, write_xlsform


@role_required(*SURVEY_USERS)
def index(request: HttpRequest) -> HttpResponse:
    """Questionnaires of the campaigns in reach, each with its rounds."""
    questionnaires = list(
        scoped(Questionnaire.objects.select_related("campaign"), request.user).order_by(
            "-campaign__year", "name"
        )
    )
    rounds = scoped(Round.objects.filter(questionnaire__in=questionnaires), request.user).order_by("-id")
    by_questionnaire: dict[int, list[Round]] = {}
    for round_ in rounds:
        by_questionnaire.setdefault(round_.questionnaire_id, []).append(round_)
    for questionnaire in questionnaires:
        questionnaire.round_list = by_questionnaire.get(questionnaire.pk, [])
    return render(
        request,
        "surveys/index.html",
        {"questionnaires": questionnaires, "can_manage": has_any_role(request.user, MANAGE_SURVEYS)},
    )


@role_required(*MANAGE_SURVEYS)
def questionnaire_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    questionnaire = get_scoped_or_404(Questionnaire.objects.all(), request.user, pk=pk) if pk else None
    form = QuestionnaireForm(request.POST or None, instance=questionnaire, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if questionnaire is None:
            saved = services.create_questionnaire(
                request.user,
                data["campaign"],
                data["name"],
                data["audience"],
                threshold=data["threshold"],
                intro=data["intro"],
                design=TEMPLATES[data["template"]]() if data.get("template") in TEMPLATES else None,
                request=request,
            )
        else:
            saved = services.update_questionnaire(questionnaire, data, request.user, request=request)
        messages.success(request, _("Saved."))
        return redirect("surveys:questionnaire", pk=saved.pk)
    return render(request, "surveys/questionnaire_form.html", {"form": form, "questionnaire": questionnaire})


@role_required(*SURVEY_USERS)
def questionnaire_detail(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = get_scoped_or_404(Questionnaire.objects.select_related("campaign"), request.user, pk=pk)
    questions = questionnaire.questions.select_related("section", "indicator").prefetch_related("options")
    return render(
        request,
        "surveys/questionnaire_detail.html",
        {
            "questionnaire": questionnaire,
            "questions": questions,
            "bands": questionnaire.bands.all(),
            "rounds": scoped(questionnaire.rounds.all(), request.user),
            "can_manage": has_any_role(request.user, MANAGE_SURVEYS),
            "statuses": QuestionnaireStatus,
        },
    )


@require_POST
@role_required(*MANAGE_SURVEYS)
def questionnaire_status(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = get_scoped_or_404(Questionnaire.objects.all(), request.user, pk=pk)
    try:
        services.set_questionnaire_status(
            questionnaire, request.POST.get("status", ""), request.user, request=request
        )
        messages.success(request, _("Status changed."))
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("surveys:questionnaire", pk=pk)


@role_required(*MANAGE_SURVEYS)
def questionnaire_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload an XLSForm: checked (dry run) unless “write it” is ticked; writes all or nothing."""
    questionnaire = get_scoped_or_404(Questionnaire.objects.all(), request.user, pk=pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = parse_xlsform(form.cleaned_data["file"].read())
        if result.ok and form.cleaned_data["commit"]:
            try:
                services.replace_design(questionnaire, result.design, request.user, request=request)
            except DomainError as exc:
                result.errors.append(str(exc))
            else:
                messages.success(
                    request, _("Imported %(n)d questions.") % {"n": len(result.design.questions)}
                )
                return redirect("surveys:questionnaire", pk=pk)
    return render(
        request,
        "surveys/questionnaire_import.html",
        {"questionnaire": questionnaire, "form": form, "result": result},
    )


@role_required(*MANAGE_SURVEYS)
def questionnaire_export(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = get_scoped_or_404(Questionnaire.objects.all(), request.user, pk=pk)
    return xlsx_response(write_xlsform(design_of(questionnaire)), f"{questionnaire.name}.xlsx")


@role_required(*MANAGE_SURVEYS)
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_scoped_or_404(Question.objects.select_related("questionnaire"), request.user, pk=pk)
    form = QuestionForm(request.POST or None, instance=Question.objects.get(pk=question.pk))
    if request.method == "POST" and form.is_valid():
        data = {key: form.cleaned_data[key] for key in form.Meta.fields if key in form.cleaned_data}
        try:
            services.update_question(question, data, form.option_values(), request.user, request=request)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved; the rates now use the new values."))
            return redirect("surveys:questionnaire", pk=question.questionnaire_id)
    return render(request, "surveys/question_form.html", {"form": form, "question": question})


@role_required(*MANAGE_SURVEYS)
def bands_edit(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = get_scoped_or_404(Questionnaire.objects.all(), request.user, pk=pk)
    initial = [{"measure": b.measure, "grade": b.grade, "lower": b.lower} for b in questionnaire.bands.all()]
    formset = BandFormSet(request.POST or None, initial=initial)
    if request.method == "POST" and formset.is_valid():
        bands = [
            BandSpec(
                f.cleaned_data["grade"].strip(),
                f.cleaned_data.get("lower"),
                f.cleaned_data.get("measure", ""),
            )
            for f in formset.forms
            if f.cleaned_data and f.cleaned_data.get("grade") and not f.cleaned_data.get("DELETE")
        ]
        try:
            services.set_bands(questionnaire, bands, request.user, request=request)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect("surveys:questionnaire", pk=pk)
    return render(request, "surveys/bands_form.html", {"formset": formset, "questionnaire": questionnaire})


@role_required(*MANAGE_SURVEYS)
def questionnaire_import_template(request: HttpRequest, pk: int) -> HttpResponse:
    """A small XLSForm to start from, with 填写说明 (a questionnaire's own export is the other)."""
    from chuangwen.core.import_template import template_response
    from chuangwen.surveys.import_template import xlsform_template

    get_scoped_or_404(Questionnaire.objects.all(), request.user, pk=pk)
    return template_response(xlsform_template(), "问卷XLSForm模板.xlsx")
