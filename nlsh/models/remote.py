"""Any hosted or self-hosted model through litellm: OpenAI, Anthropic, Gemini, Ollama, vLLM, a llama.cpp
server, or anything that speaks the OpenAI chat completions API (`openai/NAME` with an api_base).

litellm is imported on the first call, never at import time: it costs seconds of start-up (measured in
the report of issue 4) and only this path needs it.
"""

from __future__ import annotations

import json
import os
import time
import warnings
from typing import Any

from nlsh.models.base import ModelError, Prompt, ToolSpec
from nlsh.models import remote_errors

# A 429 is retried, but only a few times and never for long: a shell that hangs is worse than one that
# says "try again later".
RATE_LIMIT_ATTEMPTS = 3
RETRY_AFTER_CAP = 10.0  # seconds; a server asking for a longer wait gets a clear error at once instead
DEFAULT_BACKOFF = 1.0  # seconds before the first retry when the server gave no Retry-After

# Options that nlsh itself sets on every call; a per-model option may not change them.
_RESERVED = {"model", "messages", "tools", "stream", "timeout", "num_retries", "max_retries", "api_base", "api_key"}


def _import_litellm() -> Any:
    # Before the import: read the bundled cost map instead of fetching it, and do not load a .env file
    # from whatever directory the shell happens to be in (litellm does that in its "DEV" mode).
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    os.environ.setdefault("LITELLM_MODE", "PRODUCTION")
    import litellm

    litellm.telemetry = False
    litellm.suppress_debug_info = True  # no "Give Feedback / Get Help" banner on stdout
    litellm.turn_off_message_logging = True
    litellm.success_callback = []
    litellm.failure_callback = []
    litellm.callbacks = []
    litellm.num_retries = None
    return litellm


def openai_tools(tools: list[ToolSpec]) -> list[dict[str, Any]]:
    return [
        {"type": "function", "function": {"name": t.name, "description": t.description, "parameters": t.parameters}}
        for t in tools
    ]


def plan_from_tool_calls(tool_calls: list[Any]) -> str:
    """Native tool calls as plan JSON. Arguments that are not JSON are kept verbatim, so the reply
    fails to parse as a plan and the kernel's repair round sees exactly what the model wrote."""
    steps = []
    for call in tool_calls:
        function = call.function
        raw = function.arguments or "{}"
        try:
            args = json.loads(raw) if isinstance(raw, str) else raw
        except ValueError:
            return '{"steps": [{"tool": %s, "args": %s}]}' % (json.dumps(function.name), raw)
        steps.append({"tool": function.name, "args": args})
    return json.dumps({"steps": steps}, ensure_ascii=False)


def _text_reply(content: str, tools_sent: bool) -> str:
    """A text reply is passed on for the kernel to parse (plan JSON or a shell command). When the model
    had native tools and still answered in prose, that prose is its answer to the person."""
    if tools_sent and content.strip() and "{" not in content and "```" not in content:
        return json.dumps({"steps": [], "answer": content.strip()}, ensure_ascii=False)
    return content


class RemoteModel:
    tool_profile = "full"

    def __init__(
        self,
        model: str,
        *,
        api_base: str | None = None,
        api_key: str | None = None,
        timeout: float = 60.0,
        options: dict | None = None,
    ) -> None:
        self.name = model
        self.api_base = api_base
        self.api_key = api_key
        self.timeout = float(timeout)
        extra = dict(options or {})
        # None: ask litellm whether the model supports function calling; true/false forces it
        # (useful for an OpenAI-compatible server whose model litellm has never heard of).
        self.function_calling: bool | None = extra.pop("function_calling", None)
        self.extra = {k: v for k, v in extra.items() if k not in _RESERVED}

    def __repr__(self) -> str:
        return f"RemoteModel({self.name!r}, api_base={self.api_base!r})"

    def complete(self, prompt: Prompt) -> str:
        litellm = _import_litellm()
        tools_sent = bool(prompt.tools) and self._supports_tools(litellm)
        response = self._call(litellm, self._request(prompt, tools_sent))
        return self._reply(response, prompt.max_tokens, tools_sent)

    def _supports_tools(self, litellm: Any) -> bool:
        if self.function_calling is not None:
            return bool(self.function_calling)
        try:
            return bool(litellm.supports_function_calling(model=self.name))
        except Exception:  # litellm raises for models missing from its map: treat as "no"
            return False

    def _request(self, prompt: Prompt, tools_sent: bool) -> dict[str, Any]:
        request: dict[str, Any] = dict(self.extra)
        request.update(
            model=self.name,
            messages=[{"role": "system", "content": prompt.system}, *prompt.messages],
            max_tokens=prompt.max_tokens,
            timeout=self.timeout,
            stream=False,  # a reply is used only once it has fully arrived
            num_retries=0,  # retries are ours (bounded, 429 only), not litellm's nor the openai SDK's
            max_retries=0,
            drop_params=True,
        )
        if self.api_base:
            request["api_base"] = self.api_base
        api_key = self.api_key
        if api_key is None and self.api_base and self.name.startswith("openai/") and not os.environ.get("OPENAI_API_KEY"):
            # A self-hosted OpenAI-compatible server usually wants no key, but the openai SDK insists on one.
            api_key = "no-key"
        if api_key:
            request["api_key"] = api_key
        if tools_sent:
            request["tools"] = openai_tools(prompt.tools)
            # Our tools are plain functions, never MCP servers. Without this flag litellm (1.106) imports
            # its MCP handler for any call with tools, and that needs the optional `mcp` package.
            request["_skip_mcp_handler"] = True
        return request

    def _call(self, litellm: Any, request: dict[str, Any]) -> Any:
        attempt = 0
        while True:
            attempt += 1
            try:
                with warnings.catch_warnings():  # litellm's pydantic warnings are not for the person
                    warnings.simplefilter("ignore")
                    return litellm.completion(**request)
            except Exception as exc:
                wait = self._rate_limit_wait(exc, attempt)
                if wait is None:
                    raise remote_errors.to_model_error(
                        exc, model=self.name, api_base=self.api_base, timeout=self.timeout, attempts=attempt
                    ) from None
                time.sleep(wait)

    def _rate_limit_wait(self, exc: Exception, attempt: int) -> float | None:
        """Seconds to wait before retrying, or None when this failure is final."""
        if not remote_errors.is_rate_limit(exc) or attempt >= RATE_LIMIT_ATTEMPTS:
            return None
        asked = remote_errors.retry_after(exc)
        if asked is None:
            return DEFAULT_BACKOFF * 2 ** (attempt - 1)
        if asked > RETRY_AFTER_CAP:
            where = remote_errors.endpoint(self.name, self.api_base)
            raise ModelError(f"{where} is rate limiting requests (429) and asks to wait {asked:.0f} s; try again later") from None
        return asked

    def _reply(self, response: Any, max_tokens: int, tools_sent: bool) -> str:
        where = remote_errors.endpoint(self.name, self.api_base)
        try:
            choice = response.choices[0]
            message = choice.message
        except (AttributeError, IndexError, TypeError):
            raise ModelError(f"{where} sent a reply without a message; nothing was run") from None
        remote_errors.check_finished(getattr(choice, "finish_reason", None), max_tokens)
        tool_calls = getattr(message, "tool_calls", None)
        if tool_calls:
            return plan_from_tool_calls(tool_calls)
        content = getattr(message, "content", None)
        if not isinstance(content, str):
            content = ""
        return _text_reply(content, tools_sent)
