"""Network tools (network.py, web.py) against a real HTTP server and real sockets on 127.0.0.1, started by the tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psutil
import pytest

from nlsh.safety.risk import Risk
from nlsh.tools.context import ToolContext, ToolError
from nlsh.tools.network import (
    TOOLS,
    connections,
    dns_lookup,
    http_request,
    interfaces,
    listening_sockets,
    port_check,
)
from nlsh.tools.web import BODY_EXCERPT


@pytest.fixture
def ctx(tmp_path, monkeypatch):
    monkeypatch.setenv("NLSH_HOME", str(tmp_path / "nlsh-home"))
    return ToolContext(cwd=tmp_path)


def call(t, ctx, **args):
    return t.run(ctx, t.validate(args)).rows


def run_shell(line: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", line], capture_output=True, text=True, timeout=60)


def needs(program: str):
    return pytest.mark.skipif(shutil.which(program) is None, reason=f"{program} is not installed")


class Handler(BaseHTTPRequestHandler):
    release = threading.Event()  # set at teardown so the slow page never holds the server up

    def log_message(self, *args):  # keep pytest output clean
        pass

    def _send(self, status: int, body: bytes, content_type: str, extra: dict | None = None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _route(self):
        if self.path == "/":
            self._send(200, "héllo nlsh".encode(), "text/plain; charset=utf-8", {"X-Nlsh": "yes"})
        elif self.path == "/binary":
            self._send(200, bytes(range(256)) * 4, "application/octet-stream")
        elif self.path == "/untyped":  # text behind a vague type, é cut at the sniffing window's edge
            self._send(200, b"w" * 4095 + "é".encode(), "application/octet-stream")
        elif self.path == "/big":
            self._send(200, b"a" * (BODY_EXCERPT * 3), "text/plain")
        elif self.path == "/redirect":
            self._send(302, b"", "text/plain", {"Location": "/"})
        elif self.path == "/slow":
            self.release.wait(10)
            self._send(200, b"late", "text/plain")
        elif self.path == "/echo":
            length = int(self.headers.get("Content-Length") or 0)
            seen = f"{self.command} {self.headers.get('X-Test')} {self.rfile.read(length).decode()}"
            self._send(200, seen.encode(), "text/plain")
        else:
            self._send(404, b"not here", "text/plain")

    do_GET = do_HEAD = do_POST = do_PUT = _route


@pytest.fixture
def server():
    Handler.release.clear()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    Handler.release.set()
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def listener():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    yield sock
    sock.close()


def closed_port() -> int:
    """A port nothing listens on: bound for a moment, then released."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_module_exports_the_tools_with_their_risks():
    assert {t.name: t.risk for t in TOOLS} == {
        "http_request": Risk.NETWORK,
        "dns_lookup": Risk.NETWORK,
        "port_check": Risk.NETWORK,
        "listening_sockets": Risk.READ,
        "connections": Risk.READ,
        "interfaces": Risk.READ,
    }


# HTTP


def test_get_returns_status_headers_and_text_body(ctx, server):
    row = call(http_request, ctx, url=server + "/")[0]
    assert row["status"] == 200
    assert row["headers"]["X-Nlsh"] == "yes"
    assert row["body"] == "héllo nlsh"
    assert row["content_type"].startswith("text/plain")
    assert row["size"] == len("héllo nlsh".encode())
    assert row["truncated"] is False


def test_not_found_is_a_result_not_an_error(ctx, server):
    row = call(http_request, ctx, url=server + "/nowhere")[0]
    assert (row["status"], row["body"]) == (404, "not here")


def test_head_only_has_headers_and_no_body(ctx, server):
    row = call(http_request, ctx, url=server + "/", head_only=True)[0]
    assert row["status"] == 200 and row["headers"]["X-Nlsh"] == "yes"
    assert row["body"] is None


def test_binary_body_is_reported_by_size_only(ctx, server):
    row = call(http_request, ctx, url=server + "/binary")[0]
    assert row["body"] is None and row["size"] == 1024


