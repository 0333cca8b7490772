"""The append-only, hash-chained audit log."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from chuangwen.audit import chain


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or delete an audit entry through the ORM."""


class AuditQuerySet(models.QuerySet):
    """Bulk writes would bypass the chain (update, delete) or fork it (bulk_create): refuse them.

    Retention purging is the one sanctioned removal; it lives in audit.services and uses the
    low-level `_raw_delete`, so nothing else deletes entries by accident.
    """

    def update(self, **kwargs):
        raise AppendOnlyError("audit entries cannot be changed")

    def delete(self):
        raise AppendOnlyError("audit entries cannot be deleted")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyError("audit entries cannot be changed")

    def bulk_create(self, *args, **kwargs):
        raise AppendOnlyError("audit entries are appended one at a time through log_action()")

    def update_or_create(self, *args, **kwargs):
        raise AppendOnlyError("audit entries cannot be changed")


class AuditEntry(models.Model):
    """One change of state: who did what to which object, when and from where.

    `entry_hash` covers this entry's content and `prev_hash`, keyed with the audit key named by
    `key_id` (see chain.py), so altering or removing any row breaks the chain at that row and
    nobody without the key can re-sign it; `chuangwen audit verify` finds the first broken link.
    """

    created_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        # DO_NOTHING without a constraint: deleting a user must not rewrite (and so break) history.
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)
    # Empty for entries written before the chain was keyed (plain SHA-256).
    key_id = models.CharField(max_length=16, blank=True, default="")

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def compute_hash(self) -> str:
        """The hash this entry's content and link should have, under the key it names."""
        return chain.entry_hash(self)

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise AppendOnlyError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit entries cannot be deleted")


class AuditHead(models.Model):
    """A single row holding the chain's tip; locking it serialises appends on every database.

    `anchor_hash` is the prev_hash of the oldest kept entry after a retention purge.
    """

    last_hash = models.CharField(max_length=64, default="")
    last_id = models.BigIntegerField(default=0)
    anchor_hash = models.CharField(max_length=64, default="")
    count = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"audit head #{self.last_id}"
