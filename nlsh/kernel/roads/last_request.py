"""What a follow-up is about: the newest request that had a plan (a typed command line, a planned
request, a fix or a repeat), with its steps, exit statuses and the end of their error output.
Questions and answers that ran nothing (recall, why, explain, cancel) and undos are passed over, so
"do it again" after "explain that" repeats the command, not the explanation."""

from __future__ import annotations

from typing import Any

from nlsh.kernel.plan import Plan, PlanError

PASSED_OVER = ("recall", "why", "explain", "cancel", "undo")
STDERR_SHOWN = 800  # characters of the end of a failed command's error output, for the model and the person


def last_request(session: Any) -> dict[str, Any] | None:
    """The request, or None after saying why there is none."""
    from nlsh.store.history import StoreError

    if session.store is None:
        session.say("nlsh: follow-ups need the history, which is off (--no-history or history = false)")
        return None
    try:
        found = session.store.last_with_plan(skip_roads=PASSED_OVER)
    except StoreError as exc:
        session.say(f"nlsh: {exc}")
        return None
    if found is None:
        session.say("nlsh: there is no earlier request to follow up on")
    return found


def plan_of(request: dict[str, Any], registry: Any) -> Plan | None:
    from nlsh.kernel.planner import validate

    try:
        return validate(Plan.from_json(request["plan_json"]), registry)
    except PlanError:
        return None


def commands(request: dict[str, Any]) -> list[str]:
    """The command lines of its steps as they ran; the plan's when no step ran (refused, --dry-run)."""
    ran = [s["command"] or s["tool"] for s in request["steps"]]
    if ran:
        return ran
    try:
        plan = Plan.from_json(request["plan_json"])
    except PlanError:
        return []
    return [str(s.args.get("command", s.tool)) for s in plan.steps]


def failed_step(request: dict[str, Any]) -> dict[str, Any] | None:
    """The step that failed (an exit status other than 0, or nlsh could not run it)."""
    for step in request["steps"]:
        if step["exit_code"] not in (0, None):
            return step
    return None


def error_tail(step: dict[str, Any]) -> str:
    """The end of what the failed step said on stderr (its output when it said nothing there)."""
    text = (step.get("stderr") or "").strip() or (step.get("output") or "").strip()
    return text if len(text) <= STDERR_SHOWN else "..." + text[-STDERR_SHOWN:]
