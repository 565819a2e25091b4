"""Which of the packages a manifest's reference commands rely on are missing on this host."""

from __future__ import annotations

import shutil
import subprocess


def missing_packages(manifests: list[dict]) -> list[str]:
    wanted = sorted({name for m in manifests for name in m.get("apt_packages", [])})
    if not wanted or not shutil.which("dpkg-query"):
        return []
    found = subprocess.run(["dpkg-query", "-W", "-f", "${Package} ${db:Status-Status}\n", *wanted],
                           capture_output=True, text=True).stdout
    installed = {line.split()[0] for line in found.splitlines() if line.endswith(" installed")}
    return [name for name in wanted if name not in installed]
