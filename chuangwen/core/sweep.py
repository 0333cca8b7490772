"""Deleting stored files that no record references (orphans), once they are old enough.

Orphans arise when a request wrote its files and then could not delete them after failing (the
storage went away between the two), or when a transaction around a service rolled back after
the files were written. Every FileField of every installed model is read to know which names
are referenced; a file is deleted only if no row names it and it is older than the grace
period, so a request that is writing its files right now (before its transaction commits)
never loses them.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.db import connection, models
from django.utils import timezone

from chuangwen.core.storage import guard

log = logging.getLogger(__name__)


@dataclass
class SweepResult:
    checked: int = 0
    referenced: int = 0
    recent: int = 0
    deleted: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {
            "checked": self.checked,
            "referenced": self.referenced,
            "recent": self.recent,
            "deleted": len(self.deleted),
        }


class NotMigrated(RuntimeError):
    """A table that may reference files is missing: sweeping would take every file for an orphan."""


def referenced_names() -> set[str]:
    """Every file name that some row of some model points at."""
    names: set[str] = set()
    tables = set(connection.introspection.table_names())
    for model in apps.get_models():
        file_fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        if file_fields and model._meta.db_table not in tables:
            raise NotMigrated(f"table {model._meta.db_table} is missing: run `chuangwen migrate` first")
        for attname in file_fields:
            # The base manager: a default manager that hides rows (archived, soft-deleted) must
            # not make their files look unreferenced.
            values = model._base_manager.exclude(**{attname: ""}).values_list(attname, flat=True)
            names.update(v for v in values.iterator(chunk_size=5000) if v)
    return names


def _walk(storage: Storage) -> Iterator[tuple[str, dt.datetime]]:
    """(name, last modified) of every stored file."""
    bucket = getattr(storage, "bucket", None)
    if bucket is not None:
        # One listing call per 1,000 objects, with their dates: no request per object.
        location = (getattr(storage, "location", "") or "").strip("/")
        prefix = f"{location}/" if location else ""
        for obj in bucket.objects.filter(Prefix=prefix):
            yield obj.key[len(prefix) :], obj.last_modified
        return
    if isinstance(storage, FileSystemStorage):
        root = str(storage.location)
        for folder, _dirs, files in os.walk(root):
            for filename in files:
                path = os.path.join(folder, filename)
                name = os.path.relpath(path, root).replace(os.sep, "/")
                modified = dt.datetime.fromtimestamp(os.path.getmtime(path), tz=dt.UTC)
                yield name, modified
        return
    raise TypeError(f"cannot list files of {type(storage).__name__}")


# The folders the product writes uploads and generated files into. Only files under these are
# ever swept: a media folder shared with something else (MEDIA_ROOT set to the data folder,
# a bucket used by another system) never loses a file the product did not write.
FOLDERS = frozenset(
    {"bulletins", "imports", "inspections", "materials", "points", "problems", "scoring", "stars", "tasks"}
)


def _ours(name: str, folders: set[str]) -> bool:
    return "/" in name and name.split("/", 1)[0] in folders


def sweep(grace: dt.timedelta, *, dry_run: bool = False, storage: Storage | None = None) -> SweepResult:
    """Delete (or, with dry_run, only list) the files no row references, older than `grace`."""
    storage = storage or default_storage
    cutoff = timezone.now() - grace
    result = SweepResult()
    # Listed before the references are read: a file written and recorded meanwhile is either
    # too recent or already referenced, never mistaken for an orphan.
    with guard("list", ""):
        listed = list(_walk(storage))
    referenced = referenced_names()
    folders = set(FOLDERS) | {name.split("/", 1)[0] for name in referenced if "/" in name}
    for name, modified in listed:
        if not _ours(name, folders):
            continue
        result.checked += 1
        if name in referenced:
            result.referenced += 1
        elif modified > cutoff:
            result.recent += 1
        else:
            result.deleted.append(name)
    if not dry_run:
        for name in result.deleted:
            with guard("delete", name):
                storage.delete(name)
        if result.deleted:
            log.info("sweep: deleted %d files no record references", len(result.deleted))
    return result
