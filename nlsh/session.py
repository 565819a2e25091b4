"""One request end to end: context -> model -> validated plan -> risk -> policy -> run -> render ->
record. The REPL, one-shot and pipe modes all come through here; the mode only changes the IO."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

from nlsh.exitcodes import ExitCode
from nlsh.kernel.ask import Ask
from nlsh.kernel.context import Facts, build_prompt
from nlsh.kernel.exit_status import ended
from nlsh.kernel.levers import facts_for, plan_check, plan_choice
from nlsh.kernel.plan import Plan, PlanError, Step
from nlsh.kernel.planner import Planner, validate, with_results
from nlsh.models.base import Model, ModelError, ReplyCutOff
from nlsh.recorder import Recorder
from nlsh.safety.policy import Grant, Verdict, decide
from nlsh.safety.risk import Assessment, Risk
from nlsh.tools.context import Result, ToolContext, ToolError
from nlsh.tools.registry import Registry, Tool
from nlsh.ui import render
from nlsh.ui.terminal import Asker

STEP_BUDGET = 5  # planning rounds per request (observe loops)


@dataclass
class Options:
    mode: str = "one-shot"  # repl | one-shot | pipe
    model: str | None = None
    api_base: str | None = None
    timeout: float = 60.0
    model_options: dict[str, Any] = field(default_factory=dict)
    repack: str = "off"  # local models: llama.cpp weight repacking (nlsh/models/repack.py)
    grant: Grant = field(default_factory=Grant)
    dry_run: bool = False
    print_only: bool = False
    as_json: bool = False
    fresh: bool = False
    sandbox: bool = False
    levers: tuple[str, ...] = ()  # accuracy levers around the model (kernel/levers.py); () is the fast path


class Reviewer(Protocol):
    def review(self, plan: Plan, session: "Session") -> Plan | None:
        """Shown a planned step list before anything runs: returns the plan to run (this one, or the
        person's edit of it, which is assessed like any plan) or None to cancel."""


@dataclass
class SessionIO:
    out: IO[str]  # results
    err: Any  # a rich Console on stderr: plans, questions' context, warnings
    out_is_terminal: bool = False
    asker: Asker | None = None  # the person's terminal; None: nobody to ask
    piped: Any = None  # kernel.stdin.PipedInput when data is piped in
    out_fd: int | None = None  # the real stdout, for a last step that streams
    reviewer: Reviewer | None = None  # the REPL's plan review; None: plans run as planned
    terminal: int | None = None  # the person's terminal as nlsh's stdin (no data piped): the steps' stdin


class Session:
    def __init__(self, options: Options, io: SessionIO, registry: Registry, *,
                 model: Model | None = None, store: Any = None, cwd: Path | None = None):
        self.options = options
        self.io = io
        self.registry = registry
        self._model = model
        self.store = store
        self.ctx = ToolContext(cwd=(cwd or Path.cwd()), env=dict(os.environ), sandbox=options.sandbox)
        self.ctx.store = store
        self.ctx.terminal = io.terminal

    # -- the model, loaded on first need (a remembered plan needs none) --------------------------
    @property
    def configured_model(self) -> str:
        """The model as the person chose it: the same before and after it is loaded."""
        from nlsh.models.resolve import DEFAULT_MODEL

        return self.options.model or DEFAULT_MODEL

    @property
    def model_name(self) -> str:
        return self._model.name if self._model else self.configured_model

    def model(self) -> Model:
        if self._model is None:
            from nlsh.models.resolve import resolve_model

            o = self.options
            self._model = resolve_model(o.model, api_base=o.api_base, timeout=o.timeout, options=o.model_options,
                                        repack=o.repack)
        return self._model

    # -- one request -------------------------------------------------------------------------------
    def run(self, text: str, plan: Plan | None = None) -> ExitCode:
        """One line from the person. Without a plan, the dispatcher decides its road first (a command
        line, nlsh's own memory, a follow-up, or English for the planner)."""
        text = text.strip()
        if not text:
            self.io.err.print("nlsh: the request is empty; say what you want done")
            return ExitCode.USAGE
        if plan is None:
            from nlsh.kernel.dispatch import take

            return take(self, text)
        return self.perform(Ask(text, plan=plan))

    def perform(self, ask: Ask) -> ExitCode:
        record = self._request = Recorder(self, ask.text, ask.road, ask.prompt_text)
        try:
            code, decision = (ask.local(record.id), "ran") if ask.local is not None else self._run(ask, record)
        except KeyboardInterrupt:
            self.io.err.print("\nnlsh: cancelled")
            record.finish("cancelled", "interrupted", ExitCode.INTERRUPTED)
            return ExitCode.INTERRUPTED
        record.finish(decision, code.name.lower(), code)
        return code

    def _run(self, ask: Ask, record: Recorder) -> tuple[ExitCode, str]:
        tainted_by = "data piped to stdin" if self.io.piped is not None else None
        prompt = None
        plan = ask.plan
        if plan is not None:  # kept for follow-ups ("do it again"), never replayed for the same words
            record.plan(plan, self.context_key(), remember=False)
        for round_no in range(STEP_BUDGET):
            planned = plan is None  # a plan handed in (a typed command line) is not reviewed
            try:
                if plan is None:
                    plan, prompt = self._plan(ask, prompt, record, first=round_no == 0)
            except (PlanError, ReplyCutOff) as exc:
                self.say(f"nlsh: the model did not give a usable plan: {exc}")
                return ExitCode.BAD_PLAN, "failed"
            except ModelError as exc:
                self.say(f"nlsh: {exc}")
                return ExitCode.NO_MODEL, "failed"
            if self.options.dry_run or self.options.print_only:
                return self._show_only(plan), "planned"
            if not plan.steps:
                self._answer(plan.answer)
                return ExitCode.OK, "ran"
            if planned and self.io.reviewer is not None:
                plan = self._reviewed(plan, record, first=round_no == 0)
                if plan is None:
                    return ExitCode.REFUSED, "cancelled"
            else:
                self._announce(plan)
            code, results = self._execute(plan, record, tainted_by)
            if code != ExitCode.OK or not plan.observe or prompt is None:
                return code, ("refused" if code == ExitCode.REFUSED else "ran")
            tainted_by = "the output of the steps it observed"
            prompt = with_results(prompt, results)
            plan = None
        self.say(f"nlsh: stopped after {STEP_BUDGET} planning rounds")
        return ExitCode.STEP_FAILED, "ran"

    def say(self, message: str) -> None:
        """A message on stderr. Never markup: it may carry a model's reply or a file name."""
        self.io.err.print(message, markup=False, highlight=False)

    def _answer(self, answer: str | None) -> None:
        if self.options.as_json:
            self.io.out.write(json.dumps({"answer": answer or ""}, ensure_ascii=False) + "\n")
        elif answer:
            self.io.out.write(answer.rstrip("\n") + "\n")
        self.io.out.flush()

    def _plan(self, ask: Ask, prompt: Any, record: Recorder, first: bool) -> tuple[Plan, Any]:
        key = self.context_key()
        text = ask.prompt_text or ask.text
        if first and self.store is not None and not (self.options.fresh or ask.fresh):
            locked = self._remembered(record, ask.text, key)
            if locked is not None:
                self.io.err.print("[dim]nlsh: using the plan remembered for this request (--fresh asks the model;"
                                  " \"that's not what I meant\" forgets it)[/]")
                record.plan(locked, key)
                return locked, None
        model = self.model()
        levers, piped = self.options.levers, self.io.piped is not None
        if prompt is None:
            facts = Facts(self.ctx.cwd, self.io.piped.preview if self.io.piped else None, self._examples(text, model, record),
                          **facts_for(text, self.ctx.cwd, levers, piped))
            prompt = build_prompt(text, profile=model.tool_profile, specs=self.registry.specs(), facts=facts)
        planner = Planner(model, self.registry, plan_check(levers, self.ctx.cwd, self.assess, piped),
                          plan_choice(levers, self.ctx.cwd, self.assess, piped))
        plan, prompt = planner.plan(prompt)
        if "options" in levers:  # still there after the repair round: the person decides, knowing it
            from nlsh.kernel.option_check import warnings

            for warning in warnings(plan, self.ctx.cwd):
                self.say(f"nlsh: note: {warning}")
        if first:  # what a later identical request may replay: the plan made before any result was seen
            record.plan(plan, key, remember=ask.remember)
        return plan, prompt

    def _remembered(self, record: Recorder, text: str, key: str) -> Plan | None:
        """The plan that worked for this request before, when replaying it is sound: it has steps and
        needs no model to read their results (an answer or an observe round would be stale)."""
        locked = record.call(self.store.locked_plan, text, key)
        if not locked:
            return None
        try:
            plan = validate(Plan.from_json(locked), self.registry)
        except PlanError:
            return None
        return plan if plan.steps and not plan.observe else None

    def _examples(self, text: str, model: Model, record: Recorder) -> list[tuple[str, str]]:
        if self.store is None:
            return []
        found = record.call(self.store.examples, text) or []
        if model.tool_profile != "shell":
            return found
        shown = []
        for request, plan_json in found:  # a shell-profile model learns from command lines only
            try:
                steps = Plan.from_json(plan_json).steps
            except PlanError:
                continue
            if len(steps) == 1 and steps[0].tool == "shell":
                shown.append((request, steps[0].args.get("command", "")))
        return shown

    def context_key(self) -> str:
        """What makes two identical requests the same: where, with which model, with piped data or not."""
        blob = json.dumps([str(self.ctx.cwd), self.configured_model, self.io.piped is not None,
                           sorted(self.registry.names())])
        return hashlib.sha256(blob.encode()).hexdigest()[:32]

    def _show_only(self, plan: Plan) -> ExitCode:
        if self.options.print_only:
            try:
                lines = [self.registry.get(s.tool).as_shell(s.args) for s in plan.steps]
            except ToolError as exc:
                self.say(f"nlsh: cannot print this plan as shell: {exc}")
                return ExitCode.BAD_PLAN
            for line in lines:
                self.io.out.write(line + "\n")
            if plan.answer and not lines:
                self.say(plan.answer)
        elif self.options.as_json:
            self.io.out.write(plan.to_json() + "\n")
        else:
            for i, step in enumerate(plan.steps, 1):
                self.io.out.write(render.step_line(i, self.label(step), self.assess(step)) + "\n")
            if plan.answer:
                self.io.out.write(plan.answer + "\n")
        self.io.out.flush()
        return ExitCode.OK

    # -- running the steps -------------------------------------------------------------------------
    def label(self, step: Step) -> str:
        tool = self.registry.get(step.tool)
        try:
            return tool.as_shell(step.args)
        except (ToolError, KeyError, TypeError):
            return f"{step.tool} {json.dumps(step.args, ensure_ascii=False)}"

    def assess(self, step: Step) -> Assessment:
        try:
            return self.registry.get(step.tool).assess(step.args, self.ctx)
        except Exception as exc:  # a classifier failure must never make a step look safe
            return Assessment(Risk.UNKNOWN, (f"could not assess: {exc}",))

    def _reviewed(self, plan: Plan, record: Recorder, first: bool) -> Plan | None:
        reviewed = self.io.reviewer.review(plan, self)
        if reviewed is None:
            self.say("nlsh: cancelled; nothing ran")
        elif reviewed is not plan:
            # The person's correction is what this request's history keeps (decision 'edited'), so
            # the plan lock and the examples for similar requests learn the corrected form.
            record.edited = True
            if first:
                record.plan(reviewed, self.context_key())
        return reviewed

    def _announce(self, plan: Plan) -> None:
        for i, step in enumerate(plan.steps, 1):
            self.say(render.step_line(i, self.label(step), self.assess(step)))

    @property
    def commands_run(self) -> list[str]:
        """The command lines of the last request's steps that ran (for the shell wrapper's history)."""
        request = getattr(self, "_request", None)
        return list(request.ran) if request is not None else []

    def _execute(self, plan: Plan, record: Recorder, tainted_by: str | None) -> tuple[ExitCode, list[tuple[str, str]]]:
        if self.io.piped is not None and (plan.observe or sum(s.tool == "shell" for s in plan.steps) > 1):
            self.io.piped.keep_for_many()  # every step that reads stdin must see all of it
        results = []
        for i, step in enumerate(plan.steps, 1):
            tool = self.registry.get(step.tool)
            # Assessed again right before it runs: an earlier step may have changed the directory
            # its paths are resolved in (cd .. then >> .bashrc).
            assessment = self.assess(step)
            clearance = self._permitted(i, step, tool, assessment, tainted_by)
            if clearance is None:
                record.step(i, step, self.label(step), assessment, None, 0.0, "refused")
                return ExitCode.REFUSED, results
            self.ctx.clearance = clearance  # the jail the step runs in enforces what was decided
            last = i == len(plan.steps) and not plan.observe
            result, seconds = self._run_step(step, tool, assessment, stream=last and not self.options.as_json)
            record.step(i, step, self.label(step), assessment, result, seconds, result.summary(500))
            if plan.observe:
                results.append((self.label(step), result.summary()))
                self.io.err.print(f"[dim]({len(result.summary())} characters passed to the model)[/]")
            else:
                render.write_result(result, self.io.out, as_json=self.options.as_json, terminal=self.io.out_is_terminal)
            if not result.ok:
                self.say(f"nlsh: step {i} {result.error or ended(result.exit_code)}")
                return ExitCode.STEP_FAILED, results
        return ExitCode.OK, results

    def _permitted(self, index: int, step: Step, tool: Tool, assessment: Assessment, tainted_by: str | None) -> Any:
        """The step's clearance (nlsh.safety.jail) when it may run, None when it may not."""
        argvs = None
        if step.tool == "shell":
            from nlsh.safety.shell_risk import simple_commands

            argvs = simple_commands(step.args["command"])
        verdict, why, clearance = decide(step.tool, assessment, self.options.grant, tainted_by=tainted_by,
                                         has_terminal=self.io.asker is not None, argvs=argvs)
        if verdict == Verdict.RUN:
            return clearance
        details = "; ".join(assessment.reasons[:5])
        if verdict == Verdict.REFUSE:
            self.say(f"nlsh: refused step {index} ({why}): {details}")
            return None
        self.say(f"step {index} is {assessment.risk.label}: {details}")
        from nlsh.safety.display import reveal

        # The question itself names the step: stderr may be redirected away from the terminal.
        label = reveal(self.label(step))
        if self.io.asker.ask(f"Run step {index} [{assessment.risk.label}]: {label} ?"):
            return clearance
        self.say("nlsh: not run")
        return None

    def _run_step(self, step: Step, tool: Tool, assessment: Assessment, stream: bool) -> tuple[Result, float]:
        ctx = self.ctx
        if assessment.risk > Risk.READ:
            ctx.journal = self._journal()
            if step.tool == "shell" and assessment.targets and ctx.journal is not None:
                ctx.journal.snapshot([ctx.resolve(t) for t in assessment.targets])
        ctx.stdout_fd = self.io.out_fd if stream and step.tool == "shell" else None
        ctx.stdin = self.io.piped.take() if (self.io.piped and step.tool == "shell") else None
        started = time.monotonic()
        try:
            result = tool.run(ctx, step.args)
        except ToolError as exc:
            result = Result(error=str(exc))
        except KeyboardInterrupt:
            raise
        except Exception as exc:  # a tool bug must not take the session down
            result = Result(error=f"{step.tool} failed: {type(exc).__name__}: {exc}")
        finally:
            if ctx.stdin is not None:
                ctx.stdin.close()
                ctx.stdin = None
            if ctx.journal is not None:
                ctx.journal.settle()  # how the step left each path: undo leaves later changes alone
        if ctx.stdout_fd is not None:
            self.io.out.flush()
            if result.exit_code in (-signal.SIGPIPE, 128 + signal.SIGPIPE):
                result.exit_code = 0  # the reader downstream stopped early (| head): not a failure
        return result, time.monotonic() - started

    def _journal(self) -> Any:
        """The undo journal of the current request, opened when its first change is about to happen."""
        request = self._request
        if request.journal is None:
            from nlsh.safety.undo import Journal

            try:
                request.journal = Journal.open(request.id, request.text)
            except OSError as exc:
                self.say(f"nlsh: warning: undo is not available for this request ({exc.strerror})")
        return request.journal
