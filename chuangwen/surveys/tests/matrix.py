from chuangwen.surveys.models import Assignment
from chuangwen.surveys.tests.factories import GOOD, key, survey_world
from chuangwen.tests.matrix import api, page

# Who may do what (accounts.permissions): SURVEY_USERS see questionnaires and rounds, READ the
# rates, COLLECT submits interviews, MANAGE designs and runs rounds.
NOT_SURVEY = {"inspector": 403, "duty_a": 403}
READERS = {**NOT_SURVEY, "enumerator_a": 403}
OFFICE = {"office": 200}
COLLECTORS = {"office": 200, "enumerator_a": 200}
EVERYONE = {"anonymous": 200}

Q = lambda w: {"pk": survey_world(w).questionnaire.pk}  # noqa: E731
R = lambda w: {"pk": survey_world(w).round.pk}  # noqa: E731
HOTLINE = lambda w: {"pk": survey_world(w).hotline_round.pk}  # noqa: E731
QUESTION = lambda w: {"pk": survey_world(w).questionnaire.questions.get(name="q3").pk}  # noqa: E731
RESPONSE_A = lambda w: {"pk": survey_world(w).response_a.pk}  # noqa: E731
TOKEN = lambda w: {"token": survey_world(w).public_round.public_token}  # noqa: E731


def _assignment(w):
    s = survey_world(w)
    assignment, _created = Assignment.objects.get_or_create(
        round=s.round, enumerator=w.enumerator_a, unit=w.community_a
    )
    return {"pk": assignment.pk}


ROUTES = [
    page("surveys:index", **NOT_SURVEY),
    page("surveys:questionnaire_new", default=403, **OFFICE),
    page("surveys:questionnaire", kwargs=Q, **NOT_SURVEY),
    page("surveys:questionnaire_edit", default=403, kwargs=Q, **OFFICE),
    page("surveys:questionnaire_import", default=403, kwargs=Q, **OFFICE),
    page("surveys:questionnaire_import_template", default=403, kwargs=Q, **OFFICE),
    page("surveys:questionnaire_export", default=403, kwargs=Q, **OFFICE),
    page("surveys:bands", default=403, kwargs=Q, **OFFICE),
    page("surveys:round_new", default=403, kwargs=Q, **OFFICE),
    # A status the questionnaire cannot take: the role check is what is tested, nothing changes.
    page(
        "surveys:questionnaire_status",
        default=403,
        kwargs=Q,
        method="POST",
        data=lambda w: {"status": "x"},
        office=302,
    ),
    page("surveys:question_edit", default=403, kwargs=QUESTION, **OFFICE),
    page("surveys:round", kwargs=R, **NOT_SURVEY),
    page("surveys:round_edit", default=403, kwargs=R, **OFFICE),
    page(
        "surveys:round_status",
        default=403,
        kwargs=R,
        method="POST",
        data=lambda w: {"status": "x"},
        office=302,
    ),
    page("surveys:quotas", default=403, kwargs=R, **OFFICE),
    page("surveys:assignments", default=403, kwargs=R, **OFFICE),
    page("surveys:collect", default=403, kwargs=R, **COLLECTORS),
    page("surveys:hotline_import", default=403, kwargs=HOTLINE, **OFFICE),
    page("surveys:hotline_import_template", default=403, kwargs=HOTLINE, **OFFICE),
    page("surveys:responses_export", kwargs=R, **READERS),
    page("surveys:rates", kwargs=R, **READERS),
    page("surveys:rates_export", kwargs=R, **READERS),
    page("surveys:trends", **READERS),
    page("surveys:mine", default=403, **COLLECTORS),
    page("surveys:responses", **NOT_SURVEY),
    page("surveys:response", kwargs=RESPONSE_A, liaison_b=404, **NOT_SURVEY),
    page(
        "surveys:response_void",
        default=403,
        kwargs=RESPONSE_A,
        method="POST",
        data=lambda w: {"reason": "测试"},
        office=302,
    ),
    page("surveys:assignment_delete", default=403, kwargs=_assignment, method="POST", office=302),
    page("surveys_public:form", kwargs=TOKEN, **EVERYONE),
    page("surveys_public:thanks", kwargs=TOKEN, **EVERYONE),
    page("surveys_public:qr", kwargs=TOKEN, **EVERYONE),
    api("GET", "/api/surveys/questionnaires", **NOT_SURVEY),
    api(
        "GET",
        "/api/surveys/questionnaires/{questionnaire_id}",
        kwargs=lambda w: {"questionnaire_id": survey_world(w).questionnaire.pk},
        **NOT_SURVEY,
    ),
    api("GET", "/api/surveys/rounds", **NOT_SURVEY),
    api(
        "GET",
        "/api/surveys/rounds/{round_id}/progress",
        kwargs=lambda w: {"round_id": survey_world(w).round.pk},
        **NOT_SURVEY,
    ),
    api(
        "POST",
        "/api/surveys/rounds/{round_id}/responses",
        default=403,
        kwargs=lambda w: {"round_id": survey_world(w).round.pk},
        data=lambda w: {"idempotency_key": key(), "unit_id": w.community_a.pk, "answers": GOOD},
        office=201,
        enumerator_a=201,
    ),
    api(
        "GET",
        "/api/surveys/rounds/{round_id}/rates",
        kwargs=lambda w: {"round_id": survey_world(w).round.pk},
        **READERS,
    ),
    api(
        "GET",
        "/api/surveys/public/{token}",
        kwargs=lambda w: {"token": survey_world(w).public_round.public_token},
        **EVERYONE,
    ),
    api(
        "POST",
        "/api/surveys/public/{token}/responses",
        default=201,
        kwargs=lambda w: {"token": survey_world(w).public_round.public_token},
        data=lambda w: {
            "idempotency_key": key(),
            "unit_id": w.community_a.pk,
            "phone": "13912345678",
            "answers": GOOD,
        },
        anonymous=201,
    ),
]