def test_text_behind_a_vague_type_is_shown(ctx, server):
    row = call(http_request, ctx, url=server + "/untyped")[0]
    assert row["body"] == "w" * BODY_EXCERPT and row["truncated"] is True


def test_long_body_is_an_excerpt(ctx, server):
    row = call(http_request, ctx, url=server + "/big")[0]
    assert row["body"] == "a" * BODY_EXCERPT and row["truncated"] is True
    assert row["size"] == BODY_EXCERPT * 3


def test_post_sends_method_headers_and_body(ctx, server):
    row = call(http_request, ctx, url=server + "/echo", method="post", headers={"X-Test": "t1"}, body="payload")[0]
    assert row["body"] == "POST t1 payload"


def test_redirect_is_followed(ctx, server):
    row = call(http_request, ctx, url=server + "/redirect")[0]
    assert row["status"] == 200 and row["url"] == server + "/" and row["body"] == "héllo nlsh"


def test_slow_server_times_out(ctx, server):
    with pytest.raises(ToolError, match="no answer within 0.5 seconds"):
        call(http_request, ctx, url=server + "/slow", timeout=0.5)


def test_unreachable_and_refused_urls(ctx):
    with pytest.raises(ToolError, match="cannot reach"):
        call(http_request, ctx, url=f"http://127.0.0.1:{closed_port()}/")
    with pytest.raises(ToolError, match="only http and https"):
        call(http_request, ctx, url="file:///etc/passwd")
    with pytest.raises(ToolError, match="unknown HTTP method"):
        call(http_request, ctx, url="http://127.0.0.1/", method="BREW")


def test_http_renders_as_curl(ctx):
    assert http_request.as_shell(http_request.validate({"url": "http://h/a b"})) == "curl -sS -i -L 'http://h/a b'"
    assert http_request.as_shell(http_request.validate({"url": "http://h/", "head_only": True})) == "curl -sS -I -L http://h/"
    line = http_request.as_shell(
        http_request.validate({"url": "http://h/", "method": "put", "headers": {"A": "b c"}, "body": "$(id)", "timeout": 2})
    )
    assert line == "curl -sS -i -L -X PUT -H 'A: b c' --data-binary '$(id)' --max-time 2.0 http://h/"


@needs("curl")
def test_rendered_curl_lines_run_against_the_server(ctx, server):
    done = run_shell(http_request.as_shell(http_request.validate({"url": server + "/"})))
    assert done.returncode == 0 and " 200 " in done.stdout and "héllo nlsh" in done.stdout
    done = run_shell(http_request.as_shell(http_request.validate({"url": server + "/", "head_only": True})))
    assert done.returncode == 0 and "X-Nlsh: yes" in done.stdout and "héllo" not in done.stdout


# DNS and ports


def test_dns_lookup_of_localhost_and_back(ctx):
    addresses = {r["address"] for r in call(dns_lookup, ctx, name="localhost")}
    assert addresses & {"127.0.0.1", "::1"}
    names = [r["name"] for r in call(dns_lookup, ctx, name="127.0.0.1")]
    assert names and all(isinstance(n, str) and n for n in names)


def test_dns_lookup_failures(ctx):
    with pytest.raises(ToolError, match="cannot resolve"):
        call(dns_lookup, ctx, name="nlsh-test.invalid")  # .invalid never resolves (RFC 6761)
    with pytest.raises(ToolError, match="give a host name"):
        call(dns_lookup, ctx, name="  ")


def test_rendered_getent_line_runs(ctx):
    line = dns_lookup.as_shell({"name": "localhost"})
    assert line == "getent hosts localhost"
    done = run_shell(line)
    assert done.returncode == 0 and "localhost" in done.stdout


def test_port_check_open_and_closed(ctx, listener):
    port = listener.getsockname()[1]
    row = call(port_check, ctx, host="127.0.0.1", port=port)[0]
    assert row["open"] is True and row["address"] == "127.0.0.1" and row["error"] is None
    row = call(port_check, ctx, host="127.0.0.1", port=closed_port())[0]
    assert row["open"] is False and row["error"]


