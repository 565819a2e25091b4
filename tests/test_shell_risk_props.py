"""Properties of the classifier: it never raises and always answers in bounded time, on random
text and on mutations of the table's lines. Lines are only parsed, never run."""

from __future__ import annotations

import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlsh.safety.display import neutralize, reveal, suspicious
from nlsh.safety.risk import Assessment, Risk
from nlsh.safety.shell_risk import assess_command, simple_commands

from test_shell_risk import TABLE

LINES = [command for command, _ in TABLE]
SHELL_BITS = ["|", "&&", ";", "$(", ")", "`", "'", '"', "\\", ">", ">>", "<(", "<<EOF\n", "\n", "{", "}",
              "rm -rf ", "sudo ", "bash -c ", "eval ", "$x", "*", "~", "\u200b", "ｒ", "\u043e", "\x00",
              "\udcff", "--", "-exec ", "{} \\;", "=", "(", "!"]
BOUND_SECONDS = 2.0  # generous: a typical line takes well under 5 ms
PROPS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(command: str, cwd: Path) -> None:
    started = time.perf_counter()
    result = assess_command(command, cwd)
    elapsed = time.perf_counter() - started
    assert isinstance(result, Assessment)
    assert isinstance(result.risk, Risk)
    assert all(isinstance(r, str) and r for r in result.reasons)
    assert all(isinstance(t, str) for t in result.targets)
    if result.risk != Risk.READ:
        assert result.reasons
    assert elapsed < BOUND_SECONDS
    argvs = simple_commands(command)
    assert argvs is None or all(isinstance(w, str) for argv in argvs for w in argv)
    if argvs is not None:
        assert all(argv for argv in argvs), "every simple command has a name"
    shown = reveal(command)
    assert isinstance(shown, str) and isinstance(suspicious(command), list)
    assert "\x1b" not in neutralize(command)


@PROPS
@given(st.text(max_size=300))
def test_random_text(tmp_path_factory, text):
    _check(text, tmp_path_factory.getbasetemp())


@PROPS
@given(st.sampled_from(LINES), st.lists(st.tuples(st.integers(0, 400), st.sampled_from(SHELL_BITS)),
                                        max_size=6), st.integers(0, 400), st.integers(0, 20))
def test_mutated_table_lines(tmp_path_factory, line, inserts, cut_at, cut_len):
    mutated = line[:cut_at] + line[cut_at + cut_len:]
    for position, bit in inserts:
        position %= len(mutated) + 1
        mutated = mutated[:position] + bit + mutated[position:]
    _check(mutated, tmp_path_factory.getbasetemp())


@PROPS
@given(st.lists(st.sampled_from(SHELL_BITS + ["ls", "cat f", "x", " "]), max_size=80))
def test_shell_shaped_noise(tmp_path_factory, bits):
    _check("".join(bits), tmp_path_factory.getbasetemp())


def test_adding_a_part_never_lowers_the_class(tmp_path):
    # A compound line is at least as risky as each of its parts.
    for command, _ in TABLE:
        if not command or "\x00" in command or "\n" in command:
            continue
        alone = assess_command(command, tmp_path).risk
        for joined in (f"ls; {command}", f"{command} && ls", f"echo $({command})"):
            combined = assess_command(joined, tmp_path).risk
            assert combined >= alone or combined == Risk.UNKNOWN, (joined, combined, alone)
