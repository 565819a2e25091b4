"""Network tools: HTTP requests, DNS, TCP port checks, sockets with their processes, interfaces."""

from __future__ import annotations

import ipaddress
import shlex
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import psutil

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
    # No or vague type: text when it has no NUL bytes and decodes as UTF-8.
    if content_type and not content_type.startswith("application/octet-stream"):
        return False
    try:
        data[:4096].decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\0" not in data[:4096]


def _response(url: str, status: int, reason: str, headers: Any, data: bytes, complete: bool) -> dict:
    content_type = headers.get("Content-Type", "") or ""
    declared = headers.get("Content-Length")
    result: dict[str, Any] = {
        "url": url,
        "status": status,
        "reason": reason,
        "content_type": content_type or None,
        "size": int(declared) if declared and declared.isdigit() else len(data),
        "headers": dict(headers.items()),
        "body": None,
        "truncated": False,
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
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            data, complete = _read_body(answer) if method != "HEAD" else (b"", True)
            return _response(answer.url, answer.status, answer.reason, answer.headers, data, complete)
    except urllib.error.HTTPError as answer:  # 4xx/5xx: still an answer worth showing
        data, complete = _read_body(answer) if method != "HEAD" else (b"", True)
        return _response(answer.url or url, answer.code, answer.reason, answer.headers, data, complete)
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise ToolError(f"{url}: no answer within {timeout:g} seconds") from None
        raise ToolError(f"cannot reach {url}: {exc.reason}") from None
    except TimeoutError:
        raise ToolError(f"{url}: no answer within {timeout:g} seconds") from None
    except (OSError, ValueError) as exc:  # connection reset mid-body, malformed URL or header
        raise ToolError(f"{url}: {exc}") from None


_FAMILY = {socket.AF_INET: "IPv4", socket.AF_INET6: "IPv6"}


@tool(Risk.NETWORK, shell=lambda a: f"getent hosts {_q(a['name'])}")
def dns_lookup(ctx: ToolContext, name: str) -> list[dict]:
    """Resolve a host name to its addresses, or an IP address back to its host name."""
    name = name.strip()
    if not name:
        raise ToolError("give a host name or an IP address to look up")
    try:
        ipaddress.ip_address(name)
    except ValueError:
        pass
    else:
        try:
            host, aliases, _ = socket.gethostbyaddr(name)
        except (socket.herror, socket.gaierror) as exc:
            raise ToolError(f"no host name for {name}: {exc.strerror or exc}") from None
        return [{"name": n, "address": name, "family": "name"} for n in [host, *aliases]]
    try:
        infos = socket.getaddrinfo(name, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ToolError(f"cannot resolve {name}: {getattr(exc, 'strerror', None) or exc}") from None
    rows, seen = [], set()
    for family, _, _, _, sockaddr in infos:
        if sockaddr[0] not in seen:
            seen.add(sockaddr[0])
            rows.append({"name": name, "address": sockaddr[0], "family": _FAMILY.get(family, str(family))})
    return rows


def _render_port_check(args: dict[str, Any]) -> str:
    # bash's /dev/tcp needs no extra package (nc often is not installed); host and port go in as
    # positional arguments so the inner script never evaluates them.
    seconds = _q(max(1, round(args.get("timeout", 3.0))))
    script = _q('echo >"/dev/tcp/$1/$2" && echo open')
    return f"timeout {seconds} bash -c {script} port_check {_q(args['host'])} {_q(args['port'])}"


@tool(Risk.NETWORK, shell=_render_port_check)
def port_check(ctx: ToolContext, host: str, port: int, timeout: float = 3.0) -> dict:
    """Check whether a TCP port accepts connections (open) or not (closed, filtered, unreachable)."""
    if not 1 <= port <= 65535:
        raise ToolError(f"port must be between 1 and 65535, not {port}")
    if timeout <= 0:
        raise ToolError("timeout must be a positive number of seconds")
    started = time.monotonic()
    row: dict[str, Any] = {"host": host, "port": port, "open": False, "address": None, "error": None}
    try:
        with socket.create_connection((host, port), timeout=timeout) as conn:
            row.update(open=True, address=conn.getpeername()[0])
    except socket.gaierror as exc:
        raise ToolError(f"cannot resolve {host}: {exc.strerror or exc}") from None
    except TimeoutError:
        row["error"] = f"no answer within {timeout:g} seconds (filtered?)"
    except OSError as exc:
        row["error"] = exc.strerror or str(exc)
    row["milliseconds"] = round((time.monotonic() - started) * 1000, 1)
    return row


def _process_names() -> dict[int, str]:
    names = {}
    for proc in psutil.process_iter(["name"], ad_value=None):
        names[proc.pid] = proc.info["name"]
    return names


def _sockets(kind: str = "inet") -> list[Any]:
    try:
        return psutil.net_connections(kind=kind)
    except psutil.AccessDenied:
        raise ToolError("not allowed to list this machine's sockets") from None


def _proto(conn: Any) -> str:
    base = "tcp" if conn.type == socket.SOCK_STREAM else "udp"
    return base + ("6" if conn.family == socket.AF_INET6 else "")


def _endpoint(addr: Any) -> str | None:
    if not addr:
        return None
    return f"[{addr.ip}]:{addr.port}" if ":" in addr.ip else f"{addr.ip}:{addr.port}"


def _listening(conn: Any) -> bool:
    if conn.type == socket.SOCK_STREAM:
        return conn.status == psutil.CONN_LISTEN
    return not conn.raddr  # an unconnected UDP socket is one that waits for datagrams


def _render_listening(args: dict[str, Any]) -> str:
    port = args.get("port", 0)
    return "ss -ltunp" + (f" sport = :{int(port)}" if port else "")


@tool(Risk.READ, shell=_render_listening)
def listening_sockets(ctx: ToolContext, port: int = 0) -> list[dict]:
    """Sockets waiting for connections (TCP listen, unconnected UDP) with the process that owns them.

    `port` > 0 keeps that port only. The owner shows only where this user may see it."""
    names = _process_names()
    rows = [
        {"proto": _proto(c), "address": c.laddr.ip, "port": c.laddr.port,
         "pid": c.pid, "process": names.get(c.pid) if c.pid else None}
        for c in _sockets()
        if _listening(c) and (not port or c.laddr.port == port)
    ]
    return sorted(rows, key=lambda r: (r["port"], r["proto"], r["address"]))


def _ss_state(state: str) -> str:
    return "listening" if state == psutil.CONN_LISTEN else state.lower().replace("_", "-")


_STATES = sorted(
    getattr(psutil, n) for n in dir(psutil) if n.startswith("CONN_") and getattr(psutil, n) != psutil.CONN_NONE
)


def _state(text: str) -> str:
    wanted = text.strip().upper().replace("-", "_")
    if wanted == "LISTENING":
        wanted = psutil.CONN_LISTEN
    if wanted and wanted not in _STATES:
        raise ToolError(f"unknown connection state {text!r} (one of: {', '.join(_ss_state(s) for s in _STATES)})")
    return wanted


def _render_connections(args: dict[str, Any]) -> str:
    state = _state(str(args.get("state", "")))
    return "ss -tunp" + (f" state {_ss_state(state)}" if state else "")


@tool(Risk.READ, shell=_render_connections)
def connections(ctx: ToolContext, state: str = "") -> list[dict]:
    """Connected TCP/UDP sockets with their local and remote ends and owning process.

    `state` keeps one TCP state (established, time-wait, close-wait, syn-sent, listening, ...);
    without it every socket that is not waiting for connections is listed."""
    wanted = _state(state)
    names = _process_names()
    rows = []
    for c in _sockets():
        status = c.status if c.type == socket.SOCK_STREAM else None
        if (status == wanted) if wanted else not _listening(c):
            rows.append(
                {"proto": _proto(c), "local": _endpoint(c.laddr), "remote": _endpoint(c.raddr),
                 "state": status, "pid": c.pid, "process": names.get(c.pid) if c.pid else None}
            )
    return sorted(rows, key=lambda r: (r["proto"], r["local"] or "", r["remote"] or ""))


_ADDRESS_FAMILY = {socket.AF_INET: "IPv4", socket.AF_INET6: "IPv6", psutil.AF_LINK: "MAC"}


@tool(Risk.READ, shell=lambda a: "ip address show")
def interfaces(ctx: ToolContext) -> list[dict]:
    """Network interfaces with their addresses (IPv4, IPv6, MAC), whether they are up, and their MTU."""
    stats = psutil.net_if_stats()
    rows = []
    for name, addresses in sorted(psutil.net_if_addrs().items()):
        stat = stats.get(name)
        for addr in addresses:
            rows.append(
                {"interface": name, "family": _ADDRESS_FAMILY.get(addr.family, str(addr.family)),
                 "address": addr.address, "netmask": addr.netmask,
                 "up": stat.isup if stat else None, "mtu": stat.mtu if stat else None}
            )
    return rows


TOOLS = [http_request, dns_lookup, port_check, listening_sockets, connections, interfaces]
