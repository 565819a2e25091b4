"""What the dispatcher hands the session for one line: the request to record, which road it took,
and how the session should answer it (a plan to run as given, a text for the planner, or a local
answer that needs no plan)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

from nlsh.exitcodes import ExitCode
from nlsh.kernel.plan import Plan


@dataclass
class Ask:
    text: str  # the request as recorded in the history (what the person typed)
    road: str = "english"  # shell, english, recall, undo, fix, why, explain, again, amend, cancel, notmeant
    plan: Plan | None = None  # run as given, through the same risk check and confirmation as any plan
    prompt_text: str | None = None  # what the planner is asked, when not the text ("fix it" carries the failure)
    fresh: bool = False  # never replay a remembered plan for this line
    remember: bool = True  # may a later identical request replay the plan made now
    # Answered here without a plan (recall, explain, why); called with this request's id in the
    # history (None when history is off).
    local: Callable[[Optional[int]], ExitCode] | None = None
