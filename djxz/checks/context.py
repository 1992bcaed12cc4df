"""What a check may know beyond the zone, and the shape of a check: the check modules and the registry share it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable, Iterator

from djxz.model import Diagnostic, Zone


@dataclass(frozen=True)
class CheckContext:
    """What a check may know beyond the zone: today's date and whether the user asked for strict checks."""

    today: dt.date
    strict: bool = False


Check = Callable[[Zone, CheckContext], Iterator[Diagnostic]]
