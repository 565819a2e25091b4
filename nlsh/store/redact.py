"""Secrets are cut out before anything reaches the history database.

The rules err on the side of hiding too much: a history entry with a hole in it is a small loss, a
password kept in a file for years is not. Values are replaced by MARK, and a plan that had anything
replaced is never replayed (see HistoryStore.locked_plan)."""

from __future__ import annotations

import json
import re
from typing import Any

MARK = "[REDACTED]"

# A value as it appears on a command line or in a header: quoted, or up to the next blank.
_VALUE = r"""(?:'[^']*'|"[^"]*"|[^\s'"]+)"""

# A name that says its value is secret: PASSWORD, DB_PASSWORD, api-key, GITHUB_TOKEN, client.secret.
# The secret word must be a whole segment, so `bypass`, `max_tokens` and `author` stay readable.
_SECRET_WORD = r"(?:pass(?:word|wd|phrase)?|secret|token|api[-_]?key|access[-_]?key|secret[-_]?key|private[-_]?key|auth[-_]?token|credential)"
_NAME = rf"(?:[A-Za-z0-9]+[_.-])*{_SECRET_WORD}(?:[_.-][A-Za-z0-9]+)*"
_SECRET_NAME = re.compile(rf"(?i){_NAME}|(?:proxy-)?authorization|(?:set-)?cookie")

_RULES: list[tuple[re.Pattern[str], str]] = [
    # PEM private key blocks, whole.
    (
        re.compile(r"-----BEGIN ([A-Z ]*)PRIVATE KEY-----.*?(?:-----END \1PRIVATE KEY-----|\Z)", re.S),
        MARK,
    ),
    # Authorization-like headers: everything after the colon up to the end of the line or quote.
    (
        re.compile(
            r"(?i)\b((?:proxy-)?authorization|x-api-key|api-key|x-auth-token|cookie|set-cookie)(\s*:\s*)[^\r\n'\"]+"
        ),
        rf"\1\2{MARK}",
    ),
    # URLs with user:password@host.
    (re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^/\s:@'\"]*):[^/\s@'\"]*@"), rf"\1:{MARK}@"),
    # --password=VALUE, --api-key VALUE, --token=VALUE, ...
    (
        re.compile(rf"(?i)(?<![\w-])(--?{_NAME})(=|\s+)(?!-){_VALUE}"),
        rf"\1\2{MARK}",
    ),
    # mysql-like clients: -pPASS and -p PASS (the latter is really a database name for mysql, but the
    # same shape is a password for many tools; hiding it is the safe mistake).
    (
        re.compile(rf"\b((?i:mysql\w*|mariadb\w*|sshpass|mongo\w*)\b[^|;&\n]*?\s-p)(\s*)(?!-){_VALUE}"),
        rf"\1\2{MARK}",
    ),
    # curl -u user:password / --user user:password
    (re.compile(rf"(\s(?:-u|--user)\s+[^\s:'\"]+):{_VALUE}"), rf"\1:{MARK}"),
    # NAME=VALUE and NAME: VALUE where the name says it is secret (env assignments, config lines, JSON).
    (
        re.compile(
            rf"""(?i)(?<![\w.-])(["']?{_NAME}["']?)(\s*[:=]\s*)(?!{re.escape(MARK)}){_VALUE}"""
        ),
        rf"\1\2{MARK}",
    ),
    # "my password is hunter2"
    (re.compile(rf"(?i)\b((?:password|passwd|passphrase|pin)\s+is\s+){_VALUE}"), rf"\1{MARK}"),
    # Well-known token shapes, wherever they appear.
    (re.compile(r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b"), MARK),  # AWS access key ids
    (re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})"), MARK),  # GitHub
    (re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"), MARK),  # Slack
    (re.compile(r"\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}"), MARK),  # OpenAI / Anthropic style
    (re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"), MARK),  # Google API keys
    (re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}"), MARK),  # GitLab
    (re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"), MARK),  # JWT
    (re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]{8,}"), f"Bearer {MARK}"),
]


def redact(text: str) -> str:
    """The text with every secret it seems to contain replaced by MARK."""
    if not text:
        return text
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


def redact_value(value: Any) -> Any:
    """Redact a JSON-like value: strings are scanned, and a dict key that names a secret hides its
    whole value whatever its shape."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {
            k: (MARK if isinstance(k, str) and _SECRET_NAME.fullmatch(k) and v not in (None, "", False) else redact_value(v))
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [redact_value(v) for v in value]
    return value


def redact_json(text: str) -> str:
    """Redact a JSON document structurally (so quotes and commas survive); text that is not JSON is
    redacted as plain text."""
    try:
        value = json.loads(text)
    except (ValueError, TypeError):
        return redact(text)
    cleaned = redact_value(value)
    return text if cleaned == value else json.dumps(cleaned, ensure_ascii=False)
