from django.db import migrations


def create_head(apps, schema_editor):
    # The single head row is locked by every append; creating it up front means two first
    # writers never race to insert it.
    AuditHead = apps.get_model("audit", "AuditHead")
    AuditHead.objects.get_or_create(pk=1)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_head, migrations.RunPython.noop),
    ]
