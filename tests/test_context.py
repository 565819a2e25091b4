import re

from nlsh.kernel.context import Facts, approx_tokens, build_prompt
from nlsh.tools.registry import load_registry


def test_the_system_prompt_is_fixed_whatever_the_request_and_place(tmp_path):
    specs = load_registry().specs()
    (tmp_path / "a").mkdir()
    one = build_prompt("list files", profile="full", specs=specs, facts=Facts(tmp_path))
    two = build_prompt("kill it", profile="full", specs=specs, facts=Facts(tmp_path / "a", "x"))
    assert one.system == two.system
    assert str(tmp_path) not in one.system
    for spec in specs:
        assert spec.name + "(" in one.system


def test_shell_profile_offers_only_the_shell_tool(tmp_path):
    prompt = build_prompt("x", profile="shell", specs=load_registry().specs(), facts=Facts(tmp_path))
    assert [s.name for s in prompt.tools] == ["shell"]


def test_facts_stay_within_the_budget(tmp_path):
    for i in range(500):
        (tmp_path / f"file-{i:04d}-with-a-long-name.txt").touch()
    examples = [(f"request {i} " * 20, "ls " * 40) for i in range(50)]
    text = Facts(tmp_path, None, examples).render(budget=300)
    assert approx_tokens(text) <= 330
    assert re.search(r"and 4[0-9][0-9] more", text)


def test_piped_preview_replaces_the_listing(tmp_path):
    (tmp_path / "visible.txt").touch()
    text = Facts(tmp_path, "2026-01-01 ERROR x").render(budget=500)
    assert "ERROR x" in text and "visible.txt" not in text
