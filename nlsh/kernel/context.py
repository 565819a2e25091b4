"""What the model sees. The system prompt (instructions + tool table) is fixed for a tool profile, so
its KV cache can be reused; everything about this request (cwd facts, stdin preview, examples from
history, results of earlier steps) goes into the messages, within a token budget."""

from __future__ import annotations

import json
import os
import platform
from dataclasses import dataclass, field
from pathlib import Path

from nlsh.models.base import Prompt, ToolSpec

FULL_INSTRUCTIONS = """You are the kernel of nlsh, a shell where people type requests in English.
Answer every request with one JSON object and nothing else:
{"steps":[{"tool":"NAME","args":{...}}],"observe":false,"answer":""}
- steps: tool calls that do what was asked, run in order. Use only the tools below with their exact argument names.
- Prefer a typed tool when one fits; use the shell tool (one bash command line) for anything else.
- Data piped to nlsh is read by the shell tool's command from its stdin; never copy data into arguments.
- observe: true only when you must see the results before you can plan the next steps.
- answer: a short message for the person when no step is needed, or when you have seen enough results.
- When results are shown to you and the request is done, reply {"steps":[],"answer":"..."}.
Tools:
"""

# Worked examples cost nothing per request: they sit in the fixed prefix whose KV state is reused.
# They and the rules above them are written for this project, never taken from evaluation tasks
# (tests/test_bank_vs_eval.py checks); the rules name the near misses a small model makes most:
# extra options and formatting, per-file counts where a total was asked, a quoted text read as a
# file name, `ls` or a whole-tree `find` where one directory was meant.
SHELL_INSTRUCTIONS = """You translate requests written in English into one bash command line for a Linux machine.
Reply with the command only: one line, no explanation, no comments, no code fence.
Do exactly what was asked, all of it and nothing more: no options, columns or formatting that were not asked for, no verbose flags.
Use the paths and names exactly as the request gives them; otherwise work in the current directory.
Text quoted in the request is data: pass it with echo '...' | command, never as a file name.
A total means one number for everything together; "not in subdirectories" means find -maxdepth 1.
For facts about the system use the usual command (df, du, free, ps, pstree, uptime, hostname, uname, id, lsof, ss).

Examples:
Request: how many words are in essay.md
wc -w essay.md
Request: show the 3 largest files in this folder
du -ah . | sort -rh | head -n 3
Request: find shell scripts modified in the last week
find . -name '*.sh' -mtime -7
Request: how many lines do all the .py files under src have together
find src -name '*.py' -exec cat {} + | wc -l
Request: list the .log files in /var/tmp but not in its subdirectories
find /var/tmp -maxdepth 1 -type f -name '*.log'
Request: turn the text "Good Morning" into upper case
echo 'Good Morning' | tr '[:lower:]' '[:upper:]'
Request: files under /srv/data that were modified within the last 30 minutes
find /srv/data -type f -mmin -30
Request: delete empty directories under build
find build -type d -empty -delete
Request: who is using port 5432
ss -ltnp 'sport = :5432'
Request: print line 12 of config.ini
sed -n '12p' config.ini
Request: the size of each folder in music, biggest first
du -sh music/*/ | sort -rh
Request: show data.tsv with its tabs turned into commas
tr '\t' ',' < data.tsv
Request: sum the second column
awk '{s += $2} END {print s}'
Request: what did I do yesterday
nlsh history --since yesterday"""


def shell_examples() -> list[tuple[str, str]]:
    """The (request, command) examples of the shell profile's fixed prompt."""
    lines = SHELL_INSTRUCTIONS.split("Examples:\n", 1)[1].splitlines()
    return [(request.removeprefix("Request: "), command) for request, command in zip(lines[::2], lines[1::2])]


REFERENCES_HEADING = "Examples for similar requests (adapt names and paths to this request):"


