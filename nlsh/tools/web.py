"""The HTTP request tool (urllib): status, headers and an excerpt of a text body."""

from __future__ import annotations

import shlex
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from nlsh.safety.risk import Risk
from nlsh.tools.context import ToolContext, ToolError
from nlsh.tools.registry import tool

BODY_READ_LIMIT = 1_000_000  # bytes read from a response at most: enough for any excerpt
BODY_EXCERPT = 4000  # characters of a text body handed back
_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
_TEXT_TYPES = ("text/", "json", "xml", "javascript", "x-www-form-urlencoded", "yaml", "csv")


def _q(value: Any) -> str:
    return shlex.quote(str(value))


def _render_http(args: dict[str, Any]) -> str:
    parts = ["curl", "-sS", "-I" if args.get("head_only") else "-i", "-L"]
    method = str(args.get("method", "GET")).upper()
    if method not in ("GET", "HEAD") or (method == "HEAD" and not args.get("head_only")):
        parts += ["-X", _q(method)]
    for key, value in (args.get("headers") or {}).items():
        parts += ["-H", _q(f"{key}: {value}")]
    if args.get("body"):
        parts += ["--data-binary", _q(args["body"])]
    timeout = args.get("timeout", 10.0)
    if timeout != 10.0:
        parts += ["--max-time", _q(timeout)]
    return " ".join(parts + [_q(args["url"])])


def _is_text(content_type: str, data: bytes) -> bool:
    if any(t in content_type for t in _TEXT_TYPES):
        return True
    if content_type and not content_type.startswith("application/octet-stream"):
        return False  # images, archives, ...
    head = data[:4096]  # no or vague type: text when it has no NUL bytes and decodes as UTF-8
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3 and b"\0" not in head  # a character cut at the edge is fine
    return b"\0" not in head


def _response(url: str, status: int, reason: str, headers: Any, data: bytes, complete: bool) -> dict:
    content_type = headers.get("Content-Type", "") or ""
    declared = headers.get("Content-Length")
    result: dict[str, Any] = {
        "url": url, "status": status, "reason": reason, "content_type": content_type or None,
        "size": int(declared) if declared and declared.isdigit() else len(data),
        "headers": dict(headers.items()), "body": None, "truncated": False,
    }
    if data and _is_text(content_type.lower(), data):
        charset = headers.get_content_charset() or "utf-8"
        try:
            text = data.decode(charset, errors="replace")
        except LookupError:  # a charset name Python does not know
            text = data.decode("utf-8", errors="replace")
        result["body"] = text[:BODY_EXCERPT]
        result["truncated"] = len(text) > BODY_EXCERPT or not complete
    return result


def _read_body(stream: Any) -> tuple[bytes, bool]:
    data = stream.read(BODY_READ_LIMIT + 1)
    return data[:BODY_READ_LIMIT], len(data) <= BODY_READ_LIMIT


def _open(request: urllib.request.Request, timeout: float) -> Any:
    try:
        return urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as answer:  # 4xx/5xx: still an answer worth showing
        return answer


@tool(Risk.NETWORK, shell=_render_http)
def http_request(
    ctx: ToolContext,
    url: str,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: str = "",
    timeout: float = 10.0,
    head_only: bool = False,
) -> dict:
    """Make an HTTP(S) request and return the status, headers and an excerpt of a text body.

    Redirects are followed. A 4xx/5xx answer is a result, not an error. Binary bodies are reported by
    size only. `head_only` asks for the headers alone (HEAD)."""
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):  # urllib would also open file:// and ftp:// URLs
        raise ToolError(f"only http and https URLs can be requested, not {url!r}")
    method = "HEAD" if head_only else method.upper()
    if method not in _METHODS:
        raise ToolError(f"unknown HTTP method {method!r} (one of {', '.join(sorted(_METHODS))})")
    if timeout <= 0:
        raise ToolError("timeout must be a positive number of seconds")
    request = urllib.request.Request(
        url, data=body.encode() if body else None, headers=dict(headers or {}), method=method
    )
    request.add_header("User-Agent", request.get_header("User-agent") or "nlsh")
    try:
        with _open(request, timeout) as answer:
            data, complete = _read_body(answer) if method != "HEAD" else (b"", True)
    except (urllib.error.URLError, TimeoutError) as exc:  # a timeout comes either way
        if isinstance(exc, TimeoutError) or isinstance(exc.reason, TimeoutError):
            raise ToolError(f"{url}: no answer within {timeout:g} seconds") from None
        raise ToolError(f"cannot reach {url}: {exc.reason}") from None
    except (OSError, ValueError) as exc:  # connection reset mid-body, malformed URL or header
        raise ToolError(f"{url}: {exc}") from None
    return _response(answer.geturl() or url, answer.getcode(), answer.reason, answer.headers, data, complete)
