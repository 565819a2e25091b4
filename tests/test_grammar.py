"""The GBNF grammars compile in llama.cpp, and their shape follows the tool table."""

from __future__ import annotations

import pytest

from nlsh.models.base import ToolSpec
from nlsh.models.grammar import (
    SHELL_CLOSE,
    SHELL_FRAME,
    command_string_grammar,
    literal,
    plan_grammar,
    shell_plan_grammar,
)

llama_cpp = pytest.importorskip("llama_cpp")

SHELL = ToolSpec("shell", "run one bash command line",
                 {"type": "object", "properties": {"command": {"type": "string"}}, "required": ["command"]},
                 "varies")
LIST_FILES = ToolSpec("list_files", "list a directory", {
    "type": "object",
    "properties": {
        "path": {"type": "string", "default": "."},
        "limit": {"type": "integer", "default": 50},
        "sort": {"enum": ["name", "size", "mtime"], "default": "name"},
        "all": {"type": "boolean", "default": False},
        "min_size": {"anyOf": [{"type": "number"}, {"type": "null"}], "default": None},
        "names": {"type": "array", "items": {"type": "string"}},
    },
    "required": [],
}, "read")
KILL = ToolSpec("kill_process", "signal a process", {
    "type": "object",
    "properties": {"pid": {"type": "integer"}, "signal": {"type": "string", "default": "TERM"}},
    "required": ["pid"],
}, "destructive")


def compiles(text: str) -> None:
    llama_cpp.LlamaGrammar.from_string(text, verbose=False)


def test_shell_grammars_compile():
    compiles(command_string_grammar(300))
    compiles(shell_plan_grammar(300))


def test_plan_grammar_compiles_for_a_full_table():
    text = plan_grammar([SHELL, LIST_FILES, KILL])
    compiles(text)
    # Every tool name is offered as a literal, and nothing else can be a tool.
    assert '"{\\"tool\\":\\"list_files\\",\\"args\\":"' in text
    assert '"{\\"tool\\":\\"kill_process\\",\\"args\\":"' in text
    assert text.count('\\"tool\\"') == 3


def test_required_argument_is_not_optional_and_enum_is_literal():
    text = plan_grammar([KILL, LIST_FILES])
    rules = dict(line.split(" ::= ", 1) for line in text.splitlines() if " ::= " in line)
    # pid is required: the object's first alternative must start with it, with no "( ... )?" around.
    assert rules["args-kill-process-head0"].startswith('"\\"pid\\":" ws integer')
    assert rules["args-list-files-sort"] == '"\\"name\\"" | "\\"size\\"" | "\\"mtime\\""'


def test_tool_without_arguments_and_empty_table_compile():
    bare = ToolSpec("whoami", "who am I", {"type": "object", "properties": {}}, "read")
    compiles(plan_grammar([bare]))
    compiles(plan_grammar([]))


def test_literal_escapes_quotes_backslashes_and_newlines():
    assert literal('a"b\\c\nd') == '"a\\"b\\\\c\\nd"'
    compiles(f"root ::= {literal(SHELL_FRAME)} {literal(SHELL_CLOSE)}")


def test_plan_grammar_compiles_for_the_builtin_tool_table():
    from nlsh.tools.builtin import TOOLS
    from nlsh.tools.registry import Registry

    specs = Registry(TOOLS).specs()
    text = plan_grammar(specs)
    compiles(text)
    for spec in specs:
        assert literal('{"tool":' + f'"{spec.name}"' + ',"args":') in text


def test_a_plan_cut_inside_a_string_is_closed():
    from nlsh.models.grammar import close_truncated

    cut = '{"steps":[{"tool":"search_text","args":{"pattern":"TODO","path":"src/lo'
    assert close_truncated(cut) == cut + '"}}]}'
    assert close_truncated('{"steps":[{"tool":"shell","args":{"command":"echo \\') == \
        '{"steps":[{"tool":"shell","args":{"command":"echo "}}]}'
    whole = '{"steps":[]}'
    assert close_truncated(whole) == whole
    dangling = '{"steps":[{"tool":"shell","args":{"command":'
    assert close_truncated(dangling) == dangling  # cannot be closed honestly: left for the planner
