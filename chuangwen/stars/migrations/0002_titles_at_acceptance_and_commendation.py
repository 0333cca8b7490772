"""Titles exist only once the county accepts a rating; 表彰 is its own step; who filled in each
stage is kept (the person who fills in a stage never approves it)."""

from django.db import migrations, models


def forwards(apps, schema_editor):
    Rating = apps.get_model("stars", "Rating")
    Rating.objects.filter(status="awarded").update(status="accepted")
    RatingStep = apps.get_model("stars", "RatingStep")
    RatingStep.objects.filter(to_status="awarded").update(to_status="accepted")
    Rating.objects.filter(status="accepted", title="").update(title="none")
    Rating.objects.exclude(status__in=("accepted", "commended")).update(title="")


def backwards(apps, schema_editor):
    Rating = apps.get_model("stars", "Rating")
    Rating.objects.filter(status__in=("accepted", "commended")).update(status="awarded")
    Rating.objects.filter(title="none").update(title="")


class Migration(migrations.Migration):
    dependencies = [("stars", "0001_initial")]

    operations = [
        migrations.RenameField("rating", "awarded_at", "accepted_at"),
        migrations.AlterField(
            model_name="rating",
            name="accepted_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="accepted by the county at"),
        ),
        migrations.AddField(
            model_name="rating",
            name="commended_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="commended at"),
        ),
        migrations.AddField(
            model_name="rating",
            name="commendation_body",
            field=models.CharField(blank=True, max_length=100, verbose_name="commended by (body)"),
        ),
        migrations.AddField(
            model_name="rating",
            name="commendation_document",
            field=models.CharField(blank=True, max_length=100, verbose_name="document number"),
        ),
        migrations.AddField(
            model_name="rating",
            name="fillers",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.AlterField(
            model_name="rating",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Self-assessment (自荐) in progress"),
                    ("submitted", "Awaiting township review (乡镇审查)"),
                    ("reviewed", "Awaiting county acceptance (县验收)"),
                    ("accepted", "Inspected and accepted by the county (验收)"),
                    ("commended", "Commended (表彰)"),
                ],
                default="draft",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="rating",
            name="title",
            field=models.CharField(
                blank=True,
                choices=[
                    ("top", "Ten-star community (十星级)"),
                    ("pass", "Up to standard (达标)"),
                    ("none", "Not up to standard"),
                ],
                default="",
                max_length=10,
                verbose_name="title",
            ),
        ),
        migrations.AlterField(
            model_name="ratingstep",
            name="action",
            field=models.CharField(
                choices=[
                    ("submit", "Submitted"),
                    ("approve", "Approved"),
                    ("return", "Returned"),
                    ("accept", "Inspected and accepted"),
                    ("commend", "Commended"),
                ],
                max_length=10,
                verbose_name="action",
            ),
        ),
        migrations.AlterField(
            model_name="ratingstep",
            name="stage",
            field=models.CharField(
                choices=[
                    ("self", "Self-assessment (自荐)"),
                    ("township", "Township review (乡镇审查)"),
                    ("county", "County acceptance (县验收)"),
                    ("commend", "Commendation (表彰)"),
                ],
                max_length=10,
                verbose_name="stage",
            ),
        ),
        migrations.AlterField(
            model_name="ratingstep",
            name="from_status",
            field=models.CharField(
                choices=[
                    ("draft", "Self-assessment (自荐) in progress"),
                    ("submitted", "Awaiting township review (乡镇审查)"),
                    ("reviewed", "Awaiting county acceptance (县验收)"),
                    ("accepted", "Inspected and accepted by the county (验收)"),
                    ("commended", "Commended (表彰)"),
                ],
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="ratingstep",
            name="to_status",
            field=models.CharField(
                choices=[
                    ("draft", "Self-assessment (自荐) in progress"),
                    ("submitted", "Awaiting township review (乡镇审查)"),
                    ("reviewed", "Awaiting county acceptance (县验收)"),
                    ("accepted", "Inspected and accepted by the county (验收)"),
                    ("commended", "Commended (表彰)"),
                ],
                max_length=10,
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
