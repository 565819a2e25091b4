"""Risk classes. A step's class comes from its tool's declaration or from parsing its command line,
never from anything the model says."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum


class Risk(IntEnum):
    """Ordered: a compound action takes the highest class of its parts."""

    READ = 0  # looks, changes nothing
    WRITE = 1  # creates or appends; nothing existing is lost
    NETWORK = 2  # talks to another machine
    DESTRUCTIVE = 3  # deletes, overwrites, kills
    SYSTEM = 4  # privileged or machine-wide (sudo, mkfs, kill -1, ...)
    UNKNOWN = 5  # cannot tell (did not parse, command chosen at run time): treated as the worst

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> "Risk":
        try:
            return cls[text.strip().upper()]
        except KeyError:
            names = ", ".join(r.label for r in cls)
            raise ValueError(f"unknown risk class {text!r} (one of: {names})") from None


@dataclass(frozen=True)
class Assessment:
    """What a step may do: its class, why, and the paths it would change (for previews and undo)."""

    risk: Risk
    reasons: tuple[str, ...] = ()
    targets: tuple[str, ...] = field(default=())

    def merge(self, other: "Assessment") -> "Assessment":
        return Assessment(
            max(self.risk, other.risk),
            self.reasons + tuple(r for r in other.reasons if r not in self.reasons),
            self.targets + tuple(t for t in other.targets if t not in self.targets),
        )

    @property
    def read_only(self) -> bool:
        return self.risk == Risk.READ