def test_port_check_bad_input(ctx):
    for port in (0, 70000):
        with pytest.raises(ToolError, match="between 1 and 65535"):
            call(port_check, ctx, host="127.0.0.1", port=port)
    with pytest.raises(ToolError, match="cannot resolve"):
        call(port_check, ctx, host="nlsh-test.invalid", port=80)


def test_rendered_port_check_runs(ctx, listener):
    port = listener.getsockname()[1]
    line = port_check.as_shell(port_check.validate({"host": "127.0.0.1", "port": port}))
    done = run_shell(line)
    assert done.returncode == 0 and done.stdout.strip() == "open"
    closed = port_check.as_shell(port_check.validate({"host": "127.0.0.1", "port": closed_port()}))
    assert run_shell(closed).returncode != 0
    hostile = port_check.as_shell(port_check.validate({"host": "$(touch pwned)", "port": 1}))
    assert hostile.endswith("port_check '$(touch pwned)' 1")


# Sockets and interfaces


def test_listening_sockets_finds_our_listener_and_its_process(ctx, listener):
    port = listener.getsockname()[1]
    rows = call(listening_sockets, ctx, port=port)
    assert rows == [
        {"proto": "tcp", "address": "127.0.0.1", "port": port, "pid": os.getpid(), "process": psutil.Process().name()}
    ]
    assert port in {r["port"] for r in call(listening_sockets, ctx)}


def test_connections_show_an_established_pair(ctx, listener):
    with socket.create_connection(listener.getsockname()) as client:
        accepted, _ = listener.accept()
        with accepted:
            local = "{}:{}".format(*client.getsockname())
            remote = "{}:{}".format(*listener.getsockname())
            rows = call(connections, ctx, state="established")
            mine = [r for r in rows if r["local"] == local]
            assert mine == [
                {"proto": "tcp", "local": local, "remote": remote, "state": "ESTABLISHED",
                 "pid": os.getpid(), "process": psutil.Process().name()}
            ]
            assert {r["state"] for r in rows} == {"ESTABLISHED"}
            everything = call(connections, ctx)
            assert local in {r["local"] for r in everything}
            assert "LISTEN" not in {r["state"] for r in everything}


def test_connections_state_names(ctx):
    assert connections.as_shell({"state": "time-wait"}) == "ss -tunp state time-wait"
    assert connections.as_shell({"state": "LISTEN"}) == "ss -tunp state listening"
    assert connections.as_shell({"state": ""}) == "ss -tunp"
    assert connections.as_shell({"state": "fin_wait1"}) == "ss -tunp state fin-wait-1"
    assert connections.as_shell({"state": "Closed"}) == "ss -tunp state closed"
    with pytest.raises(ToolError, match="unknown connection state"):
        call(connections, ctx, state="dancing")


def test_interfaces_include_loopback(ctx):
    rows = call(interfaces, ctx)
    loopback = [r for r in rows if r["address"] == "127.0.0.1"]
    assert loopback and loopback[0]["family"] == "IPv4" and loopback[0]["up"] is True
    assert all(isinstance(r["interface"], str) for r in rows)


@needs("ss")
def test_rendered_ss_lines_run(ctx, listener):
    port = listener.getsockname()[1]
    line = listening_sockets.as_shell({"port": port})
    assert line == f"ss -ltunp sport = :{port}"
    done = run_shell(line)
    assert done.returncode == 0 and f"127.0.0.1:{port}" in done.stdout
    for state in ("established", "time-wait", "fin-wait-1", "listening", "closed"):  # ss knows each name
        done = run_shell(connections.as_shell({"state": state}))
        assert done.returncode == 0 and not done.stderr, (state, done.stderr)


@needs("ip")
def test_rendered_ip_line_runs(ctx):
    done = run_shell(interfaces.as_shell({}))
    assert done.returncode == 0 and "127.0.0.1" in done.stdout
