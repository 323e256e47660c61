"""The wheel carries the rules: build it, install it in a fresh virtualenv, scan with it.

pre-commit installs hook repositories exactly this way, so a rule file missing from the wheel
would break every user.
"""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

from scanner.detect.loader import load_ruleset
from scanner.pipeline import BUILTIN_CHECKS
from tests.conftest import ROOT, git


def test_wheel_installs_and_scans_outside_the_source_tree(tmp_path: Path, repo: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    [wheel] = dist.glob("jwtscan-*.whl")
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    bin_dir = environment / "bin"
    subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    listing = subprocess.run(
        [str(bin_dir / "jwtscan"), "rules", "list"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert len(listing.stdout.splitlines()) == len(load_ruleset().rules) + len(BUILTIN_CHECKS)

    (repo / "server.py").write_text(
        'import jwt\n\ntoken = jwt.encode({"sub": "1"}, "changeme", algorithm="HS256")\n'
    )
    git(repo, "add", "server.py")
    scanned = subprocess.run(
        [str(bin_dir / "jwtscan"), "scan", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=repo,
        check=False,
    )
    assert scanned.returncode == 1, scanned.stderr
    [finding] = json.loads(scanned.stdout)["findings"]
    assert (finding["path"], finding["line"], finding["kind"]) == ("server.py", 3, "weak-secret")
    assert finding["strength"]["algorithm"] == "HS256"
