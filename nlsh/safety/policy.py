"""The one place that decides whether a step runs, is asked about, or is refused.

Read-only steps run. Anything else runs only with the person's yes: asked on the terminal, or given
in advance on the command line (--yes, --allow CLASSES) or by an allow rule in the config. Once
content from outside (stdin, a file, a web page, a command's output) has entered the model's
context, the next step above read-only needs a fresh yes at the terminal: nothing given in advance
covers it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from nlsh.safety.risk import Assessment, Risk

# Classes that --allow and `class:` rules may never grant wholesale.
NEVER_BY_CLASS = frozenset({Risk.SYSTEM, Risk.UNKNOWN})


class Verdict(Enum):
    RUN = "run"
    ASK = "ask"
    REFUSE = "refuse"


@dataclass(frozen=True)
class Grant:
    """Permission given before the plan was seen."""

    yes: bool = False
    classes: frozenset[Risk] = frozenset()
    rules: tuple[str, ...] = field(default=())

    @classmethod
    def from_options(cls, yes: bool, allow: list[str], rules: list[str]) -> "Grant":
        classes = set()
        for item in allow:
            for name in item.split(","):
                if name.strip():
                    risk = Risk.parse(name)
                    if risk in NEVER_BY_CLASS:
                        raise ValueError(f"--allow {risk.label} is not possible: answer at the terminal or use --yes")
                    classes.add(risk)
        return cls(yes, frozenset(classes), tuple(rules))


def rule_covers(rules: tuple[str, ...], tool: str, risk: Risk, argvs: list[list[str]] | None) -> bool:
    """Allow rules: `tool:NAME` (a typed tool), `command:PREFIX WORDS` (every simple command of a
    shell line must start with an allowed prefix: a rule never covers a compound command as a
    whole), `class:write` (a risk class, never system or unknown)."""
    classes = {Risk.parse(r[6:]) for r in rules if r.startswith("class:")} - NEVER_BY_CLASS
    if risk in classes:
        return True
    if tool != "shell":
        return f"tool:{tool}" in rules
    prefixes = [r[8:].split() for r in rules if r.startswith("command:")]
    if not argvs or not prefixes:
        return False
    return all(any(p and argv[: len(p)] == p for p in prefixes) for argv in argvs)


def decide(tool: str, assessment: Assessment, grant: Grant, *, tainted_by: str | None,
           has_terminal: bool, argvs: list[list[str]] | None = None) -> tuple[Verdict, str]:
    risk = assessment.risk
    if risk == Risk.READ:
        return Verdict.RUN, "read-only"
    if tainted_by:
        why = f"the model has read {tainted_by} since your request; a {risk.label} step needs a fresh yes"
        return (Verdict.ASK, why) if has_terminal else (Verdict.REFUSE, why + " at a terminal")
    if grant.yes:
        return Verdict.RUN, "--yes"
    if risk in grant.classes:
        return Verdict.RUN, f"--allow {risk.label}"
    if rule_covers(grant.rules, tool, risk, argvs):
        return Verdict.RUN, "an allow rule in the config"
    if has_terminal:
        return Verdict.ASK, f"{risk.label} step"
    return Verdict.REFUSE, f"a {risk.label} step needs a yes: no terminal to ask on (use --yes or --allow)"
