"""Rates of a round (by question, indicator, area, unit subtree) with charts, the rate export,
and the trend across rounds."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from chuangwen.accounts.permissions import READ_SURVEY_RESULTS, role_required
from chuangwen.accounts.scope import get_scoped_or_404, scoped
from chuangwen.campaigns.choice import chosen_campaign
from chuangwen.campaigns.models import Campaign
from chuangwen.core.xlsx import xlsx_response
from chuangwen.surveys.analysis import Analysis, Rate, trend
from chuangwen.surveys.exports import export_rates
from chuangwen.surveys.models import Measure, Round

VIEWS = ("question", "indicator", "area", "unit")


def _analysis(request: HttpRequest, pk: int) -> tuple[Round, Analysis]:
    round_ = get_scoped_or_404(Round.objects.select_related("questionnaire__campaign"), request.user, pk=pk)
    return round_, Analysis(round_.questionnaire, [round_], request.user)


def _chart(rates: list[Rate], threshold: float) -> dict:
    return {
        "labels": [r.label for r in rates],
        "rates": [r.as_dict()["rate"] for r in rates],
        "low": [r.as_dict()["low"] for r in rates],
        "high": [r.as_dict()["high"] for r in rates],
        "below": [r.below for r in rates],
        "threshold": threshold,
    }


@role_required(*READ_SURVEY_RESULTS)
def rates(request: HttpRequest, pk: int) -> HttpResponse:
    round_, analysis = _analysis(request, pk)
    view = request.GET.get("by", "question")
    view = view if view in VIEWS else "question"
    measures = analysis.measures()
    measure = request.GET.get("measure", "")
    if measure not in measures:
        measure = (
            Measure.SATISFACTION if Measure.SATISFACTION in measures else (measures[0] if measures else "")
        )
    distribution = {}
    if view == "question":
        table = analysis.by_question()
        distribution = analysis.distribution()
        for rate in table:
            rate.extra["distribution"] = distribution.get(rate.key, [])
    elif view == "indicator":
        table = analysis.by_indicator()
    elif view == "area":
        table = analysis.by_area(measure)
    else:
        table = analysis.by_unit(measure)
        base = min((r.extra["depth"] for r in table), default=0)
        for rate in table:
            rate.extra["indent"] = rate.extra["depth"] - base
    flagged = analysis.flagged()
    labels = dict(Measure.choices)
    for rate in [*table, *flagged]:
        rate.extra["measure_label"] = labels.get(rate.measure, "")
    return render(
        request,
        "surveys/rates.html",
        {
            "round": round_,
            "questionnaire": round_.questionnaire,
            "view": view,
            "views": VIEWS,
            "measure": measure,
            "measures": [(m, Measure(m).label) for m in measures],
            "table": table,
            "flagged": flagged,
            "chart": _chart(table, analysis.threshold),
            "threshold": analysis.threshold,
        },
    )


@role_required(*READ_SURVEY_RESULTS)
def rates_export(request: HttpRequest, pk: int) -> HttpResponse:
    round_, analysis = _analysis(request, pk)
    return xlsx_response(export_rates(analysis), f"{round_.name}-rates.xlsx")


@role_required(*READ_SURVEY_RESULTS)
def trends(request: HttpRequest) -> HttpResponse:
    """Rates by measure across the rounds of a campaign (the current one unless chosen)."""
    campaigns = scoped(Campaign.objects.all(), request.user)
    campaign = chosen_campaign(request.user, request.GET.get("campaign"))
    rounds = (
        list(scoped(Round.objects.filter(questionnaire__campaign=campaign), request.user)) if campaign else []
    )
    data = trend(rounds, request.user)
    return render(
        request,
        "surveys/trends.html",
        {"campaign": campaign, "campaigns": campaigns, "data": data},
    )
