"""'What needs my attention' on the home page, gathered from every app.

An app that has something to say defines `attention.py` with `items(user) -> list[Attention]`;
the home page calls each one. This keeps the home page free of imports from every app.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.apps import apps


@dataclass(frozen=True)
class Attention:
    label: str
    count: int
    url: str
    level: str = "info"  # Bootstrap colour: info, warning, danger, success


def gather(user: Any) -> list[Attention]:
    found: list[Attention] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("chuangwen.") or config.name == "chuangwen.core":
            continue
        try:
            module = import_module(f"{config.name}.attention")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.attention":
                raise
            continue
        found.extend(module.items(user))
    return found
