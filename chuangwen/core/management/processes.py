"""Starting the web server and the job consumer as child processes, and stopping them cleanly.

Used by `chuangwen serve` and `chuangwen demo`. The children run in their own sessions so a
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


@dataclass
class Child:
    """A child process with the signal that stops it gracefully."""

    name: str
    argv: list[str]
    stop_signal: int = signal.SIGTERM
    process: subprocess.Popen | None = None


def gunicorn_argv(
    host: str, port: int, workers: int, threads: int, timeout: int, access_log: bool = True
) -> list[str]:
    """The command line of a production gunicorn serving chuangwen.wsgi."""
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    argv = [
        sys.executable, "-m", "gunicorn", "chuangwen.wsgi:application",
        "--bind", bind,
        "--workers", str(workers),
        "--threads", str(threads),
        "--worker-class", "gthread" if threads > 1 else "sync",
        "--timeout", str(timeout),
        "--graceful-timeout", str(GRACE_SECONDS - 5),
        # Recycle workers now and then so a slow leak in a library never takes a server down.
        "--max-requests", "2000", "--max-requests-jitter", "200",
        "--error-logfile", "-",
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
    """Runs children until a signal arrives or one of them exits, then stops them all."""

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
            child.process = subprocess.Popen(child.argv, preexec_fn=_die_with_parent)

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
                    if child.process is not None and child.process.poll() is not None:
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
        Child("job worker (huey)", worker_argv(), signal.SIGINT),
    ]
