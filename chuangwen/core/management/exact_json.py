"""Django's JSON serializer, keeping times to the microsecond (used by `restore --convert`).

DjangoJSONEncoder cuts datetimes and times to milliseconds (ECMA-262's format), so a database
copied through dumpdata/loaddata comes back with different timestamps: the audit chain, whose
hashes cover the exact time, no longer verifies. ISO 8601 in full loses nothing and is what
the deserializer parses anyway.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.serializers.json import Deserializer, DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer

__all__ = ["Deserializer", "ExactJSONEncoder", "Serializer"]

FORMAT = "json-exact"


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class Serializer(JSONSerializer):
    def _init_options(self) -> None:
        super()._init_options()
        self.json_kwargs["cls"] = ExactJSONEncoder
