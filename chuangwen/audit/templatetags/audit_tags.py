"""{{ entry.action|action_label }}: an audit action in words (see audit/labels.py)."""

from __future__ import annotations

from django import template

from chuangwen.audit.labels import action_label as _action_label

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    return _action_label(code)
