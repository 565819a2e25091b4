"""RemoteModel against a real local HTTP server speaking the OpenAI API: what it sends, and how replies
(text, native tool calls) become plan text the kernel can parse."""

from __future__ import annotations

import json

import pytest

from nlsh.kernel.plan import PlanError, parse_reply
from nlsh.models.base import Model, Prompt, ToolSpec
from nlsh.models.remote import RemoteModel
from tests.servers import stub
from tests.servers.stub import stub_server  # noqa: F401  (fixture)

LIST_DIRECTORY = ToolSpec(
    name="list_directory",
    description="List the entries of a directory.",
    parameters={"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]},
    risk="read",
)
PROMPT = Prompt(system="You plan shell work.", messages=[{"role": "user", "content": "list files"}], max_tokens=50)
TOOL_PROMPT = Prompt(system="You plan shell work.", messages=[{"role": "user", "content": "list files"}], tools=[LIST_DIRECTORY])


@pytest.fixture(autouse=True)
def _no_real_keys(monkeypatch, tmp_path):
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_API_BASE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NLSH_HOME", str(tmp_path / "home"))


def remote(server, **kwargs) -> RemoteModel:
    return RemoteModel("openai/test", api_base=server.url, timeout=kwargs.pop("timeout", 20), **kwargs)


def test_is_a_model_with_the_full_tool_profile(stub_server):
    model = remote(stub_server)
    assert isinstance(model, Model)
    assert model.name == "openai/test" and model.tool_profile == "full"


def test_text_plan_comes_back_verbatim_and_the_request_is_a_chat_completion(stub_server):
    plan = '{"steps": [{"tool": "list_directory", "args": {"path": "."}}]}'
    stub_server.enqueue(stub.text(plan))
    assert remote(stub_server).complete(PROMPT) == plan
    [request] = stub_server.requests
    assert request["path"] == "/v1/chat/completions"
    body = request["json"]
    assert body["model"] == "test"
    assert body["messages"] == [
        {"role": "system", "content": "You plan shell work."},
        {"role": "user", "content": "list files"},
    ]
    assert body["max_tokens"] == 50
    assert not body.get("stream")
    assert "tools" not in body  # litellm knows nothing of "test": no native tool calling


def test_a_self_hosted_server_gets_a_placeholder_key_and_a_given_key_is_sent(stub_server):
    stub_server.enqueue(stub.text("ls"), stub.text("ls"))
    remote(stub_server).complete(PROMPT)
    remote(stub_server, api_key="sk-given").complete(PROMPT)
    first, second = (r["headers"].get("Authorization") for r in stub_server.requests)
    assert first == "Bearer no-key"
    assert second == "Bearer sk-given"


def test_shell_command_text_parses_into_a_shell_step(stub_server):
    stub_server.enqueue(stub.text("ls -la"))
    plan = parse_reply(remote(stub_server).complete(PROMPT), allow_shell=True)
    assert [(s.tool, s.args) for s in plan.steps] == [("shell", {"command": "ls -la"})]


def test_native_tool_calls_become_plan_steps_in_order(stub_server):
    stub_server.enqueue(stub.tool_calls(("list_directory", {"path": "/tmp"}), ("list_directory", {"path": "."})))
    reply = remote(stub_server, options={"function_calling": True}).complete(TOOL_PROMPT)
    plan = parse_reply(reply, allow_shell=False)
    assert [(s.tool, s.args) for s in plan.steps] == [("list_directory", {"path": "/tmp"}), ("list_directory", {"path": "."})]
    assert not [key for key in stub_server.requests[0]["json"] if key.startswith("_")]  # litellm-only flags stay local
    sent = stub_server.requests[0]["json"]["tools"]
    assert sent == [{"type": "function", "function": {
        "name": "list_directory",
        "description": "List the entries of a directory.",
        "parameters": LIST_DIRECTORY.parameters,
    }}]


def test_tool_call_with_arguments_that_are_not_json_fails_to_parse_as_a_plan(stub_server):
    stub_server.enqueue(stub.tool_calls(("list_directory", '{"path": "/tm')))
    reply = remote(stub_server, options={"function_calling": True}).complete(TOOL_PROMPT)
    with pytest.raises(PlanError):
        parse_reply(reply, allow_shell=False)


def test_prose_instead_of_a_tool_call_becomes_the_answer(stub_server):
    stub_server.enqueue(stub.text("There is nothing to do."))
    reply = remote(stub_server, options={"function_calling": True}).complete(TOOL_PROMPT)
    plan = parse_reply(reply, allow_shell=False)
    assert plan.steps == [] and plan.answer == "There is nothing to do."


def test_function_calling_false_sends_no_tools(stub_server):
    stub_server.enqueue(stub.text("ls"))
    remote(stub_server, options={"function_calling": False}).complete(TOOL_PROMPT)
    assert "tools" not in stub_server.requests[0]["json"]


def test_per_model_options_reach_the_server_but_cannot_turn_on_streaming(stub_server):
    stub_server.enqueue(stub.text("ls"))
    remote(stub_server, options={"temperature": 0.25, "stream": True, "model": "other"}).complete(PROMPT)
    body = stub_server.requests[0]["json"]
    assert body["temperature"] == 0.25
    assert body["model"] == "test"
    assert not body.get("stream")


def test_a_reply_cut_off_at_the_token_limit_is_refused(stub_server):
    from nlsh.models.base import ModelError
    from nlsh.models.remote_errors import ReplyCutOff

    stub_server.enqueue(stub.text("find . -name '*.log' -exec rm", finish_reason="length"))
    with pytest.raises(ReplyCutOff, match="cut off") as caught:
        remote(stub_server).complete(PROMPT)
    assert isinstance(caught.value, ModelError)
    assert "max_tokens=50" in str(caught.value)


def test_plan_json_from_tool_calls_round_trips_unicode(stub_server):
    stub_server.enqueue(stub.tool_calls(("list_directory", {"path": "Документы"})))
    reply = remote(stub_server, options={"function_calling": True}).complete(TOOL_PROMPT)
    assert json.loads(reply) == {"steps": [{"tool": "list_directory", "args": {"path": "Документы"}}]}
