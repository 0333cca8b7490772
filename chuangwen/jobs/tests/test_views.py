"""The office sees the jobs that failed or were set aside, with their message, and dismisses them."""

from __future__ import annotations

from django.urls import reverse

from chuangwen.audit.models import AuditEntry
from chuangwen.jobs.models import JobRun, JobState


def _set_aside() -> JobRun:
    return JobRun.objects.create(
        task_id="t-1",
        name="chuangwen.materials.jobs.check_submission",
        args_repr="42",
        state=JobState.SET_ASIDE,
        crashes=2,
        attempts=2,
    )


def test_the_office_sees_a_set_aside_job_with_what_it_was_and_why(world):
    _set_aside()
    response = world.client("office").get(reverse("jobs:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Evidence checks of a material submission" in html and "42" in html
    assert "stopped the job worker 2 times and was set aside" in html


def test_the_home_page_tells_the_office_about_failed_jobs(world):
    _set_aside()
    html = world.client("office").get(reverse("core:home")).content.decode()
    assert "Background jobs that failed" in html and reverse("jobs:list") in html
    assert (
        "Background jobs that failed"
        not in world.client("liaison_a").get(reverse("core:home")).content.decode()
    )


def test_dismissing_a_job_takes_it_off_the_list_and_is_audited(world):
    run = _set_aside()
    client = world.client("office")
    response = client.post(reverse("jobs:dismiss", kwargs={"pk": run.pk}))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.state == JobState.DISMISSED and run.dismissed_by == world.users["office"]
    assert AuditEntry.objects.filter(action="jobs.run.dismiss", object_id=str(run.pk)).exists()
    assert "was set aside" not in client.get(reverse("jobs:list")).content.decode()
    again = client.post(reverse("jobs:dismiss", kwargs={"pk": run.pk}), follow=True)
    assert "no longer waiting for attention" in again.content.decode()


def test_units_never_see_the_jobs_page(world):
    assert world.client("liaison_a").get(reverse("jobs:list")).status_code == 403
    assert world.client("leader").get(reverse("jobs:list")).status_code == 403


def test_the_office_reads_why_a_job_was_set_aside_in_chinese(world, chinese):
    _set_aside()
    html = world.client("office").get(reverse("jobs:list")).content.decode()
    assert "网报材料的证据核查" in html and "已导致后台任务进程停止 2 次，已被搁置" in html
