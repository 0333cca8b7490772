from django.db import migrations
from django.db.models import F
from django.utils import timezone


def key_the_chain(apps, schema_editor):
    """Append one keyed entry after the unkeyed ones an older install wrote.

    Its HMAC covers the link to the last unkeyed entry (so the unkeyed ones can no longer be
    rewritten unseen) and the head as it was; from here on every entry is keyed, and
    `audit verify` refuses an unkeyed entry after a keyed one or a chain that ends unkeyed.
    """
    from chuangwen.audit import chain

    AuditEntry = apps.get_model("audit", "AuditEntry")
    AuditHead = apps.get_model("audit", "AuditHead")
    last = AuditEntry.objects.order_by("-pk").first()
    if last is None or last.key_id:
        return
    head, _created = AuditHead.objects.get_or_create(pk=1)
    first = AuditEntry.objects.order_by("pk").first()
    entry = AuditEntry(
        created_at=timezone.now(),
        actor_id=None,
        actor_name="system",
        action="audit.chain.keyed",
        changes={
            "unkeyed_entries": head.count,
            "anchor": head.anchor_hash,
            "first_kept": first.pk,
            "key": chain.current_key_id(),
        },
        prev_hash=head.last_hash,
        key_id=chain.current_key_id(),
    )
    entry.entry_hash = chain.entry_hash(entry)
    entry.save()
    AuditHead.objects.filter(pk=head.pk).update(last_hash=entry.entry_hash, last_id=entry.pk, count=F("count") + 1)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0003_auditentry_key_id"),
    ]

    operations = [
        migrations.RunPython(key_the_chain, migrations.RunPython.noop),
    ]
