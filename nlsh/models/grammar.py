"""GBNF grammars (llama.cpp's grammar format) that make a small model's reply a well-formed plan.

Two shapes:
- shell profile: the frame `{"steps":[{"tool":"shell","args":{"command":"` is fixed text; the model
  writes only the command as a one-line JSON string (`command_string_grammar`, used after the frame
  has been fed as a forced prefix) or the whole reply (`shell_plan_grammar`).
- full tool table: `{"steps":[{"tool":<a real name>,"args":{...}}, ...]}` where each tool's argument
  object follows its JSON schema (string, integer, number, boolean, enum, arrays, optional args).
"""

from __future__ import annotations

import json
import re
from typing import Any

from nlsh.models.base import ToolSpec

SHELL_FRAME = '{"steps":[{"tool":"shell","args":{"command":"'
SHELL_CLOSE = '"}}]}'

# JSON string pieces. A command is one line: no raw control characters and no \n, \r escapes.
_COMMON_RULES = r'''
ws ::= [ ]?
char ::= [^"\\\x00-\x1f] | "\\" ( ["\\/bfnrt] | "u" [0-9a-fA-F] [0-9a-fA-F] [0-9a-fA-F] [0-9a-fA-F] )
linechar ::= [^"\\\x00-\x1f] | "\\" ["\\/t]
string ::= "\"" char* "\""
integer ::= "-"? [0-9]+
number ::= "-"? [0-9]+ ( "." [0-9]+ )? ( [eE] [-+]? [0-9]+ )?
boolean ::= "true" | "false"
null ::= "null"
value ::= string | number | boolean | null | array | object
array ::= "[" ws ( value ( "," ws value )* )? "]"
object ::= "{" ws ( string ":" ws value ( "," ws string ":" ws value )* )? "}"
'''


def literal(text: str) -> str:
    """A GBNF literal for exact text."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def command_string_grammar(max_chars: int = 400) -> str:
    """The rest of the reply after SHELL_FRAME: the command's characters, then the closing text."""
    return (
        f"root ::= linechar{{1,{max_chars}}} {literal(SHELL_CLOSE)}\n"
        + _COMMON_RULES
    )


def shell_plan_grammar(max_chars: int = 400) -> str:
    """The whole shell-profile reply, frame included."""
    return (
        f"root ::= {literal(SHELL_FRAME)} linechar{{1,{max_chars}}} {literal(SHELL_CLOSE)}\n"
        + _COMMON_RULES
    )


def _rule_name(*parts: str) -> str:
    return "-".join(re.sub(r"[^a-zA-Z0-9]+", "-", p).strip("-").lower() or "x" for p in parts)


class _Builder:
    def __init__(self) -> None:
        self.rules: dict[str, str] = {}

    def add(self, name: str, body: str) -> str:
        self.rules[name] = body
        return name

    def schema(self, name: str, schema: dict[str, Any]) -> str:
        """An expression (a rule name or a literal alternation) for a value of this schema."""
        if "enum" in schema:
            return self.add(name, " | ".join(literal(json.dumps(v)) for v in schema["enum"]))
        if "const" in schema:
            return literal(json.dumps(schema["const"]))
        for key in ("anyOf", "oneOf"):
            if key in schema:
                options = [self.schema(f"{name}-{i}", sub) for i, sub in enumerate(schema[key])]
                return self.add(name, " | ".join(options))
        kind = schema.get("type")
        if isinstance(kind, list):
            return self.add(name, " | ".join(self.schema(f"{name}-{k}", {"type": k}) for k in kind))
        if kind in ("string", "integer", "number", "boolean", "null"):
            return kind
        if kind == "array":
            item = self.schema(f"{name}-item", schema.get("items", {}))
            return self.add(name, f'"[" ws ( {item} ( "," ws {item} )* )? "]"')
        if kind == "object" and "properties" in schema:
            return self.object(name, schema)
        return "value"

    def object(self, name: str, schema: dict[str, Any]) -> str:
        """Properties in schema order; required ones always, optional ones may be left out.
        head-i: properties i.. when none was written yet; tail-i: the same once one was written."""
        props = list(schema.get("properties", {}).items())
        required = set(schema.get("required", []))
        head = tail = ""  # after the last property: nothing left to write
        for i in range(len(props) - 1, -1, -1):
            prop, sub = props[i]
            value = self.schema(_rule_name(name, prop), sub)
            pair = f"{literal(json.dumps(prop) + ':')} ws {value}"
            if prop in required:
                new_tail, new_head = _seq('"," ws', pair, tail), _seq(pair, tail)
            else:
                new_tail = _seq(f'( "," ws {pair} )?', tail)
                new_head = f"{_seq(pair, tail)} | {head}" if head else f"( {_seq(pair, tail)} )?"
            tail = self.add(f"{name}-tail{i}", new_tail)
            head = self.add(f"{name}-head{i}", new_head)
        return self.add(name, _seq('"{" ws', head, '"}"'))


def _seq(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def plan_grammar(tools: list[ToolSpec], max_steps: int = 5) -> str:
    """A plan whose steps name only these tools, each with arguments that fit its schema."""
    b = _Builder()
    step_names = []
    for spec in tools:
        schema = {"type": "object", "properties": {}, **spec.parameters}
        args = b.object(_rule_name("args", spec.name), schema) if schema["properties"] else "object"
        frame = literal('{"tool":' + json.dumps(spec.name) + ',"args":')
        step_names.append(b.add(_rule_name("step", spec.name), _seq(frame, "ws", args, '"}"')))
    step = b.add("step", " | ".join(step_names) if step_names else literal("{}"))
    root = _seq(
        literal('{"steps":['),
        f'( step ( "," ws step ){{0,{max_steps - 1}}} )?',
        '"]"',
        _seq('( "," ws', literal('"observe":'), "ws boolean )?"),
        _seq('( "," ws', literal('"answer":'), "ws string )?"),
        '"}"',
    )
    lines = [f"root ::= {root}"] + [f"{n} ::= {body}" for n, body in b.rules.items()]
    return "\n".join(lines) + "\n" + _COMMON_RULES


def close_truncated(text: str) -> str:
    """Close a plan the token limit cut short. Under the grammar the text is a prefix of a valid plan,
    and it is nearly always cut inside a long string: end that string and the open brackets. Text
    that still does not parse is returned unchanged (the planner's repair round handles it)."""
    stack: list[str] = []
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "{[":
            stack.append(ch)
        elif ch in "}]" and stack:
            stack.pop()
    closed = text
    if in_string:
        closed = re.sub(r"\\u[0-9a-fA-F]{0,3}$", "", closed[:-1] if escaped else closed) + '"'
    closed += "".join("}" if c == "{" else "]" for c in reversed(stack))
    try:
        json.loads(closed)
    except ValueError:
        return text
    return closed
