"""Running native code (image decoders, OpenCV) where a crash cannot take anything else down.

A photo is attacker-controlled input to C libraries. A bug in one of them (OpenCV's HOG
detector segfaulted on images smaller than its window; Pillow has had decoder CVEs) must cost
the one call, never the web worker serving other people or the job worker running other jobs.
`run_isolated(func, *args)` runs `func` in a fresh child process forked from a small server
process that has the image libraries already imported (Python's "forkserver"), under a
memory cap (RLIMIT_AS) and a time limit, and returns its result or raises its exception:

- the child died (segfault, abort, killed for memory): `Crashed`;
- it ran past the time limit: `TimedOut` (the child is killed);
- it ran out of its memory budget: `OutOfMemory`.

A process per call rather than a pool: a crash is pinned on the one input that caused it, a
stuck call is killed without touching other calls, and nothing a decoder corrupted survives.
The fork costs a few milliseconds against tens of milliseconds to decode a photo.

`func` must be a module-level function of a module the child can import without Django being
set up (a pure function of bytes and numbers), and its arguments and result must pickle.
Messages for users are made by the caller from what the function returns or raises.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import resource
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")

DEFAULT_TIMEOUT_S = 60.0
DEFAULT_MEMORY_MB = 1024  # on top of what the child already maps: a 50 MP photo decodes in ~200 MB
# Imported once by the fork server, so each child starts with them loaded (OpenCV alone takes
# a few hundred milliseconds to import). Only modules that need no Django setup; the apps add
# theirs (say, one that builds a detector once) in settings.ISOLATION_PRELOAD.
PRELOAD = [
    "PIL.Image",
    "PIL.BmpImagePlugin",  # Image.open() imports these five on first use (Image.preinit)
    "PIL.GifImagePlugin",
    "PIL.PpmImagePlugin",
    "PIL.JpegImagePlugin",
    "PIL.PngImagePlugin",
    "PIL.WebPImagePlugin",
    "PIL.ImageOps",
    "numpy",
    "cv2",
    "imagehash",
    "scipy.fftpack",  # imagehash.phash imports it on first use: 0.8 s in every child otherwise
]

_lock = threading.Lock()
_context: Any = None


class IsolationError(RuntimeError):
    """The isolated call did not return normally."""


class Crashed(IsolationError):
    """The child process died (a signal such as SIGSEGV or SIGABRT, or an exit without a result)."""

    def __init__(self, exitcode: int | None) -> None:
        super().__init__(f"the isolated process died (exit code {exitcode})")
        self.exitcode = exitcode


class TimedOut(IsolationError):
    """The child ran past its time limit and was killed."""


class OutOfMemory(IsolationError):
    """The child needed more memory than its budget."""


def _get_context() -> Any:
    global _context
    with _lock:
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            # '__main__' first, as multiprocessing does by default: each child would otherwise
            # re-import the main script (gunicorn's, the console script's, pytest's) itself.
            try:
                extra = list(getattr(settings, "ISOLATION_PRELOAD", ()))
            except ImproperlyConfigured:  # used from a script without Django settings
                extra = []
            context.set_forkserver_preload(["__main__", *PRELOAD, *extra, "chuangwen.core.isolation_freeze"])
            _context = context
        return _context


def _mapped_bytes() -> int:
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _child(
    conn: Any, func: Callable[..., Any], args: tuple, kwargs: dict, memory_mb: int, timeout: float
) -> None:
    gc.disable()  # a short life: a collection would only copy inherited pages (isolation_freeze)
    if memory_mb > 0:
        # Counted on top of the libraries already mapped, so the budget is what decoding may use.
        limit = _mapped_bytes() + memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    cpu = int(timeout) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    try:
        outcome = ("ok", func(*args, **kwargs))
    except MemoryError:
        outcome = ("memory", None)
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the caller to re-raise
        outcome = ("error", exc)
    try:
        conn.send(outcome)
    except Exception as exc:  # noqa: BLE001 - an exception or result that does not pickle
        conn.send(("error", IsolationError(f"unpicklable outcome: {exc!r}")))
    conn.close()


def run_isolated(
    func: Callable[..., T],
    *args: Any,
    timeout: float = DEFAULT_TIMEOUT_S,
    memory_mb: int = DEFAULT_MEMORY_MB,
    **kwargs: Any,
) -> T:
    """`func(*args, **kwargs)` computed in a child process; see the module docstring."""
    context = _get_context()
    parent_end, child_end = context.Pipe(duplex=False)
    process = context.Process(
        target=_child, args=(child_end, func, args, kwargs, memory_mb, timeout), daemon=True
    )
    process.start()
    child_end.close()
    try:
        if not parent_end.poll(timeout):
            if process.is_alive():
                process.kill()
                process.join()
                raise TimedOut(f"the isolated call took longer than {timeout:g} s")
            raise Crashed(process.exitcode if process.exitcode is not None else _join(process))
        try:
            status, value = parent_end.recv()
        except (EOFError, OSError):
            raise Crashed(_join(process)) from None
        except Exception as exc:  # noqa: BLE001 - an exception class that cannot be rebuilt here
            _join(process)
            raise IsolationError(f"unreadable outcome: {exc!r}") from exc
    finally:
        parent_end.close()
    _join(process)
    if status == "ok":
        return value
    if status == "memory":
        raise OutOfMemory(f"the isolated call needed more than {memory_mb} MB")
    raise value


def _join(process: Any) -> int | None:
    process.join(5)
    if process.is_alive():  # sent its result but hangs on the way out
        process.kill()
        process.join()
    return process.exitcode
