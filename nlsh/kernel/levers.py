"""The accuracy levers around the model, each one switchable: the `levers` setting (config file, or
NLSH_LEVERS=retrieval,verify), `--fast` for none of them. tools/eval.py measures each one."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

# retrieval: worked examples like the request from the example bank (kernel/retrieval)
# grounding: where the files the request names really are (kernel/grounding.py)
# verify:    a read-only command is tried in the sandbox first; an error gets one repair round
# select:    sampled alternatives are tried beside the greedy command; what most of them print wins
# options:   an option the program's manual does not list gets one repair round (kernel/option_check.py)
LEVERS = ("retrieval", "grounding", "verify", "select", "options")
# Only the option check by default: it costs nothing unless it finds something, and what it finds
# is nearly always wrong. The others did not lift the score enough to pay for their time (README,
# "Accuracy levers").
DEFAULT: tuple[str, ...] = ("options",)


def parse(value: object) -> tuple[str, ...]:
    """Lever names from a list or a comma-separated string ("none" or "" for none); ValueError
    naming the known levers otherwise."""
    if isinstance(value, str):
        value = [] if value.strip().lower() == "none" else [v for v in value.split(",") if v.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"levers must be a list of lever names ({', '.join(LEVERS)})")
    names = [v.strip().lower() for v in value]
    unknown = [n for n in names if n not in LEVERS]
    if unknown:
        raise ValueError(f"unknown lever {unknown[0]!r} (known: {', '.join(LEVERS)})")
    return tuple(dict.fromkeys(names))


def facts_for(request: str, cwd: Path, levers: tuple[str, ...], piped: bool) -> dict:
    """What the switched-on levers add to the facts the model reads (Facts keyword arguments)."""
    added: dict = {}
    if "retrieval" in levers:
        from nlsh import paths
        from nlsh.kernel.retrieval import similar_examples

        added["references"] = similar_examples(request, paths.cache_dir())
    if "grounding" in levers and not piped:
        from nlsh.kernel.grounding import locate, named_in

        added["located"] = locate(named_in(request), cwd)
    return added


def plan_choice(levers: tuple[str, ...], cwd: Path, assess: Callable, piped: bool) -> Callable | None:
    """The planner's chooser when selection is on: kernel/select.py."""
    if "select" not in levers:
        return None
    from nlsh.kernel.select import Selector

    return Selector(cwd, assess, piped)


def plan_check(levers: tuple[str, ...], cwd: Path, assess: Callable, piped: bool) -> Callable | None:
    """The planner's check: options the manuals do not list (kernel/option_check.py), then a trial
    of read-only plans (kernel/verify.py); the first problem found gets the repair round."""
    checks: list[Callable] = []
    if "options" in levers:
        from nlsh.kernel.option_check import OptionCheck

        checks.append(OptionCheck(cwd))
    if "verify" in levers:
        from nlsh.kernel.verify import Verifier

        checks.append(Verifier(cwd, assess, piped))
    if len(checks) < 2:
        return checks[0] if checks else None
    return lambda plan: next((problem for check in checks if (problem := check(plan))), None)
