"""Turn litellm's exceptions into nlsh's ModelError with one line that tells the person what to do.

litellm maps every provider's failures onto its own exception classes (subclasses of the openai SDK's);
this module is the only place that knows those classes. It is imported only after litellm is.
"""

from __future__ import annotations

import email.utils
import json
import re
import time
from typing import Any

from nlsh.models.base import ModelError, ModelTimeout, ReplyCutOff  # noqa: F401 (raised here, defined with the interface)


# Where litellm looks for each provider's key, so a 401 can name the variable to fix.
KEY_VARIABLES = {
    "openai": "OPENAI_API_KEY",
    "anthropic": "ANTHROPIC_API_KEY",
    "gemini": "GEMINI_API_KEY",
    "mistral": "MISTRAL_API_KEY",
    "groq": "GROQ_API_KEY",
    "deepseek": "DEEPSEEK_API_KEY",
    "openrouter": "OPENROUTER_API_KEY",
    "together_ai": "TOGETHERAI_API_KEY",
    "cohere": "COHERE_API_KEY",
}

_MAX_DETAIL = 160


def provider_of(model: str) -> str:
    """The provider prefix of a litellm model name ("anthropic/claude-x" -> "anthropic");
    bare names ("gpt-4o-mini") are OpenAI's."""
    return model.split("/", 1)[0] if "/" in model else "openai"


def endpoint(model: str, api_base: str | None) -> str:
    return api_base or f"the {provider_of(model)} API"


def _server_detail(exc: BaseException) -> str:
    """The server's own words, without litellm's prefixes and without a JSON wrapper."""
    text = str(getattr(exc, "message", None) or exc)
    # "litellm.RateLimitError: RateLimitError: OpenAIException - {...}" -> "{...}"
    text = re.sub(r"^((litellm\.)?\w*(Error|Timeout):\s*)+", "", text.strip())
    text = re.sub(r"^\w*Exception - ", "", text)
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            text = error["message"]
        elif isinstance(error, str):
            text = error
    line = " ".join(text.split())
    return line if len(line) <= _MAX_DETAIL else line[: _MAX_DETAIL - 1] + "…"


def _chain(exc: BaseException):
    """The exception and everything that caused it, outermost first. litellm wraps the openai SDK's
    errors, which wrap httpx's, which wrap the socket's: the truth is often at the bottom."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _header_sets(exc: BaseException):
    for link in _chain(exc):
        for headers in (
            getattr(link, "litellm_response_headers", None),
            getattr(getattr(link, "response", None), "headers", None),
            getattr(link, "headers", None),
        ):
            if headers:
                yield headers


def _seconds(value: str, now: float | None) -> float | None:
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def retry_after(exc: BaseException, now: float | None = None) -> float | None:
    """Seconds the server asked us to wait (retry-after-ms, or Retry-After in seconds or as an HTTP
    date), or None when it did not say."""
    for headers in _header_sets(exc):
        try:
            millis = headers.get("retry-after-ms")
            value = headers.get("retry-after")
        except (AttributeError, TypeError):
            continue
        if millis is not None:
            waited = _seconds(str(millis), now)
            if waited is not None:
                return waited / 1000
        if value is not None:
            return _seconds(str(value), now)
    return None


def http_status(exc: BaseException) -> int | None:
    """The status the server really sent. litellm's own status is not it: a dropped connection or a
    body that does not parse comes out as its "500", a 403 as a generic APIError."""
    import httpx

    links = list(_chain(exc))
    for link in links:
        if isinstance(link, httpx.HTTPStatusError):
            return link.response.status_code
    if any(isinstance(link, (ValueError, httpx.TransportError)) for link in links):
        return None  # no HTTP error at all: the body was bad, or the connection was
    status = getattr(exc, "status_code", None)
    return status if isinstance(status, int) else None


def is_rate_limit(exc: BaseException) -> bool:
    return http_status(exc) == 429


def to_model_error(exc: BaseException, *, model: str, api_base: str | None, timeout: float, attempts: int = 1) -> ModelError:
    """One clear line for a failed call, decided from what happened on the wire (the cause chain)."""
    import httpx
    import openai
    from litellm import exceptions as lx

    where = endpoint(model, api_base)
    name = model.split("/", 1)[1] if model.startswith("openai/") else model
    links = list(_chain(exc))
    if any(isinstance(link, (lx.Timeout, openai.APITimeoutError, httpx.TimeoutException)) for link in links):
        return ModelTimeout(f"no reply from {where} within {timeout:g} s; raise `timeout` in the config file (nlsh config path) or try again")
    if any(isinstance(link, ConnectionRefusedError) for link in links):
        return ModelError(f"cannot reach {where}: connection refused; is the server running?")
    cause = _server_detail(links[-1])
    if any(isinstance(link, httpx.ConnectError) for link in links):
        return ModelError(f"cannot reach {where}: {cause}")
    if any(isinstance(link, (openai.APIConnectionError, httpx.TransportError)) for link in links):
        return ModelError(f"lost the connection to {where} before a complete reply ({cause}); nothing was run")
    status = http_status(exc)
    detail = _server_detail(exc)
    if status is None:
        bad_json = next((link for link in links if isinstance(link, json.JSONDecodeError)), None)
        why = f"not JSON: {bad_json.msg} at line {bad_json.lineno} column {bad_json.colno}" if bad_json else detail
        return ModelError(f"{where} sent a reply that is not a valid chat completion ({why}); nothing was run")
    if status == 401:
        variable = KEY_VARIABLES.get(provider_of(model), "the provider's API key variable")
        return ModelError(f"{where} refused the API key (401); check {variable} or api_key")
    if status == 403:
        return ModelError(f"{where} denied access to model {name!r} (403): {detail}")
    if status == 404:
        return ModelError(f"{where} does not know model {name!r} (404); check the model name")
    if status == 429:
        tries = "once" if attempts == 1 else f"{attempts} times"
        return ModelError(f"{where} is rate limiting requests (429, asked {tries}); try again later")
    if isinstance(exc, lx.ContextWindowExceededError):
        return ModelError(f"the request is too long for {name!r}'s context window; ask something shorter")
    if 400 <= status < 500:
        return ModelError(f"{where} rejected the request (HTTP {status}): {detail}")
    return ModelError(f"{where} failed with HTTP {status}: {detail}")


def check_finished(finish_reason: Any, max_tokens: int) -> None:
    if finish_reason == "length":
        raise ReplyCutOff(f"the model's reply was cut off at the token limit (max_tokens={max_tokens}); nothing was run")
