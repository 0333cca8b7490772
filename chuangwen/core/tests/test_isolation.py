"""Native code in a child process: a crash, a runaway loop or a memory blow-up costs one call."""

from __future__ import annotations

import ctypes
import os

import pytest

from chuangwen.core.isolation import Crashed, OutOfMemory, TimedOut, run_isolated


# The isolated functions are module-level so the child process can import them by name.
def add(a: int, b: int) -> int:
    return a + b


def segfault() -> None:
    ctypes.string_at(0)  # reads address 0: SIGSEGV, as OpenCV's HOG did on a tiny photo


def spin() -> None:
    while True:
        pass


def hog_memory() -> bytes:
    return bytes(8 * 1024 * 1024 * 1024)


def refuse() -> None:
    raise ValueError("not an image")


def pid() -> int:
    return os.getpid()


def test_an_isolated_call_returns_its_result_from_another_process():
    assert run_isolated(add, 2, b=3) == 5
    assert run_isolated(pid) != os.getpid()


def test_a_segfault_in_isolated_code_is_an_exception_and_the_caller_carries_on():
    with pytest.raises(Crashed) as caught:
        run_isolated(segfault)
    assert caught.value.exitcode == -11  # SIGSEGV
    assert run_isolated(add, 1, 1) == 2


def test_an_isolated_call_past_its_time_limit_is_killed():
    with pytest.raises(TimedOut):
        run_isolated(spin, timeout=1)


def test_an_isolated_call_over_its_memory_budget_is_stopped():
    with pytest.raises(OutOfMemory):
        run_isolated(hog_memory, memory_mb=256)


def test_an_exception_of_the_isolated_code_reaches_the_caller_as_itself():
    with pytest.raises(ValueError, match="not an image"):
        run_isolated(refuse)
