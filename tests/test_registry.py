"""The tool table: schemas come from signatures, and a broken plugin cannot take nlsh down."""

import pytest

from nlsh.safety.risk import Risk
from nlsh.tools.registry import ArgumentError, Registry, add_entry_point, load_registry, tool


@tool(Risk.READ, shell=lambda a: f"echo {a['word']}")
def shout(ctx, word: str, times: int = 1) -> str:
    """Say a word loudly.

    More text that the model does not need."""
    return word.upper() * times


class EntryPoint:
    def __init__(self, name, load):
        self.name, self.load = name, load


def test_schema_and_description_come_from_the_function():
    spec = shout.spec()
    assert spec.description == "Say a word loudly."
    assert spec.parameters["properties"] == {"word": {"type": "string"}, "times": {"type": "integer", "default": 1}}
    assert spec.parameters["required"] == ["word"]
    assert shout.validate({"word": "hi"}) == {"word": "hi", "times": 1}
    with pytest.raises(ArgumentError, match="times"):
        shout.validate({"word": "hi", "times": "many"})
    with pytest.raises(ArgumentError, match="Extra inputs"):
        shout.validate({"word": "hi", "volume": 11})


def test_a_broken_plugin_is_skipped_with_a_warning():
    registry, warnings = Registry(), []

    def explode():
        raise ImportError("no module named helpers")

    add_entry_point(registry, EntryPoint("broken", explode), warnings.append)
    add_entry_point(registry, EntryPoint("clash", lambda: [shout, shout]), warnings.append)
    add_entry_point(registry, EntryPoint("good", lambda: [shout]), warnings.append)
    assert registry.names() == ["shout"]
    assert "broken" in warnings[0] and "no module named helpers" in warnings[0]
    assert "clash" in warnings[1]


def test_builtin_tools_all_declare_a_class_and_render_as_shell():
    registry = load_registry()
    assert len(registry.names()) >= 20
    for t in registry:
        assert isinstance(t.risk, Risk) and t.render_shell is not None, t.name
