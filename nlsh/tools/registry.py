"""The typed tool table. A tool is a plain Python function with a docstring and type hints; its JSON
schema is derived from the signature with pydantic, and its risk class is declared beside it."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from nlsh.models.base import ToolSpec
from nlsh.safety.risk import Assessment, Risk
from nlsh.tools.context import Result, ToolContext, ToolError

ShellRender = Callable[[dict[str, Any]], str]
Assess = Callable[[dict[str, Any], ToolContext], Assessment]


class ArgumentError(ValueError):
    """The model gave a tool arguments that do not fit its signature."""


@dataclass
class Tool:
    name: str
    func: Callable[..., Any]
    risk: Risk
    description: str
    args_model: type[BaseModel]
    render_shell: ShellRender | None = None
    assess_args: Assess | None = None  # for tools whose risk or targets depend on the arguments
    jailed: bool = False  # runs its work in a kernel jail of its own (shell); else its targets are checked

    def spec(self) -> ToolSpec:
        schema = self.args_model.model_json_schema()
        schema.pop("title", None)
        for prop in schema.get("properties", {}).values():
            prop.pop("title", None)
        return ToolSpec(self.name, self.description, schema, self.risk.label)

    def validate(self, args: dict[str, Any]) -> dict[str, Any]:
        try:
            return self.args_model.model_validate(args).model_dump()
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'args'}: {e['msg']}" for e in exc.errors()
            )
            raise ArgumentError(f"{self.name}: {problems}") from None

    def assess(self, args: dict[str, Any], ctx: ToolContext) -> Assessment:
        if self.assess_args is not None:
            return self.assess_args(args, ctx)
        return Assessment(self.risk, (f"{self.name} is declared {self.risk.label}",))

    def as_shell(self, args: dict[str, Any]) -> str:
        if self.render_shell is None:
            raise ToolError(f"{self.name} has no shell equivalent")
        return self.render_shell(args)

    def run(self, ctx: ToolContext, args: dict[str, Any]) -> Result:
        if not self.jailed:
            self._check_targets(ctx, args)
        return Result.of(self.func(ctx, **args))

    def _check_targets(self, ctx: ToolContext, args: dict[str, Any]) -> None:
        """A typed tool runs inside nlsh, where no kernel jail can hold it: the paths it is about to
        change are held to the rule the jail would enforce for its clearance."""
        from nlsh.safety.jail import JailError, check_typed_target

        if ctx.clearance is None:
            return
        assessment = self.assess(args, ctx)
        for target in assessment.targets:
            try:
                check_typed_target(ctx.clearance, ctx.cwd, ctx.resolve(target),
                                   removes=assessment.risk >= Risk.DESTRUCTIVE)
            except JailError as exc:
                raise ToolError(str(exc)) from None


def _description(func: Callable[..., Any]) -> str:
    doc = inspect.getdoc(func) or ""
    return " ".join(doc.split("\n\n")[0].split())


def tool(
    risk: Risk,
    *,
    shell: ShellRender | None = None,
    assess: Assess | None = None,
    name: str | None = None,
    jailed: bool = False,
) -> Callable[[Callable[..., Any]], Tool]:
    """Declare a tool. The function's first parameter is the ToolContext; the rest are its arguments."""

    def wrap(func: Callable[..., Any]) -> Tool:
        params = list(inspect.signature(func).parameters.values())[1:]
        hints = inspect.get_annotations(func, eval_str=True)
        fields: dict[str, Any] = {}
        for p in params:
            default = ... if p.default is inspect.Parameter.empty else p.default
            fields[p.name] = (hints.get(p.name, Any), default)
        model = create_model(
            f"{func.__name__}_args", __config__=ConfigDict(extra="forbid"), **fields
        )
        return Tool(name or func.__name__, func, risk, _description(func), model, shell, assess, jailed)

    return wrap


class Registry:
    def __init__(self, tools: Iterable[Tool] = ()):
        self._tools: dict[str, Tool] = {}
        for t in tools:
            self.add(t)

    def add(self, t: Tool) -> None:
        if t.name in self._tools:
            raise ValueError(f"two tools are named {t.name!r}")
        self._tools[t.name] = t

    def get(self, name: str) -> Tool:
        try:
            return self._tools[name]
        except KeyError:
            raise ArgumentError(f"there is no tool named {name!r}") from None

    def __contains__(self, name: str) -> bool:
        return name in self._tools

    def __iter__(self):
        return iter(self._tools.values())

    def names(self) -> list[str]:
        return list(self._tools)

    def specs(self, names: Iterable[str] | None = None) -> list[ToolSpec]:
        wanted = self._tools if names is None else {n: self._tools[n] for n in names if n in self._tools}
        return [t.spec() for t in wanted.values()]


def load_registry(warn: Callable[[str], None] | None = None) -> Registry:
    """Built-in tools and third-party ones, all through the `nlsh.tools` entry point group.
    Each entry point names a list of Tool objects. A broken plugin is skipped with a warning; a
    broken built-in is a bug and raises."""
    from importlib.metadata import entry_points

    registry = Registry()
    found = False
    for ep in sorted(entry_points(group="nlsh.tools"), key=lambda e: (e.name != "builtin", e.name)):
        found = found or ep.name == "builtin"
        add_entry_point(registry, ep, warn or _warn)
    if not found:  # running from a source tree that was never installed
        from nlsh.tools.builtin import TOOLS

        for t in TOOLS:
            registry.add(t)
    return registry


def add_entry_point(registry: Registry, ep: Any, warn: Callable[[str], None]) -> None:
    if ep.name == "builtin":
        for t in ep.load():
            registry.add(t)
        return
    try:
        tools = list(ep.load())
        names = [t.name for t in tools if isinstance(t, Tool)]
        if len(names) != len(tools):
            raise TypeError("its entry point must name a list of tools")
        clash = sorted({n for n in names if n in registry or names.count(n) > 1})
        if clash:
            raise ValueError(f"tool names already taken: {', '.join(clash)}")
    except Exception as exc:  # a third-party package must not take nlsh down
        warn(f"nlsh: warning: skipped the tool plugin {ep.name!r}: {type(exc).__name__}: {exc}")
        return
    for t in tools:
        registry.add(t)


def _warn(message: str) -> None:
    import sys

    print(message, file=sys.stderr)
