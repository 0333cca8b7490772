"""The API's list pagination: ninja's limit/offset with bounds a database accepts.

ninja leaves offset unbounded (and limit too unless a maximum is set); a number past 2^63 reaches
SQLite inlined in LIMIT/OFFSET and fails there ("datatype mismatch"), a 500 instead of the 422
every other bad parameter gets.
"""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_OFFSET = 10**9


class Pagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
