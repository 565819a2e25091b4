"""Walk the syntax tree of a command line and classify every part of it."""

from __future__ import annotations

from typing import Callable, Union

from tree_sitter import Node

from ..risk import Risk
from .assignments import check_assignment
from .env import Env
from .evaluation import EVALUATING, check_evaluation
from .parsing import has_syntax_error, node_text, parse, reading
from .redirects import classify_file_redirect
from .tables import INTERPRETERS, SHELLS
from .words import Word, path_text, word_from_node

MAX_DEPTH = 6  # bash -c "bash -c '...'" nesting we follow before giving up
MAX_NODES = 200_000

# Node types that only group other parts; their children are classified one by one.
STRUCTURE = frozenset("""
program list pipeline subshell compound_statement redirected_statement negated_command if_statement
elif_clause else_clause for_statement c_style_for_statement while_statement do_group case_statement
case_item command_substitution process_substitution string concatenation raw_string ansi_c_string
translated_string string_content word number simple_expansion expansion arithmetic_expansion
variable_name special_variable_name subscript array brace_expression binary_expression
unary_expression ternary_expression postfix_expression parenthesized_expression test_command
test_operator regex extglob_pattern heredoc_body heredoc_content heredoc_start heredoc_end
heredoc_redirect herestring_redirect file_descriptor comment declaration_command unset_command
variable_assignments command_name
""".split())
_FETCHERS = frozenset("curl wget nc ncat netcat socat ssh aria2c http https xh lynx w3m fetch".split())
_PREFIXES = frozenset("sudo doas pkexec env command exec nice nohup time builtin".split())
_RUNNERS = SHELLS | INTERPRETERS | {"source", ".", "eval", "xargs"}

Task = Union[Node, Callable[[], None]]


def assess_text(env: Env, text: str) -> None:
    if env.depth > MAX_DEPTH:
        env.add(Risk.UNKNOWN, "commands nested too deeply to check")
        return
    tree = parse(text)
    if has_syntax_error(tree):
        env.add(Risk.UNKNOWN, "the command line does not parse as bash")
        return
    with reading(text):
        _walk(env, tree.root_node)


def _walk(env: Env, root: Node) -> None:
    stack: list[Task] = [root]
    seen = 0
    while stack:
        task = stack.pop()
        if callable(task) and not isinstance(task, Node):
            task()  # leaving a subshell: restore what it changed
            continue
        node = task
        seen += 1
        if seen > MAX_NODES:
            env.add(Risk.UNKNOWN, "the command line is too complex to check")
            return
        _visit(env, node)
        if node.type in ("subshell", "command_substitution", "process_substitution"):
            saved_cwd = env.cwd
            stack.append(lambda saved=saved_cwd: setattr(env, "cwd", saved))
        stack.extend(reversed(node.children))  # reversed: visit in source order


def _visit(env: Env, node: Node) -> None:
    kind = node.type
    if kind in EVALUATING:
        check_evaluation(env, node)
    if not node.is_named or kind in STRUCTURE:
        if kind == "pipeline":
            _check_pipeline(env, node)
        return
    if kind == "command":
        _command(env, node)
    elif kind == "file_redirect":
        classify_file_redirect(node, env, _command_words_around(node))
    elif kind == "variable_assignment":
        name = node.child_by_field_name("name")
        if name is not None:
            check_assignment(env, node_text(name))
            value = node.child_by_field_name("value")
            known_number = value is not None and node_text(value).isdigit()
            (env.numbers.add if known_number else env.numbers.discard)(node_text(name))
    elif kind == "function_definition":
        _function(env, node)
    else:
        env.add(Risk.UNKNOWN, f"nlsh does not know the shell construct {kind}")


def command_words(node: Node) -> list[Word] | None:
    """[name, arguments...] of a `command` node, or None when it has no name."""
    name = node.child_by_field_name("name")
    if name is None:
        return None
    words = [word_from_node(name.named_children[0] if name.named_children else name)]
    for index, child in enumerate(node.children):
        if node.field_name_for_child(index) == "argument":
            words.append(word_from_node(child))
    return words


def _command(env: Env, node: Node) -> None:
    argv = command_words(node)
    if argv is None:
        return
    assert env.classify is not None
    env.classify(env, argv)
    if argv[0].value in ("cd", "pushd", "popd"):
        _follow_cd(env, argv)


def _follow_cd(env: Env, argv: list[Word]) -> None:
    """Later relative paths are relative to where `cd` went (cd / && rm -rf *)."""
    operands = [w for w in argv[1:] if not (w.value or "").startswith("-") or w.value == "-"]
    if argv[0].value == "popd" or len(operands) > 1:
        env.cwd = None
        return
    if not operands:
        env.cwd = env.home
        return
    path = path_text(operands[0])
    env.cwd = env.resolve(path) if path not in (None, "-") and not operands[0].glob else None


def _command_words_around(redirect: Node) -> list[Word]:
    parent = redirect.parent
    body = parent.child_by_field_name("body") if parent is not None and parent.type == "redirected_statement" else None
    if body is None or body.type != "command":
        return []
    return command_words(body) or []


def _function(env: Env, node: Node) -> None:
    name_node = node.child_by_field_name("name")
    body = node.child_by_field_name("body")
    if name_node is None or body is None:
        return
    name = node_text(name_node)
    env.functions.add(name)
    if _calls(body, name) and any(t in node_text(body) for t in ("|", "&")):
        env.add(Risk.SYSTEM, f"fork bomb: function {name} starts copies of itself until the machine stalls")
        return  # system: never granted in advance either
    # A function can shadow any command (rm, command, unset, ...): nothing after it can be judged.
    env.add(Risk.UNKNOWN, f"defines the function {name}: later commands may run it instead of what they name")


def _calls(body: Node, name: str) -> bool:
    stack = [body]
    while stack:
        node = stack.pop()
        if node.type == "command":
            words = command_words(node)
            if words and words[0].value == name:
                return True
        stack.extend(node.children)
    return False


def _stage_runner(node: Node) -> str | None:
    """The program a pipeline stage really runs, looking through sudo/env/..."""
    if node.type == "redirected_statement":
        node = node.child_by_field_name("body") or node
    if node.type != "command":
        return None
    for word in command_words(node) or []:
        value = (word.value or "").rsplit("/", 1)[-1]
        if value in _PREFIXES or value.startswith("-") or "=" in value:
            continue
        return value
    return None


def _check_pipeline(env: Env, node: Node) -> None:
    stages = [_stage_runner(child) for child in node.named_children]
    fetched = False
    for stage in stages:
        if stage in _FETCHERS:
            fetched = True
        elif fetched and stage in _RUNNERS:
            env.add(Risk.SYSTEM, f"runs code downloaded from the network ({stage} reads it from the pipe)")
