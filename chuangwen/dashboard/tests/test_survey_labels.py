"""Issue 21: the dashboard's survey bars are labelled by what differs between them."""

from __future__ import annotations

from chuangwen.dashboard.figures import distinct_labels


def row(questionnaire: str, measure: str) -> dict[str, str]:
    return {"questionnaire": questionnaire, "measure_label": measure, "label": f"{questionnaire} · {measure}"}


def test_one_questionnaire_is_labelled_by_measure_alone():
    rows = [row("明澜区群众满意度调查问卷", "满意率"), row("明澜区群众满意度调查问卷", "知晓率")]
    distinct_labels(rows)
    assert [r["label"] for r in rows] == ["满意率", "知晓率"]


def test_several_questionnaires_drop_the_words_they_share():
    rows = [
        row("明澜区群众满意度调查（城区）", "满意率"),
        row("明澜区群众满意度调查（农村）", "满意率"),
        row("明澜区群众满意度调查（学校）", "知晓率"),
    ]
    distinct_labels(rows)
    assert [r["label"] for r in rows] == ["城区 · 满意率", "农村 · 满意率", "学校 · 知晓率"]
    assert rows[0]["questionnaire"] == "明澜区群众满意度调查（城区）", "the full name stays for the tooltip"
