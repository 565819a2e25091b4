"""The scoring rule of shared/eval/README.md: a candidate passes when, against one of the two
reference runs, its effect on the tree is the same and its output is the same after trimming
trailing blanks on each line and blank lines at both ends (strict); lenient also ignores line order."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Outcome:
    """One run in one fresh copy: what it printed and what it did to the tree."""

    output: str
    effect: dict[str, tuple]
    status: int | None = 0
    seconds: float = 0.0
    command: str | None = None
    note: str = ""  # why there is no real run (invalid plan, refused, no model, ...)
    extra: dict = field(default_factory=dict)


def output_lines(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def outputs_match(candidate: str, reference: str, lenient: bool = False) -> bool:
    mine, theirs = output_lines(candidate), output_lines(reference)
    if lenient:
        return sorted(mine) == sorted(theirs)
    return mine == theirs


def passes(candidate: Outcome, references: list[Outcome], lenient: bool = False) -> bool:
    """Both conditions against the same reference: stricter than allowing the effect of one
    reference and the output of the other."""
    if candidate.note:
        return False
    return any(
        candidate.effect == reference.effect
        and outputs_match(candidate.output, reference.output, lenient)
        for reference in references
    )
