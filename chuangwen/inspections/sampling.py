"""Drawing points at random by type quotas, reproducibly. No database access.

The same seed and the same candidates always draw the same points: candidates are sorted by
id within each type, the types are visited in sorted code order, and one `random.Random(seed)`
does all the drawing. The digest of the candidate ids is recorded beside the seed, so anyone
can later check that a draw was not re-rolled until it suited somebody.
"""

from __future__ import annotations

import hashlib
import random
import secrets
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

MAX_SEED = 2**63 - 1


def new_seed() -> int:
    return secrets.randbelow(2**31)


@dataclass
class Draw:
    ids: list[int]
    by_type: dict[str, list[int]]
    shortfall: dict[str, int] = field(default_factory=dict)  # type code → points missing
    candidates_count: int = 0
    digest: str = ""


def digest(ids: Iterable[int]) -> str:
    return hashlib.sha256(",".join(str(i) for i in sorted(ids)).encode()).hexdigest()


def draw(candidates: Iterable[tuple[int, str]], quotas: Mapping[str, int], seed: int) -> Draw:
    """Pick `quotas[type]` ids of each type from (id, type_code) candidates with `seed`."""
    pool: dict[str, list[int]] = defaultdict(list)
    everything: list[int] = []
    for pk, code in candidates:
        everything.append(pk)
        if code in quotas:
            pool[code].append(pk)
    rng = random.Random(seed)  # noqa: S311 (reproducible sampling, not security)
    by_type: dict[str, list[int]] = {}
    shortfall: dict[str, int] = {}
    for code in sorted(quotas):
        wanted = int(quotas[code])
        if wanted <= 0:
            continue
        ids = sorted(pool.get(code, []))
        take = min(wanted, len(ids))
        by_type[code] = sorted(rng.sample(ids, take)) if take else []
        if take < wanted:
            shortfall[code] = wanted - take
    picked = [pk for code in sorted(by_type) for pk in by_type[code]]
    return Draw(picked, by_type, shortfall, len(everything), digest(everything))
