"""Plan review in the REPL: the plan is shown compactly before anything runs, and one key decides.

    1. rm -r build  [destructive]  rm deletes build
    Enter run · e edit · x explain · n cancel

Enter hands the plan to the session, which still asks when the policy says so. `e` puts the plan's
command line in the line editor; what comes back is a new plan, shown and assessed again like any
other (an edit is never trusted). `x` explains each part of each command. `n`, Escape, Ctrl-D cancel;
Ctrl-C cancels the request like everywhere else."""

from __future__ import annotations

from typing import Any, Callable

from nlsh.kernel.plan import Plan, Step
from nlsh.safety.risk import Risk
from nlsh.tools.context import ToolError
from nlsh.ui import render

RUN, EDIT, EXPLAIN, CANCEL = "run", "edit", "explain", "cancel"
KEYS = {"enter": RUN, "y": RUN, "e": EDIT, "x": EXPLAIN, "n": CANCEL, "escape": CANCEL, "c-d": CANCEL}
HINT = "Enter run · e edit · x explain · n cancel"
NARROW_HINT = "⏎ run e edit x explain n no"


def default_explainer(command: str) -> list[Any]:
    """Each program and flag of `command` with its meaning, from its own --help or man page."""
    from nlsh.kernel.explain import explain

    return explain(command)


class PlanReviewer:
    """The `reviewer` of a REPL session (nlsh.session.Reviewer). `input`/`output` are prompt-toolkit's,
    shared with the REPL's prompt so tests drive both through one pipe."""

    def __init__(self, err: Any, *, input: Any = None, output: Any = None,
                 explainer: Callable[[str], list[Any]] = default_explainer, editor: Any = None):
        self.err = err
        self.input = input
        self.output = output
        self.explainer = explainer
        self.editor = editor  # a PromptSession for `e`; made on first use

    def review(self, plan: Plan, session: Any) -> Plan | None:
        current = plan
        self.show(current, session)
        while True:
            choice = self.read_choice()
            if choice == RUN:
                return current
            if choice == CANCEL:
                return None
            if choice == EXPLAIN:
                self.explain(current, session)
                continue
            edited = self.edit(current, session)
            if edited is None:
                continue
            if edited.strip() == _command_text(current, session):
                continue  # unchanged: the reviewed plan stays (typed tools and all)
            current = Plan([Step("shell", {"command": edited.strip()})])
            self.show(current, session)  # assessed afresh: the edit is a new plan

    # -- showing ------------------------------------------------------------------------------------
    def show(self, plan: Plan, session: Any) -> None:
        for i, step in enumerate(plan.steps, 1):
            assessment = session.assess(step)
            reason = _reason(step, assessment)
            line = render.step_line(i, session.label(step), assessment)
            self.err.print(f"{line}  {render.neutralize(reason)}" if reason else line, markup=False, highlight=False)
        if plan.observe:
            self.err.print("(the model reads the results and plans again)", style="dim", markup=False)

    def read_choice(self) -> str:
        from prompt_toolkit.application import Application
        from prompt_toolkit.key_binding import KeyBindings
        from prompt_toolkit.layout import Layout
        from prompt_toolkit.layout.containers import Window
        from prompt_toolkit.layout.controls import FormattedTextControl

        bindings = KeyBindings()
        for key, choice in KEYS.items():
            bindings.add(key, eager=True)(lambda event, choice=choice: event.app.exit(result=choice))

        @bindings.add("c-c")
        def _interrupt(event: Any) -> None:
            event.app.exit(exception=KeyboardInterrupt())

        def hint() -> Any:
            width = self.err.width or 80
            return [("bold", HINT if width >= len(HINT) + 2 else NARROW_HINT)]

        app: Any = Application(layout=Layout(Window(FormattedTextControl(hint), height=1)), key_bindings=bindings,
                               input=self.input, output=self.output, erase_when_done=True)
        return app.run()

    # -- e: edit --------------------------------------------------------------------------------------
    def edit(self, plan: Plan, session: Any) -> str | None:
        """The person's version of the plan's command line, or None when there is nothing to edit."""
        text = _command_text(plan, session)
        if text is None:
            self.err.print("nlsh: this plan calls a tool with no command line form; it cannot be edited",
                           markup=False)
            return None
        if self.editor is None:
            from nlsh.ui.editing import make_editor

            self.editor = make_editor(input=self.input, output=self.output)
        try:
            edited = self.editor.prompt("edit> ", default=text)
        except EOFError:
            return None
        if not edited.strip():
            self.err.print("nlsh: the edit is empty; the plan is unchanged", markup=False)
            return None
        return edited

    # -- x: explain -----------------------------------------------------------------------------------
    def explain(self, plan: Plan, session: Any) -> None:
        from nlsh.ui.pager import show_long

        lines: list[str] = []
        for i, step in enumerate(plan.steps, 1):
            if step.tool != "shell":
                tool = session.registry.get(step.tool)
                summary = tool.description.splitlines()[0] if tool.description else ""
                lines.append(f"{i}. {step.tool}: {summary}")
                lines += [f"     {name} = {value!r}" for name, value in step.args.items()]
                continue
            command = step.args.get("command", "")
            try:
                parts = self.explainer(command)
            except Exception as exc:  # a failing explainer must not end the review
                lines.append(f"{i}. could not explain: {type(exc).__name__}: {exc}")
                continue
            lines.append(f"{i}. {command}")
            width = max((len(p.text) for p in parts), default=0)
            lines += [f"   {p.text.ljust(min(width, 24))}  {p.meaning}" for p in parts]
        show_long(render.neutralize("\n".join(lines)), self.err)


def _reason(step: Step, assessment: Any) -> str:
    """One line on why: what makes a step more than read-only, else the model's own note."""
    if assessment.risk > Risk.READ and assessment.reasons:
        return assessment.reasons[0]
    return (step.reason or "").splitlines()[0] if step.reason else ""


def _command_text(plan: Plan, session: Any) -> str | None:
    """The plan as one command line to edit (steps joined by &&: the plan stops at a failing step)."""
    lines = []
    for step in plan.steps:
        try:
            lines.append(session.registry.get(step.tool).as_shell(step.args))
        except (ToolError, KeyError, TypeError):
            return None
    return " && ".join(lines)
