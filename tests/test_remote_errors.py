"""Every way a remote call can fail ends in ModelError with one clear line, fast and with a bounded
number of requests, against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import socket

import pytest

from nlsh.models import remote as remote_module
from nlsh.models.base import ModelError, ModelTimeout, Prompt
from nlsh.models.remote import RemoteModel
from tests.servers import stub
from tests.servers.stub import stub_server  # noqa: F401  (fixture)

PROMPT = Prompt(system="You plan shell work.", messages=[{"role": "user", "content": "list files"}], max_tokens=50)


@pytest.fixture(autouse=True)
def _no_real_keys(monkeypatch, tmp_path):
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_API_BASE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NLSH_HOME", str(tmp_path / "home"))


def fail(server, timeout: float = 20) -> ModelError:
    with pytest.raises(ModelError) as caught:
        RemoteModel("openai/test", api_base=server.url, timeout=timeout).complete(PROMPT)
    message = str(caught.value)
    assert "\n" not in message and len(message) < 300, message
    assert "Traceback" not in message and "litellm." not in message
    return caught.value


def test_wrong_key_401_names_the_key_variable_and_is_not_retried(stub_server):
    stub_server.default = stub.error(401, "Incorrect API key provided")
    error = fail(stub_server)
    assert "401" in str(error) and "OPENAI_API_KEY" in str(error)
    assert stub_server.count == 1


def test_unknown_model_404_names_the_model(stub_server):
    stub_server.default = stub.error(404, "The model `test` does not exist")
    error = fail(stub_server)
    assert "404" in str(error) and "'test'" in str(error)
    assert stub_server.count == 1


def test_429_is_retried_after_retry_after_then_succeeds(stub_server):
    stub_server.enqueue(stub.error(429, "slow down", {"Retry-After": "0"}), stub.text("ls"))
    assert RemoteModel("openai/test", api_base=stub_server.url).complete(PROMPT) == "ls"
    assert stub_server.count == 2


def test_retry_after_as_an_http_date_in_the_past_means_retry_now(stub_server):
    stub_server.enqueue(stub.error(429, "slow down", {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}), stub.text("ls"))
    assert RemoteModel("openai/test", api_base=stub_server.url).complete(PROMPT) == "ls"
    assert stub_server.count == 2


def test_429_retries_are_bounded(stub_server):
    stub_server.default = stub.error(429, "slow down", {"Retry-After": "0"})
    error = fail(stub_server)
    assert "429" in str(error) and f"{remote_module.RATE_LIMIT_ATTEMPTS} times" in str(error)
    assert stub_server.count == remote_module.RATE_LIMIT_ATTEMPTS


def test_429_asking_for_a_long_wait_fails_at_once(stub_server):
    stub_server.default = stub.error(429, "quota", {"Retry-After": "3600"})
    error = fail(stub_server)
    assert "429" in str(error) and "3600 s" in str(error)
    assert stub_server.count == 1


def test_429_without_retry_after_backs_off_and_stays_bounded(stub_server, monkeypatch):
    monkeypatch.setattr(remote_module, "DEFAULT_BACKOFF", 0.01)  # the policy, not the server, is shortened
    stub_server.default = stub.error(429, "slow down")
    fail(stub_server)
    assert stub_server.count == remote_module.RATE_LIMIT_ATTEMPTS


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_carry_the_status_and_server_message_and_are_not_retried(stub_server, status):
    stub_server.default = stub.error(status, "CUDA out of memory")
    error = fail(stub_server)
    assert f"HTTP {status}: CUDA out of memory" in str(error)
    assert stub_server.count == 1


@pytest.mark.parametrize(("status", "words"), [(400, "rejected the request (HTTP 400): bad field"), (403, "denied access")])
def test_other_client_errors_say_what_the_server_said(stub_server, status, words):
    stub_server.default = stub.error(status, "bad field")
    assert words in str(fail(stub_server))
    assert stub_server.count == 1


def test_slow_server_times_out_with_model_timeout(stub_server):
    stub_server.default = stub.Reply(body={"never": "sent"}, delay=30)
    error = fail(stub_server, timeout=0.5)
    assert isinstance(error, ModelTimeout)
    assert "0.5 s" in str(error)
    assert stub_server.count == 1


def test_malformed_body_is_a_clear_error(stub_server):
    stub_server.default = stub.Reply(body="this is not json {")
    error = fail(stub_server)
    assert not isinstance(error, ModelTimeout)
    assert "not a valid chat completion (not JSON" in str(error) and "nothing was run" in str(error)
    assert stub_server.count == 1


def test_reply_without_choices_is_a_clear_error(stub_server):
    stub_server.default = stub.Reply(body={"id": "x", "object": "chat.completion", "choices": []})
    fail(stub_server)


def test_half_received_reply_is_never_returned(stub_server):
    stub_server.default = stub.text('{"steps": [{"tool": "shell", "args": {"command": "rm -r build"}}]}')
    stub_server.default.truncate = True
    error = fail(stub_server)
    assert "nothing was run" in str(error)


def test_server_down_says_connection_refused():
    # A bound socket that never listens: connecting to its port is refused, and no one else can take it.
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        port = holder.getsockname()[1]
        with pytest.raises(ModelError) as caught:
            RemoteModel("openai/test", api_base=f"http://127.0.0.1:{port}/v1", timeout=10).complete(PROMPT)
    assert "connection refused" in str(caught.value)
    assert f"127.0.0.1:{port}" in str(caught.value)
