import io

from nlsh.tools.context import Result
from nlsh.ui.render import write_result


def test_table_cells_are_text_not_markup():
    out = io.StringIO()
    rows = [{"name": "zz [/] marker", "command": "[bold red]x[/bold red] \x1b]0;title\x07"}]
    write_result(Result(rows=rows), out, as_json=False, terminal=True)
    shown = out.getvalue()
    assert "zz [/] marker" in shown and "[bold red]x[/bold red]" in shown
    assert "\x1b" not in shown


def test_pipe_output_is_tsv_and_json_is_json():
    rows = [{"a": 1, "b": "two\tparts"}]
    tsv = io.StringIO()
    write_result(Result(rows=rows), tsv, as_json=False, terminal=False)
    assert tsv.getvalue() == "1\ttwo parts\n"
    js = io.StringIO()
    write_result(Result(rows=rows), js, as_json=True, terminal=False)
    assert js.getvalue() == '[{"a": 1, "b": "two\\tparts"}]\n'
