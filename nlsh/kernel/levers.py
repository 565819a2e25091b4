"""The accuracy levers around the model, each one switchable: the `levers` setting (config file, or
NLSH_LEVERS=retrieval,verify), `--fast` for none of them. tools/eval.py measures each one."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

# retrieval: worked examples like the request from the example bank (kernel/retrieval)
# grounding: where the files the request names really are (kernel/grounding.py)
# verify:    a read-only command is tried in the sandbox first; an error gets one repair round
# select:    sampled alternatives are tried beside the greedy command; what most of them print wins
LEVERS = ("retrieval", "grounding", "verify", "select")
# None by default: measured on the eval, none of them lifted the score (README, "Accuracy levers").
DEFAULT: tuple[str, ...] = ()


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
    """The planner's check when verification is on: kernel/verify.py tries read-only plans."""
    if "verify" not in levers:
        return None
    from nlsh.kernel.verify import Verifier

    return Verifier(cwd, assess, piped)
