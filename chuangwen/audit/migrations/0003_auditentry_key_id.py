from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_create_head"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=16),
        ),
    ]
