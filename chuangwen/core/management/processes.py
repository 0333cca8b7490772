"""Starting the web server and the job consumer as child processes, and stopping them cleanly.

Used by `chuangwen serve` and `chuangwen demo`. The web server keeps serving when the job
worker dies (a job crashing it, a lost queue connection): the worker is started again, with a
growing pause if it keeps dying. The children run in their own sessions so a
Ctrl-C reaches only this parent, which then stops them in order (each the way it stops
gracefully); should the parent die anyway, the kernel sends them SIGTERM (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

GRACE_SECONDS = 30
# A child that dies is started again after RESTART_DELAYS[n] seconds for its n-th quick death in
# a row (the last delay repeats); one that ran STABLE_SECONDS before dying starts the count over.
RESTART_DELAYS = (1.0, 2.0, 5.0, 15.0, 60.0)
STABLE_SECONDS = 120.0


@dataclass
class Child:
    """A child process with the signal that stops it gracefully."""

    name: str
    argv: list[str]
    stop_signal: int = signal.SIGTERM
    process: subprocess.Popen | None = None
    # Restarted when it dies, instead of stopping everything: the job worker, whose death (a
    # crash in native code, say) must never take the web server down with it.
    restart: bool = False
    restarts: int = 0
    started_at: float = 0.0
    quick_deaths: int = 0
    restart_at: float | None = None


def gunicorn_argv(
    host: str, port: int, workers: int, threads: int, timeout: int, access_log: bool = True
) -> list[str]:
    """The command line of a production gunicorn serving chuangwen.wsgi."""
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "chuangwen.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread" if threads > 1 else "sync",
        "--timeout",
        str(timeout),
        "--graceful-timeout",
        str(GRACE_SECONDS - 5),
        # Recycle workers now and then so a slow leak in a library never takes a server down.
        "--max-requests",
        "2000",
        "--max-requests-jitter",
        "200",
        "--error-logfile",
        "-",
    ]
    if _gunicorn_version() >= (27,):
        # 27 opens a control socket at one fixed path under $HOME, shared by every instance.
        argv.append("--no-control-socket")
    return argv + ["--access-logfile", "-"] if access_log else argv


def _gunicorn_version() -> tuple[int, ...]:
    import gunicorn

    return tuple(gunicorn.version_info)


def worker_argv() -> list[str]:
    """The command line of the huey consumer (`chuangwen worker`)."""
    return [sys.executable, "-m", "chuangwen.cli", "worker"]


def port_is_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def wait_until_serving(
    url: str, child: Child, give_up: Callable[[], bool] = lambda: False, timeout: float = 60.0
) -> bool:
    """Poll `url` until it answers 200, the child exits, `give_up()` is true or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child.process is None or child.process.poll() is not None or give_up():
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own URL)
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def _die_with_parent() -> None:
    os.setsid()
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass  # not Linux: the parent's own shutdown still stops the children


class Supervisor:
    """Runs children until a signal arrives or one of them exits, then stops them all. A child
    marked `restart` is started again instead (after a growing pause if it keeps dying)."""

    def __init__(self, children: list[Child], say: Callable[[str], None] = print) -> None:
        self.children = children
        self.say = say
        self._stopping = False

    @property
    def stopping(self) -> bool:
        """True once SIGINT or SIGTERM has arrived."""
        return self._stopping

    def start(self) -> None:
        for child in self.children:
            self._spawn(child)

    def _spawn(self, child: Child) -> None:
        child.process = subprocess.Popen(child.argv, preexec_fn=_die_with_parent)
        child.started_at = time.monotonic()
        child.restart_at = None

    def _schedule_restart(self, child: Child) -> None:
        """Note the death of a restartable child and when to start it again (backing off)."""
        now = time.monotonic()
        if now - child.started_at >= STABLE_SECONDS:
            child.quick_deaths = 0
        delay = RESTART_DELAYS[min(child.quick_deaths, len(RESTART_DELAYS) - 1)]
        child.quick_deaths += 1
        child.restart_at = now + delay
        code = child.process.returncode if child.process is not None else None
        how = f"was killed by signal {-code}" if code is not None and code < 0 else f"exited with code {code}"
        self.say(f"{child.name} {how}; starting it again in {delay:g} s (the others keep running).")

    def _on_signal(self, signum: int, frame: object) -> None:
        self._stopping = True

    def run(self, on_started: Callable[[], None] | None = None) -> int:
        """Start, wait, stop. Returns 0 after a requested stop, else the failed child's code."""
        previous = {s: signal.signal(s, self._on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            self.start()
            if on_started is not None:
                on_started()
            failed: Child | None = None
            while not self._stopping and failed is None:
                for child in self.children:
                    if child.restart_at is not None:
                        if time.monotonic() >= child.restart_at:
                            child.restarts += 1
                            self._spawn(child)
                        continue
                    if child.process is not None and child.process.poll() is not None:
                        if child.restart:
                            self._schedule_restart(child)
                            continue
                        failed = child
                        break
                else:
                    time.sleep(0.3)
            if failed is not None and not self._stopping:
                self.say(f"{failed.name} exited with code {failed.process.returncode}; stopping.")
            self.stop()
            if failed is not None and not self._stopping:
                return failed.process.returncode or 1
            return 0
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def stop(self) -> None:
        for child in self.children:
            if child.process is not None and child.process.poll() is None:
                child.process.send_signal(child.stop_signal)
        deadline = time.monotonic() + GRACE_SECONDS
        for child in self.children:
            if child.process is None:
                continue
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.say(f"{child.name} did not stop in {GRACE_SECONDS} s; killing it.")
                child.process.kill()
                child.process.wait()


def web_and_worker(
    host: str, port: int, workers: int, threads: int, timeout: int, access_log: bool = True
) -> list[Child]:
    # gunicorn stops gracefully on SIGTERM; huey's consumer on SIGINT (its SIGTERM is immediate).
    web = gunicorn_argv(host, port, workers, threads, timeout, access_log)
    return [
        Child("web server (gunicorn)", web, signal.SIGTERM),
        Child("job worker (huey)", worker_argv(), signal.SIGINT, restart=True),
    ]
