"""Seed the problem categories (reference/problem_categories.csv) and the 2025/2026 holidays."""

from django.db import migrations


def load(apps, schema_editor):
    from chuangwen.problems.seed import load_categories, load_holidays

    load_categories(apps.get_model("problems", "ProblemCategory"))
    load_holidays(apps.get_model("problems", "CalendarDay"))


class Migration(migrations.Migration):
    dependencies = [("problems", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
