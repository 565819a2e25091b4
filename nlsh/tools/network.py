"""Network tools: DNS, TCP port checks, sockets with their processes, interfaces; HTTP lives in web.py."""

from __future__ import annotations

import ipaddress
import shlex
import socket
import time
from typing import Any

import psutil

from nlsh.safety.risk import Risk
from nlsh.tools.context import ToolContext, ToolError
from nlsh.tools.registry import tool
from nlsh.tools.web import http_request


def _q(value: Any) -> str:
    return shlex.quote(str(value))


_FAMILY = {socket.AF_INET: "IPv4", socket.AF_INET6: "IPv6", psutil.AF_LINK: "MAC"}


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
            rows.append({"name": name, "address": sockaddr[0], "family": _FAMILY.get(family, "?")})
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
    return {proc.pid: proc.info["name"] for proc in psutil.process_iter(["name"], ad_value=None)}


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


# psutil's TCP state names, and what `ss state ...` calls the ones it spells differently.
_STATES = sorted(
    value for key, value in vars(psutil).items() if key.startswith("CONN_") and value != psutil.CONN_NONE
)
_SS_NAMES = {psutil.CONN_LISTEN: "listening", psutil.CONN_CLOSE: "closed",
             psutil.CONN_FIN_WAIT1: "fin-wait-1", psutil.CONN_FIN_WAIT2: "fin-wait-2"}


def _ss_state(state: str) -> str:
    return _SS_NAMES.get(state, state.lower().replace("_", "-"))


def _squash(name: str) -> str:
    return "".join(ch for ch in name.upper() if ch.isalnum())


def _state(text: str) -> str:
    """A psutil state from either spelling, ignoring case and separators ("time-wait", "LISTEN")."""
    wanted = _squash(text)
    if not wanted:
        return ""
    for state in _STATES:
        if wanted in (_squash(state), _squash(_ss_state(state))):
            return state
    known = ", ".join(_ss_state(s) for s in _STATES)
    raise ToolError(f"unknown connection state {text!r} (one of: {known})")


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


@tool(Risk.READ, shell=lambda a: "ip address show")
def interfaces(ctx: ToolContext) -> list[dict]:
    """Network interfaces with their addresses (IPv4, IPv6, MAC), whether they are up, and their MTU."""
    stats = psutil.net_if_stats()
    rows = []
    for name, addresses in sorted(psutil.net_if_addrs().items()):
        stat = stats.get(name)
        for addr in addresses:
            rows.append(
                {"interface": name, "family": _FAMILY.get(addr.family, str(addr.family)),
                 "address": addr.address, "netmask": addr.netmask,
                 "up": stat.isup if stat else None, "mtu": stat.mtu if stat else None}
            )
    return rows


TOOLS = [http_request, dns_lookup, port_check, listening_sockets, connections, interfaces]
