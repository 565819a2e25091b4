import pytest

from nlsh.safety.policy import Grant, Verdict, decide, rule_covers
from nlsh.safety.risk import Assessment, Risk


def verdict(risk, grant=Grant(), tainted=None, terminal=False, tool="shell", argvs=None):
    return decide(tool, Assessment(risk, ("x",)), grant, tainted_by=tainted, has_terminal=terminal, argvs=argvs)[0]


@pytest.mark.parametrize("risk", list(Risk))
def test_the_mode_decides_who_is_asked(risk):
    expected_terminal = Verdict.RUN if risk == Risk.READ else Verdict.ASK
    expected_none = Verdict.RUN if risk == Risk.READ else Verdict.REFUSE
    assert verdict(risk, terminal=True) == expected_terminal
    assert verdict(risk, terminal=False) == expected_none
    assert verdict(risk, Grant(yes=True)) == Verdict.RUN


def test_allow_covers_only_the_named_classes_and_never_system_or_unknown():
    grant = Grant.from_options(False, ["write,network"], [])
    assert verdict(Risk.WRITE, grant) == Verdict.RUN
    assert verdict(Risk.NETWORK, grant) == Verdict.RUN
    assert verdict(Risk.DESTRUCTIVE, grant) == Verdict.REFUSE
    for forbidden in ("system", "unknown"):
        with pytest.raises(ValueError, match="not possible"):
            Grant.from_options(False, [forbidden], [])


def test_content_the_model_read_needs_a_fresh_yes_even_with_yes():
    assert verdict(Risk.WRITE, Grant(yes=True), tainted="stdin") == Verdict.REFUSE
    assert verdict(Risk.WRITE, Grant(yes=True), tainted="stdin", terminal=True) == Verdict.ASK
    assert verdict(Risk.READ, tainted="stdin") == Verdict.RUN


def test_command_rules_never_cover_a_compound_line_as_a_whole():
    rules = ("command:git status", "command:make test")
    assert rule_covers(rules, "shell", Risk.UNKNOWN, [["make", "test"]])
    assert rule_covers(rules, "shell", Risk.UNKNOWN, [["git", "status", "-s"], ["make", "test"]])
    assert not rule_covers(rules, "shell", Risk.UNKNOWN, [["make", "test"], ["rm", "-rf", "x"]])
    assert not rule_covers(rules, "shell", Risk.UNKNOWN, None)  # not literal: never covered
    assert not rule_covers(rules, "shell", Risk.UNKNOWN, [["make"]])


def test_tool_and_class_rules():
    assert rule_covers(("tool:write_file",), "write_file", Risk.WRITE, None)
    assert not rule_covers(("tool:write_file",), "delete", Risk.DESTRUCTIVE, None)
    assert rule_covers(("class:write",), "shell", Risk.WRITE, [["touch", "x"]])
    assert not rule_covers(("class:unknown",), "shell", Risk.UNKNOWN, [["x"]])


def test_the_decision_names_the_jail_the_step_runs_in():
    from nlsh.safety.jail import Clearance

    def clearance(risk, grant=Grant(), terminal=False):
        return decide("shell", Assessment(risk, ("x",)), grant, tainted_by=None, has_terminal=terminal).clearance

    assert clearance(Risk.READ, Grant(yes=True)) == Clearance.READ  # --yes never lifts the read jail
    allow = Grant.from_options(False, ["write,destructive,network"], [])
    assert clearance(Risk.WRITE, allow) == Clearance.WRITE
    assert clearance(Risk.DESTRUCTIVE, allow) == Clearance.DESTRUCTIVE
    assert clearance(Risk.NETWORK, allow) == Clearance.NETWORK
    assert clearance(Risk.WRITE, Grant(rules=("class:write",))) == Clearance.WRITE
    assert clearance(Risk.WRITE, Grant(rules=("tool:write_file", "command:touch"))) == Clearance.READ  # refused
    assert clearance(Risk.UNKNOWN, Grant(yes=True)) == Clearance.FULL
    assert clearance(Risk.DESTRUCTIVE, terminal=True) == Clearance.FULL  # after the person's yes
