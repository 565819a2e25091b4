"""Fast where people feel it: help, tools and version never load a model backend."""

import os
import subprocess
import sys

import pytest

from conftest import REPO

PROBE = """
import sys
sys.argv = ["nlsh"] + {args!r}
try:
    from nlsh.cli import main
    main()
except SystemExit:
    pass
heavy = sorted(m for m in ("litellm", "llama_cpp", "openai") if m in sys.modules)
print("HEAVY:" + ",".join(heavy), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["--help"], ["tools"], ["version"], ["history", "--help"], ["model", "--help"]])
def test_light_commands_import_no_model_backend(args, nlsh_home):
    env = {**os.environ, "PYTHONPATH": str(REPO), "NLSH_HOME": str(nlsh_home)}
    proc = subprocess.run([sys.executable, "-c", PROBE.format(args=args)], capture_output=True, text=True,
                          env=env, stdin=subprocess.DEVNULL, timeout=60)
    heavy = proc.stderr.strip().splitlines()[-1]
    assert heavy.startswith("HEAVY:"), proc.stderr
    assert "litellm" not in heavy and "llama_cpp" not in heavy and "openai" not in heavy, heavy