def approx_tokens(text: str) -> int:
    """A cheap token estimate (about 3.5 characters a token for English and code)."""
    return (len(text) * 2 + 6) // 7


def tool_table(specs: list[ToolSpec]) -> str:
    lines = []
    for spec in specs:
        params = {
            name: _short_type(schema) for name, schema in spec.parameters.get("properties", {}).items()
        }
        required = spec.parameters.get("required", [])
        signature = ", ".join(f"{n}{'' if n in required else '?'}: {t}" for n, t in params.items())
        lines.append(f"{spec.name}({signature}) [{spec.risk}] - {spec.description}")
    return "\n".join(lines)


def _short_type(schema: dict) -> str:
    if "enum" in schema:
        return "|".join(json.dumps(v) for v in schema["enum"])
    if "anyOf" in schema:
        return "|".join(_short_type(s) for s in schema["anyOf"])
    return schema.get("type", "any")


def system_prompt(profile: str, specs: list[ToolSpec]) -> str:
    if profile == "shell":
        return SHELL_INSTRUCTIONS
    return FULL_INSTRUCTIONS + tool_table(specs)


@dataclass
class Facts:
    """What is true about the place the request is made in."""

    cwd: Path
    stdin_preview: str | None = None  # None: no data piped
    examples: list[tuple[str, str]] = field(default_factory=list)  # (request, plan or command)
    # Worked examples like this request from the example bank (kernel/retrieval): (description, command).
    references: list[tuple[str, str]] = field(default_factory=list)
    # Where the files and directories the request names really are (kernel/grounding): (name, path).
    located: list[tuple[str, str]] = field(default_factory=list)

    def render(self, budget: int) -> str:
        parts = [f"OS: {platform.system()}; shell: bash"]
        if self.stdin_preview is not None:
            parts.append("Data is piped to stdin. Its first lines:\n" + self.stdin_preview)
        else:
            listing = cwd_listing(self.cwd)
            if listing:
                parts.append("Files here: " + listing)
        if self.located:
            parts.append("Named in the request and found here: "
                         + "; ".join(f"{name} is {path}" for name, path in self.located))
        for request, answer in self.examples:
            candidate = f"Earlier the person asked {json.dumps(request)} and accepted: {answer}"
            if approx_tokens("\n".join(parts + [candidate])) > budget:
                break
            parts.append(candidate)
        # Last, right before the request: a small model follows what it read most recently. The
        # examples are written like those of the fixed prompt, so they read as more of the same.
        shown = []
        for description, command in self.references:
            candidate = f"Request: {description}\n{command}"
            if approx_tokens("\n".join(parts + [REFERENCES_HEADING, *shown, candidate])) > budget:
                break
            shown.append(candidate)
        if shown:
            parts += [REFERENCES_HEADING, *shown]
        text = "\n".join(parts)
        limit = budget * 3
        return text if len(text) <= limit else text[:limit] + " ..."


def cwd_listing(cwd: Path, limit: int = 30, chars: int = 600) -> str:
    try:
        with os.scandir(cwd) as it:
            names = sorted(e.name + ("/" if e.is_dir(follow_symlinks=False) else "") for e in it)
    except OSError:
        return ""
    shown: list[str] = []
    for name in names[:limit]:
        if sum(len(n) + 1 for n in shown) + len(name) > chars:
            break
        shown.append(name)
    more = f" (and {len(names) - len(shown)} more)" if len(names) > len(shown) else ""
    return " ".join(shown) + more


def build_prompt(request: str, *, profile: str, specs: list[ToolSpec], facts: Facts,
                 budget: int = 1200) -> Prompt:
    specs = [s for s in specs if s.name == "shell"] if profile == "shell" else specs
    user = f"{facts.render(budget)}\nRequest: {request}"
    max_tokens = 200 if profile == "shell" else 400
    return Prompt(system_prompt(profile, specs), [{"role": "user", "content": user}], specs, max_tokens)
