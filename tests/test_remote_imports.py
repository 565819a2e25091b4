"""litellm stays off every path that does not call a remote model, and when it is loaded it does not
read a .env file from the directory the shell happens to be in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_python(code: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LITELLM_", "NLSH_"))}
    env["PYTHONPATH"] = str(ROOT)
    env["NLSH_HOME"] = str(cwd / "home")
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_importing_the_remote_backend_and_config_does_not_import_litellm(tmp_path):
    result = run_python(
        "import sys, nlsh.models.remote, nlsh.models.remote_errors, nlsh.config, nlsh.config_cli\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('litellm', 'openai', 'httpx')))",
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_loading_litellm_ignores_a_dotenv_file_in_the_working_directory(tmp_path):
    (tmp_path / ".env").write_text("NLSH_DOTENV_PROBE=leaked\nOPENAI_API_KEY=sk-from-dotenv\n")
    result = run_python(
        "import os\n"
        "os.environ.pop('OPENAI_API_KEY', None)\n"
        "from nlsh.models.remote import _import_litellm\n"
        "_import_litellm()\n"
        "print(os.environ.get('NLSH_DOTENV_PROBE'), os.environ.get('OPENAI_API_KEY'),\n"
        "      os.environ.get('LITELLM_LOCAL_MODEL_COST_MAP'))",
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["None", "None", "True"]
    assert result.stdout.count("\n") == 1  # nothing else printed on stdout
