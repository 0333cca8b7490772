from chuangwen.jobs.models import JobRun, JobState
from chuangwen.tests.matrix import page


def _failed_run(world) -> dict:
    """A fresh failed job for each role's POST (a dismissed one would answer differently)."""
    run = JobRun.objects.create(
        task_id=f"matrix-{JobRun.objects.count()}",
        name="chuangwen.materials.jobs.check_submission",
        state=JobState.FAILED,
        error="OSError: disk full",
    )
    return {"pk": run.pk}


ROUTES = [
    page("jobs:list", default=403, office=200),
    page("jobs:dismiss", method="POST", default=403, kwargs=_failed_run, office=302),
]
