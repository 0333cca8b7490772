"""Survey objects for tests and the permission matrix, built on the shared `world`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from chuangwen.surveys import services
from chuangwen.surveys.models import (
    Channel,
    Questionnaire,
    QuestionnaireStatus,
    Response,
    Round,
    RoundMode,
    RoundStatus,
)
from chuangwen.surveys.standard import citizen_questionnaire
from chuangwen.surveys.submission import submit_response

GOOD = {
    "age": 30,
    "residence": "yes",
    "sex": "female",
    "q1": "yes",
    "q2": "support",
    "q3": "satisfied",
    "q4": "fairly",
    "q5": "unsatisfied",
    "q6": "no",
    "q7": 8,
    "q8": ["tv", "online"],
    "q9": "多设几个垃圾桶",
}


def answers(**changes: Any) -> dict[str, Any]:
    """A complete, valid interview of the standard questionnaire, with some answers changed
    (None removes an answer)."""
    data = dict(GOOD)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def key() -> str:
    return uuid.uuid4().hex


def questionnaire(world: Any, status: str = QuestionnaireStatus.OPEN) -> Questionnaire:
    q = services.create_questionnaire(
        world.office, world.campaign, "市民问卷", "citizen", design=citizen_questionnaire()
    )
    if status != QuestionnaireStatus.DRAFT:
        services.set_questionnaire_status(q, QuestionnaireStatus.OPEN, world.office)
    return Questionnaire.objects.get(pk=q.pk)


def round_of(
    questionnaire: Questionnaire,
    mode: str = RoundMode.ENUMERATOR,
    name: str = "第一轮",
    open_: bool = True,
    **extra: Any,
) -> Round:
    round_ = Round.objects.create(questionnaire=questionnaire, name=name, mode=mode, **extra)
    if open_:
        round_.status = RoundStatus.OPEN
        round_.save(update_fields=["status"])
    return round_


def respond(
    round_: Round, unit: Any, actor: Any = None, channel: str = Channel.ENUMERATOR, **changes: Any
) -> Response:
    response, _created = submit_response(
        round_, unit=unit, answers=answers(**changes), idempotency_key=key(), channel=channel, actor=actor
    )
    return response


@dataclass
class SurveyWorld:
    questionnaire: Questionnaire
    round: Round
    public_round: Round
    hotline_round: Round
    response_a: Response
    response_b: Response


def survey_world(world: Any) -> SurveyWorld:
    """A questionnaire with an enumerator round (quotas in both communities, one response in
    each), a public round and a hotline round; built once per `world`."""
    cached = world.__dict__.get("_surveys")
    if cached is not None:
        return cached
    q = questionnaire(world)
    enumerator_round = round_of(q)
    services.create_area_quotas(enumerator_round, world.district, "community", 20, world.office)
    public = round_of(q, RoundMode.PUBLIC, name="网络问卷")
    hotline = round_of(q, RoundMode.HOTLINE, name="12345回访")
    built = SurveyWorld(
        questionnaire=q,
        round=enumerator_round,
        public_round=public,
        hotline_round=hotline,
        response_a=respond(enumerator_round, world.community_a, world.enumerator_a),
        response_b=respond(enumerator_round, world.community_b, world.office),
    )
    world.__dict__["_surveys"] = built
    return built
