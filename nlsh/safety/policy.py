"""The one place that decides whether a step runs, is asked about, or is refused.

Read-only steps run. Anything else runs only with the person's yes: asked on the terminal, or given
in advance on the command line (--yes, --allow CLASSES) or by an allow rule in the config. Once
content from outside (stdin, a file, a web page, a command's output) has entered the model's
context, the next step above read-only needs a fresh yes at the terminal: nothing given in advance
covers it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import NamedTuple

from nlsh.safety.jail.clearance import Clearance
from nlsh.safety.risk import Assessment, Risk

# Classes that --allow and `class:` rules may never grant wholesale.
NEVER_BY_CLASS = frozenset({Risk.SYSTEM, Risk.UNKNOWN})


class Verdict(Enum):
    RUN = "run"
    ASK = "ask"
    REFUSE = "refuse"


# The jail a class granted in advance (--allow, a `class:` rule) runs in; see nlsh.safety.jail.
CLEARANCE_OF_CLASS = {Risk.WRITE: Clearance.WRITE, Risk.DESTRUCTIVE: Clearance.DESTRUCTIVE,
                      Risk.NETWORK: Clearance.NETWORK}


class Decision(NamedTuple):
    verdict: Verdict
    why: str
    clearance: Clearance  # what the step may do when it runs (after a yes, for ASK)


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


def class_rules(rules: tuple[str, ...]) -> set[Risk]:
    """`class:write` rules: a risk class granted in advance, never system or unknown."""
    return {Risk.parse(r[6:]) for r in rules if r.startswith("class:")} - NEVER_BY_CLASS


def rule_covers(rules: tuple[str, ...], tool: str, risk: Risk, argvs: list[list[str]] | None) -> bool:
    """Allow rules: `tool:NAME` (a typed tool), `command:PREFIX WORDS` (every simple command of a
    shell line must start with an allowed prefix: a rule never covers a compound command as a
    whole), `class:write` (a risk class, never system or unknown)."""
    if risk in class_rules(rules):
        return True
    if tool != "shell":
        return f"tool:{tool}" in rules
    prefixes = [r[8:].split() for r in rules if r.startswith("command:")]
    if not argvs or not prefixes:
        return False
    return all(any(p and argv[: len(p)] == p for p in prefixes) for argv in argvs)


def decide(tool: str, assessment: Assessment, grant: Grant, *, tainted_by: str | None,
           has_terminal: bool, argvs: list[list[str]] | None = None) -> Decision:
    """Run, ask or refuse, and the clearance the step then runs with: read-only steps in the read
    jail, steps let through by a class (--allow, `class:`) in that class's jail, and steps the
    person said yes to (at the terminal, --yes, a command or tool rule) unconfined."""
    risk = assessment.risk
    if risk == Risk.READ:
        return Decision(Verdict.RUN, "read-only", Clearance.READ)
    if tainted_by:
        why = f"the model has read {tainted_by} since your request; a {risk.label} step needs a fresh yes"
        return Decision(Verdict.ASK, why, Clearance.FULL) if has_terminal else \
            Decision(Verdict.REFUSE, why + " at a terminal", Clearance.READ)
    if grant.yes:
        return Decision(Verdict.RUN, "--yes", Clearance.FULL)
    if risk in grant.classes:
        return Decision(Verdict.RUN, f"--allow {risk.label}", CLEARANCE_OF_CLASS[risk])
    if risk in class_rules(grant.rules):
        return Decision(Verdict.RUN, f"the rule class:{risk.label} in the config", CLEARANCE_OF_CLASS[risk])
    if rule_covers(grant.rules, tool, risk, argvs):
        return Decision(Verdict.RUN, "an allow rule in the config", Clearance.FULL)
    if has_terminal:
        return Decision(Verdict.ASK, f"{risk.label} step", Clearance.FULL)
    return Decision(Verdict.REFUSE, f"a {risk.label} step needs a yes: no terminal to ask on (use --yes or --allow)",
                    Clearance.READ)
