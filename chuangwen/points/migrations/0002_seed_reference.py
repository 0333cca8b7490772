"""Seed the reference point types and checklists (see points/seed.py)."""

from django.db import migrations


def seed(apps, schema_editor):
    from chuangwen.points.seed import seed_reference

    seed_reference(apps.get_model("points", "PointType"), apps.get_model("points", "ChecklistItem"))


class Migration(migrations.Migration):
    dependencies = [("points", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
