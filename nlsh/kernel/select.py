"""Choosing among several commands for one request by what they print.

The model's greedy command and a few sampled alternatives (models/parallel_samples.py) are each
tried in the read-only sandbox of kernel/verify.py, side by side. Commands that print the same thing
agree; the largest agreeing group wins, and its greedy member when it has one; a command that fails
in its trial (a usage error, a missing file) gets no vote at all. The hope was that a small model's
near misses would be outvoted by its other guesses. Measured on the dev split it is not so: its
samples are right less often than its greedy command and rarely agree on the right answer (README,
"Accuracy levers"), so the lever is off by default.

Only when the greedy plan is one read-only shell command, and never with data piped in (a trial could
not give the commands the same input); alternatives above read-only are never tried and have no vote."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from nlsh.kernel.plan import Plan, Step
from nlsh.kernel.verify import Trial, run_trials, trouble
from nlsh.safety.risk import Assessment, Risk

ALTERNATIVES = 4  # sampled commands besides the greedy one (measured: README, "Accuracy levers")


def agreed_output(trial: Trial | None, command: str) -> str | None:
    """What a trial's vote is for: its output with trailing blanks and blank edge lines dropped; None
    when the trial gives no vote (the sandbox is missing, the time ran out, or the command failed)."""
    if trial is None or trial.status is None or trouble(trial, command) is not None:
        return None
    lines = [line.rstrip() for line in trial.stdout.splitlines()]
    return "\n".join(lines).strip("\n")


def choose(commands: list[str], outputs: dict[str, str | None]) -> str:
    """The command to keep. `commands` holds the greedy command first and every sample as written
    (so a command the model wrote twice counts twice); `outputs` maps each to its vote."""
    votes: Counter[str] = Counter()
    for command in commands:
        if outputs.get(command) is not None:
            votes[outputs[command]] += 1
    if not votes:
        return commands[0]
    greedy_output = outputs.get(commands[0])
    best = max(votes, key=lambda output: (votes[output], output == greedy_output))
    members = [c for c in commands if outputs.get(c) == best]
    return commands[0] if commands[0] in members else Counter(members).most_common(1)[0][0]


@dataclass
class Selector:
    """The planner's chooser: given the greedy plan and a way to ask for alternatives, the plan to keep."""

    cwd: Path
    assess: Callable[..., Assessment]
    piped: bool
    trials: Callable[[list[str], Path], list[Trial | None]] = run_trials
    count: int = ALTERNATIVES

    def __call__(self, plan: Plan, alternatives: Callable[[int], list[str]]) -> Plan:
        greedy = self._command(plan)
        if self.piped or greedy is None:
            return plan
        if not self._read_only(greedy):
            return plan  # never tried, not even in the sandbox: nothing to compare it with
        # An alternative above read-only is never tried either: it has no vote.
        commands = [greedy] + [c for c in alternatives(self.count) if c.strip() and self._read_only(c)]
        distinct = list(dict.fromkeys(commands))
        if len(distinct) == 1:
            return plan
        outputs = {c: agreed_output(t, c) for c, t in zip(distinct, self.trials(distinct, self.cwd))}
        kept = choose(commands, outputs)
        return plan if kept == greedy else Plan(steps=[Step("shell", {"command": kept})])

    @staticmethod
    def _command(plan: Plan) -> str | None:
        if len(plan.steps) == 1 and plan.steps[0].tool == "shell":
            return plan.steps[0].args["command"]
        return None

    def _read_only(self, command: str) -> bool:
        return self.assess(Step("shell", {"command": command})).risk <= Risk.READ

