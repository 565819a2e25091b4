import pytest

from nlsh.kernel.plan import Plan, PlanError, Step, parse_reply, shell_command_from_reply


def test_plan_round_trips_through_json():
    plan = Plan([Step("list_directory", {"path": "."}, "look")], observe=True, answer="hi")
    again = Plan.from_json(plan.to_json())
    assert again.to_dict() == plan.to_dict()
    assert again.steps[0].reason == "look" and again.observe and again.answer == "hi"


@pytest.mark.parametrize("text, message", [
    ("{not json", "not valid JSON"),
    ('{"steps": 3}', "'steps' must be a list"),
    ('{"steps": [{"args": {}}]}', "step 1 must be an object with a 'tool' name"),
    ('{"steps": [{"tool": "x", "args": [1]}]}', "'args' must be an object"),
    ("[1, 2]", "a plan is a JSON object"),
])
def test_malformed_plans_say_what_is_wrong(text, message):
    with pytest.raises(PlanError, match=message):
        Plan.from_json(text)


def test_reply_in_prose_or_fence_still_parses():
    reply = 'Sure! ```json\n{"steps": [{"tool": "shell", "args": {"command": "ls"}}]}\n```'
    assert parse_reply(reply, allow_shell=False).steps[0].args == {"command": "ls"}


def test_shell_reply_becomes_a_shell_step_only_when_allowed():
    assert parse_reply("```bash\n$ du -sh * | sort -h\n```", allow_shell=True).steps[0].to_dict() == {
        "tool": "shell", "args": {"command": "du -sh * | sort -h"}}
    with pytest.raises(PlanError):
        parse_reply("du -sh *", allow_shell=False)


def test_prose_is_not_mistaken_for_a_command():
    assert shell_command_from_reply("I think you want\nto list files") is None
    with pytest.raises(PlanError, match="empty"):
        parse_reply("   ", allow_shell=True)


def test_a_bare_line_is_a_command_only_from_a_model_asked_for_one():
    assert parse_reply("ls -la", allow_shell=True, bare_shell=True).steps[0].args == {"command": "ls -la"}
    with pytest.raises(PlanError):
        parse_reply("I cannot help with that.", allow_shell=True, bare_shell=False)
    fenced = parse_reply("Try:\n```sh\nls -la\n```", allow_shell=True, bare_shell=False)
    assert fenced.steps[0].args == {"command": "ls -la"}


def test_a_bare_step_object_is_a_one_step_plan_and_an_empty_object_is_no_plan():
    plan = Plan.from_json('{"tool": "shell", "args": {"command": "ls"}}')
    assert [s.to_dict() for s in plan.steps] == [{"tool": "shell", "args": {"command": "ls"}}]
    with pytest.raises(PlanError, match="needs a 'steps' list"):
        Plan.from_json('{"command": "ls"}')
    assert Plan.from_json('{"answer": "nothing to do"}').steps == []


def test_observe_must_be_a_real_true():
    assert Plan.from_json('{"steps": [], "observe": "false", "answer": "x"}').observe is False
    assert Plan.from_json('{"steps": [], "observe": true}').observe is True
