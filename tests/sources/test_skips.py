"""Files jwtscan does not judge are named in every mode, and one that may hold a key gives no
verdict (exit 2) instead of passing in silence."""

from __future__ import annotations

import os
import shutil
import site
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from scanner.cli import main
from tests.conftest import ROOT, git

SIGN = "module.exports = (p) => jwt.sign(p, '{key}');\n"
PNG = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\xff\xfe\xfd\x08\x06\0\0\0\x1f\xf3\xffa"


def _stage(repo: Path, name: str, data: bytes) -> None:
    (repo / name).write_bytes(data)
    git(repo, "add", name)


def test_hook_a_key_behind_a_nul_byte_is_no_verdict(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 13 item 10: a NUL in the first 8 KiB made the file "binary": the hook passed (0).
    _stage(repo, "auth.js", b"\0\n" + SIGN.format(key="changeme").encode())
    monkeypatch.chdir(repo)
    for command in (["hook"], ["scan", "--staged"]):
        assert main(command) == 2
        out, err = capsys.readouterr()
        assert "auth.js" in out
        assert "NUL bytes" in out
        assert "changeme" not in out + err


def test_hook_a_file_over_the_size_limit_is_no_verdict(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / ".jwtscan.yaml").write_text("max-file-size: 1k\n")
    _stage(repo, "bundle.js", ("// padding\n" * 200 + SIGN.format(key="changeme")).encode())
    monkeypatch.chdir(repo)
    assert main(["hook"]) == 2
    out = capsys.readouterr().out
    assert "bundle.js" in out
    assert "over max-file-size" in out


def test_hook_a_real_binary_passes_with_a_note(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _stage(repo, "logo.png", PNG)
    monkeypatch.chdir(repo)
    assert main(["hook"]) == 0
    assert "not judged: logo.png: binary" in capsys.readouterr().err


def test_range_a_key_behind_a_nul_byte_is_no_verdict(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _stage(repo, "README.md", b"# app\n")
    git(repo, "commit", "-qm", "base")
    _stage(repo, "auth.js", b"\0\n" + SIGN.format(key="changeme").encode())
    _stage(repo, "logo.png", PNG)
    git(repo, "commit", "-qm", "add")
    monkeypatch.chdir(repo)
    assert main(["scan", "--range", "HEAD~1..HEAD"]) == 2
    out, err = capsys.readouterr()
    assert "auth.js" in out
    assert "not judged: logo.png: binary" in err


@pytest.fixture
def unprivileged() -> Iterator[tuple[Path, list[str]]]:
    """A folder and a command running jwtscan as ``nobody``: as root, permissions do not stop
    a read, so an unreadable folder can only be tested as another user (setpriv)."""
    if os.geteuid() != 0:
        folder = Path(tempfile.mkdtemp())
        yield folder, [sys.executable, "-m", "scanner"]
        shutil.rmtree(folder, ignore_errors=True)
        return
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: cannot drop to an unprivileged user")
    drop = [
        "setpriv",
        "--reuid=nobody",
        "--regid=nogroup",
        "--clear-groups",
        "--inh-caps=-all",
        "--bounding-set=-all",
        "env",
        "HOME=/tmp",
    ]
    sites = [*site.getsitepackages(), str(ROOT)]
    boot = (
        "import site, sys\n"
        f"for p in {sites!r}: site.addsitedir(p)\n"
        "from scanner.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    )
    folder = Path(tempfile.mkdtemp(dir="/tmp"))
    folder.chmod(0o755)
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for python in (sys.executable, shutil.which(version, path=os.defpath) or ""):
        probe = [*drop, python, "-c", boot, "--version"]
        if python and subprocess.run(probe, cwd=folder, capture_output=True).returncode == 0:
            break
    else:
        shutil.rmtree(folder)
        pytest.skip("no Python interpreter the user nobody may run")
    yield folder, [*drop, python, "-c", boot]
    for directory, subdirs, _ in os.walk(folder):
        for name in subdirs:
            (Path(directory) / name).chmod(0o755)
    shutil.rmtree(folder, ignore_errors=True)


def _lock(folder: Path, name: str) -> None:
    """A folder holding a key, that the scanning user cannot list."""
    (folder / name).mkdir(parents=True)
    (folder / name / "auth.js").write_text(SIGN.format(key="changeme"))
    if os.geteuid() == 0:
        for directory, subdirs, files in os.walk(folder):
            for entry in (Path(directory), *(Path(directory) / f for f in (*subdirs, *files))):
                os.chown(entry, 65534, 65534)
    (folder / name).chmod(0)


def test_an_unreadable_folder_is_no_verdict(
    unprivileged: tuple[Path, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Issue 13 item 10: an unreadable folder was skipped in silence (git only warns), exit 0.
    folder, jwtscan = unprivileged
    plain, repo = folder / "plain", folder / "repo"
    plain.mkdir()
    (plain / "notes.txt").write_text("nothing here\n")
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "README.md").write_text("# app\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    _lock(plain, "locked")
    _lock(repo, "untracked/locked")
    for where, name in ((plain, "locked"), (repo, "untracked/locked")):
        done = subprocess.run(
            [*jwtscan, "scan"], cwd=where, capture_output=True, text=True, check=False
        )
        assert done.returncode == 2, done.stdout + done.stderr
        assert f"cannot read {name}" in done.stdout
        assert stat.S_IMODE((where / name).stat().st_mode) == 0


def test_an_unreadable_folder_under_an_ignored_path_is_no_verdict(
    unprivileged: tuple[Path, list[str]],
) -> None:
    """Regression: ``jwtscan scan build`` where git ignores ``build``: the folder is walked as
    plain files, and a sub-folder that could not be listed was skipped in silence (exit 0)."""
    folder, jwtscan = unprivileged
    repo = folder / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / ".gitignore").write_text("build/\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    (repo / "build").mkdir()
    (repo / "build" / "notes.txt").write_text("nothing here\n")
    _lock(repo, "build/locked")
    done = subprocess.run(
        [*jwtscan, "scan", "build"], cwd=repo, capture_output=True, text=True, check=False
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "cannot read build/locked" in done.stdout
