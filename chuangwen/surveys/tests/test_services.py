from decimal import Decimal

import pytest

from chuangwen.audit.models import AuditEntry
from chuangwen.core.errors import ConflictError, DomainError
from chuangwen.surveys import services
from chuangwen.surveys.models import QuestionnaireStatus, Quota, RoundStatus
from chuangwen.surveys.sampling import collecting_scope
from chuangwen.surveys.spec import BandSpec
from chuangwen.surveys.tests.factories import questionnaire, round_of


def test_an_empty_questionnaire_cannot_be_opened(world):
    q = services.create_questionnaire(world.office, world.campaign, "空问卷", "teacher")
    with pytest.raises(DomainError, match="no questions"):
        services.set_questionnaire_status(q, QuestionnaireStatus.OPEN, world.office)


def test_questionnaire_status_moves_are_checked_and_audited(world):
    q = questionnaire(world)
    assert q.status == QuestionnaireStatus.OPEN
    with pytest.raises(ConflictError):
        services.set_questionnaire_status(q, QuestionnaireStatus.OPEN, world.office)
    services.set_questionnaire_status(q, QuestionnaireStatus.CLOSED, world.office)
    entry = AuditEntry.objects.filter(action="surveys.questionnaire.status").order_by("pk").last()
    assert entry.changes == {"status": ["open", "closed"]}


def test_a_round_opens_only_when_its_questionnaire_is_open(world):
    round_ = round_of(questionnaire(world, status="draft"), open_=False)
    with pytest.raises(DomainError, match="questionnaire"):
        services.set_round_status(round_, RoundStatus.OPEN, world.office)
    services.set_questionnaire_status(round_.questionnaire, QuestionnaireStatus.OPEN, world.office)
    round_.refresh_from_db()
    assert services.set_round_status(round_, RoundStatus.OPEN, world.office).status == RoundStatus.OPEN


def test_area_quotas_split_the_target_across_sex_and_age_cells(world):
    round_ = round_of(questionnaire(world))
    count = services.create_area_quotas(
        round_,
        world.district,
        "community",
        20,
        world.office,
        split_sex=True,
        age_bands=[(18, 35), (36, 50), (51, 65)],
    )
    assert count == 2 * 6
    a = Quota.objects.filter(round=round_, unit=world.community_a)
    assert sum(q.target for q in a) == 20
    assert sorted(q.target for q in a) == [3, 3, 3, 3, 4, 4]
    # Planning again replaces instead of adding.
    services.create_area_quotas(round_, world.district, "community", 10, world.office)
    assert Quota.objects.filter(round=round_).count() == 2


def test_area_quotas_need_areas_and_enough_interviews(world):
    round_ = round_of(questionnaire(world))
    with pytest.raises(DomainError):
        services.create_area_quotas(round_, world.community_a, "village", 20, world.office)
    with pytest.raises(DomainError):
        services.create_area_quotas(
            round_,
            world.district,
            "community",
            3,
            world.office,
            split_sex=True,
            age_bands=[(18, 40), (41, 65)],
        )


def test_only_enumerators_can_be_assigned(world):
    round_ = round_of(questionnaire(world))
    with pytest.raises(DomainError, match="not a survey enumerator"):
        services.add_assignment(round_, world.liaison_a, world.community_a, world.office)
    services.add_assignment(round_, world.enumerator_a, world.community_b, world.office)
    with pytest.raises(DomainError):
        services.add_assignment(round_, world.enumerator_a, world.community_b, world.office)
    assert collecting_scope(round_, world.enumerator_a).covers(world.community_b)
    assert not collecting_scope(round_, world.enumerator_a).covers(world.street_b)


def test_grade_bands_need_a_last_grade_without_a_limit(world):
    q = questionnaire(world)
    with pytest.raises(DomainError):
        services.set_bands(q, [BandSpec("A", Decimal("0.9")), BandSpec("B", Decimal("0.8"))], world.office)
    services.set_bands(
        q,
        [
            BandSpec("A", Decimal("0.9"), "satisfaction"),
            BandSpec("C", None, "satisfaction"),
            BandSpec("P", None),
        ],
        world.office,
    )
    assert q.bands.count() == 3
