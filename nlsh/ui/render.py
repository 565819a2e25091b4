"""How results and plans look: rich tables on a terminal, TSV lines in a pipe, JSON with --json.
Everything shown to the person goes through `neutralize` so file names and output cannot drive the
terminal with escape sequences."""

from __future__ import annotations

import json
from typing import IO, Any

from nlsh.safety.risk import Assessment
from nlsh.tools.context import Result


def neutralize(text: str) -> str:
    from nlsh.safety import display

    return display.neutralize(text)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def write_result(result: Result, out: IO[str], *, as_json: bool, terminal: bool) -> None:
    if result.streamed:
        return
    if as_json:
        payload: Any = result.rows if result.rows is not None else {"output": result.text, "exit_code": result.exit_code}
        out.write(json.dumps(payload, ensure_ascii=False, default=str) + "\n")
    elif result.rows is not None:
        if terminal:
            _table(result.rows, out)
        else:
            for row in result.rows:  # TSV: tabs and newlines inside values would break the columns
                out.write("\t".join(_cell(v).replace("\t", " ").replace("\n", " ") for v in row.values()) + "\n")
    elif result.text:
        text = neutralize(result.text) if terminal else result.text
        out.write(text if text.endswith("\n") else text + "\n")
    out.flush()


def _table(rows: list[dict[str, Any]], out: IO[str]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    if not rows:
        out.write("(nothing)\n")
        return
    columns = list(dict.fromkeys(k for row in rows for k in row))
    table = Table(box=None, header_style="bold")
    for column in columns:
        table.add_column(Text(neutralize(str(column))))
    for row in rows:  # Text, not markup: "[/x]" in a file name or a command line is just text
        table.add_row(*(Text(neutralize(_cell(row.get(c)))) for c in columns))
    Console(file=out, highlight=False, soft_wrap=False).print(table)


def step_line(index: int, label: str, assessment: Assessment) -> str:
    return f"{index}. {neutralize(label)}  [{assessment.risk.label}]"

