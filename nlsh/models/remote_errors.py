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

from nlsh.models.base import ModelError, ModelTimeout


class ReplyCutOff(ModelError):
    """The reply stopped at the token limit. A cut-off reply is never run: a truncated shell command
    can mean something else than the whole one would have."""


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
    text = re.sub(r"^litellm\.\w+:\s*", "", text)
    text = re.sub(r"^(litellm\.)?\w+:\s*", "", text) if text.startswith("litellm.") else text
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


def _caused_by_refusal(exc: BaseException) -> bool:
    """True when somewhere down the exception chain the TCP connection was refused."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ConnectionRefusedError) or "connection refused" in str(current).lower():
            return True
        current = current.__cause__ or current.__context__
    return False


def retry_after(exc: BaseException, now: float | None = None) -> float | None:
    """Seconds the server asked us to wait (Retry-After, in seconds or as an HTTP date, or
    retry-after-ms), or None when it did not say."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None) or getattr(exc, "headers", None) or {}
    try:
        millis = headers.get("retry-after-ms")
        if millis is not None:
            return max(0.0, float(millis) / 1000)
        value = headers.get("retry-after")
    except (AttributeError, TypeError, ValueError):
        return None
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def is_rate_limit(exc: BaseException) -> bool:
    import litellm

    return isinstance(exc, litellm.exceptions.RateLimitError)


def to_model_error(exc: BaseException, *, model: str, api_base: str | None, timeout: float, attempts: int = 1) -> ModelError:
    """One clear line for a failed call. Order matters: litellm's Timeout is a connection error in the
    openai SDK's hierarchy, and a context-window error is a bad request."""
    from litellm import exceptions as lx

    where = endpoint(model, api_base)
    name = model.split("/", 1)[1] if model.startswith("openai/") else model
    detail = _server_detail(exc)
    if isinstance(exc, lx.Timeout):
        return ModelTimeout(f"no reply from {where} within {timeout:g} s; raise the timeout (--timeout, or timeout in the config) or try again")
    if isinstance(exc, lx.APIConnectionError):
        if _caused_by_refusal(exc):
            return ModelError(f"cannot reach {where}: connection refused; is the server running?")
        return ModelError(f"lost the connection to {where} before a complete reply ({detail}); nothing was run")
    if isinstance(exc, lx.AuthenticationError):
        variable = KEY_VARIABLES.get(provider_of(model), "the provider's API key variable")
        return ModelError(f"{where} refused the API key (401); check {variable} or api_key")
    if isinstance(exc, lx.PermissionDeniedError):
        return ModelError(f"{where} denied access to model {name!r} (403): {detail}")
    if isinstance(exc, lx.NotFoundError):
        return ModelError(f"{where} does not know model {name!r} (404); check the model name")
    if isinstance(exc, lx.RateLimitError):
        tries = "once" if attempts == 1 else f"{attempts} times"
        return ModelError(f"{where} is rate limiting requests (429, asked {tries}); try again later")
    if isinstance(exc, lx.ContextWindowExceededError):
        return ModelError(f"the request is too long for {name!r}'s context window; ask something shorter")
    if isinstance(exc, lx.BadRequestError):
        return ModelError(f"{where} rejected the request (400): {detail}")
    status = getattr(exc, "status_code", None)
    if isinstance(exc, (lx.InternalServerError, lx.ServiceUnavailableError, lx.BadGatewayError)) and status:
        return ModelError(f"{where} failed with HTTP {status}: {detail}")
    if isinstance(exc, (lx.APIError, lx.APIResponseValidationError)):
        return ModelError(f"{where} sent a reply that is not a valid chat completion ({detail}); nothing was run")
    return ModelError(f"the call to {where} failed: {type(exc).__name__}: {detail}")


def check_finished(finish_reason: Any, max_tokens: int) -> None:
    if finish_reason == "length":
        raise ReplyCutOff(f"the model's reply was cut off at the token limit (max_tokens={max_tokens}); nothing was run")
