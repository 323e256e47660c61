"""The small things users notice (issue 12, item 10), each through a real subprocess."""

from __future__ import annotations

import contextlib
import os
import pty
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import jwt
import pytest

from scanner.pipeline import BUILTIN_CHECKS
from tests.conftest import commit_files, git

KEY_LINE = "jwt.sign(payload, 'changeme');\n"


def _jwtscan(
    cwd: Path, *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scanner", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        input=stdin,
    )


def test_output_file_still_tells_the_terminal_the_verdict(repo: Path) -> None:
    commit_files(repo, {"auth.js": KEY_LINE})
    result = _jwtscan(repo, "scan", "--format", "json", "--output", "report.json")
    assert result.returncode == 1
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("jwtscan: 1 finding(s) (1 critical) in 1 file(s); 1 file(s) scanned")
    assert line.endswith("; report written to report.json")
    assert "changeme" not in result.stderr


def test_fail_on_says_what_did_not_fail_the_run(repo: Path) -> None:
    commit_files(repo, {".env": "PORT=3000\n", ".gitignore": "node_modules/\n"})
    git(repo, "rm", "-q", "--cached", ".env")  # untracked and not ignored: medium
    result = _jwtscan(repo, "scan", "--fail-on", "high")
    assert result.returncode == 0
    assert "env-file-unignored" in result.stdout
    assert "1 finding(s) below the --fail-on severity (high) did not fail the run" in result.stderr
    assert "below the --fail-on" not in _jwtscan(repo, "scan").stderr


def _history_repository(path: Path, blobs: int, line: str = "jwt.sign(payload, key);\n") -> None:
    """Many distinct blobs (400 ``line``s), in one commit written by git fast-import."""
    git(path, "init", "-q")
    stream = [
        b"commit refs/heads/main\ncommitter T <t@example.com> 1700000000 +0000\ndata 5\nmany\n"
    ]
    for n in range(blobs):
        body = (f"// file {n}\n" + line * 400).encode()
        stream.append(b"M 100644 inline src/f%d.js\ndata %d\n%s\n" % (n, len(body), body))
    subprocess.run(["git", "fast-import", "--quiet"], cwd=path, input=b"".join(stream), check=True)


def test_ctrl_c_during_a_parallel_history_scan_exits_130_in_one_line(tmp_path: Path) -> None:
    repo = tmp_path / "big"
    repo.mkdir()
    _history_repository(repo, 4000)
    # Ctrl-C signals the terminal's whole foreground process group: jwtscan, its workers, git.
    # A shell starts a background job with SIGINT ignored, and so every process under it (a
    # suite run with `&`): jwtscan is started as a terminal would start it.
    process = subprocess.Popen(
        [sys.executable, "-m", "scanner", "scan", "--history", "--jobs", "2", "--no-crack"],
        cwd=repo,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=_as_in_a_terminal,
    )

    # Interrupt once the workers read and judge (jwtscan's git log, two workers, each with its
    # own git cat-file), not during start-up.
    def descendants(pid: int) -> int:
        found = 0
        for listing in Path(f"/proc/{pid}/task").glob("*/children"):
            with contextlib.suppress(OSError):  # a thread or process that just ended
                for child in listing.read_text().split():
                    found += 1 + descendants(int(child))
        return found

    deadline = time.monotonic() + 60
    while descendants(process.pid) < 5 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    assert process.poll() is None, "the scan ended before it could be interrupted"
    os.killpg(process.pid, signal.SIGINT)
    try:
        # jwtscan itself ends first; then whatever it started must let go of its output.
        left = "jwtscan did not exit"
        process.wait(timeout=60)
        left = "jwtscan's descendants kept its output open"
        process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{left} after Ctrl-C:\n{_process_group(process.pid)}")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
    assert process.returncode == 130, err
    assert err.decode().splitlines() == ["jwtscan: interrupted"]
    assert b"Traceback" not in out + err


def _as_in_a_terminal() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _process_group(group: int) -> str:
    """The processes left in ``group``, one line each, for a failure's message."""
    listing = subprocess.run(
        ["ps", "-o", "pid,ppid,stat,etime,args", "-g", str(group)],
        capture_output=True,
        text=True,
        check=False,
    )
    return listing.stdout or listing.stderr


def _with_terminal(
    args: list[str], cwd: Path, env: dict[str, str], stream: str
) -> tuple[int, bytes, bytes]:
    """Run jwtscan with ``stream`` (stdout or stderr) on a pseudo-terminal; the other piped."""
    leader, follower = pty.openpty()
    on_terminal = stream == "stdout"
    process = subprocess.Popen(
        [sys.executable, "-m", "scanner", *args],
        cwd=cwd,
        env=env,
        stdout=follower if on_terminal else subprocess.PIPE,
        stderr=subprocess.PIPE if on_terminal else follower,
    )
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the process is done with it
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    out, err = process.communicate(timeout=60)
    return process.returncode, seen, (err if on_terminal else out)


@pytest.mark.parametrize(
    ("terminal", "ci", "redraws"),
    [(False, None, False), (True, "true", False), (True, None, True)],
)
def test_progress_redraws_only_on_a_terminal_outside_ci(
    tmp_path: Path, terminal: bool, ci: str | None, redraws: bool
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _history_repository(repo, 50, "x = 1\n")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci is not None:
        env["CI"] = ci
    args = ["scan", "--history", "--progress", "--jobs", "1"]
    if terminal:
        code, err, _ = _with_terminal(args, repo, env, "stderr")
    else:
        done = subprocess.run(
            [sys.executable, "-m", "scanner", *args], cwd=repo, env=env, capture_output=True
        )
        code, err = done.returncode, done.stderr
    assert code == 0
    assert (b"\r" in err.replace(b"\r\n", b"")) is redraws  # a terminal itself writes CRLF
    assert b"jwtscan: 50 objects" in err


@pytest.mark.parametrize(("value", "coloured"), [("", True), ("1", False)])
def test_only_a_non_empty_no_color_turns_colour_off(repo: Path, value: str, coloured: bool) -> None:
    commit_files(repo, {"auth.js": KEY_LINE})
    env = {**os.environ, "NO_COLOR": value}
    code, out, _ = _with_terminal(["scan"], repo, env, "stdout")
    assert code == 1
    assert (b"\033[" in out) is coloured


def test_rules_list_into_a_closed_pipe_is_not_an_error() -> None:
    # jwtscan rules list | head -1
    process = subprocess.Popen(
        [sys.executable, "-m", "scanner", "rules", "list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.readline()
    process.stdout.close()
    with process.stderr:
        error = process.stderr.read().decode()
    assert process.wait() == 0
    assert "error" not in error
    assert "Traceback" not in error


def test_rules_list_shows_the_check_ids_disable_accepts(repo: Path) -> None:
    listing = _jwtscan(repo, "rules", "list")
    assert listing.returncode == 0
    shown = {line.split()[0]: line.split()[1] for line in listing.stdout.splitlines()}
    assert BUILTIN_CHECKS
    for check in BUILTIN_CHECKS:
        assert shown[check] == "check"
    (repo / ".jwtscan.yaml").write_text(f"disable: [{', '.join(BUILTIN_CHECKS)}]\n")
    commit_files(repo, {".env": "PORT=1\n"})
    assert _jwtscan(repo, "scan").returncode == 0


def test_ci_accepts_no_color(repo: Path) -> None:
    commit_files(repo, {"a.js": "x = 1\n"})
    before = git(repo, "rev-parse", "HEAD").strip()
    commit_files(repo, {"b.js": "y = 2\n"})
    env = {
        **os.environ,
        "GITLAB_CI": "true",
        "CI_COMMIT_SHA": git(repo, "rev-parse", "HEAD").strip(),
        "CI_COMMIT_BEFORE_SHA": before,
    }
    result = _jwtscan(repo, "ci", "--no-color", "--no-fetch", env=env)
    assert result.returncode == 0, result.stderr
    assert "no findings" in result.stdout
    assert "\033[" not in result.stdout


def test_token_dash_reads_standard_input(tmp_path: Path) -> None:
    with warnings.catch_warnings():  # PyJWT warns that the key is short: that is the point
        warnings.simplefilter("ignore")
        token = jwt.encode({"sub": "1"}, "secret", algorithm="HS256")
    result = _jwtscan(tmp_path, "token", "-", stdin=f"{token}\n")
    assert result.returncode == 1
    assert '"sub": "1"' in result.stdout
    assert "FORGEABLE" in result.stdout


def test_install_hook_force_keeps_the_previous_hook(repo: Path) -> None:
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text("#!/bin/sh\nexec ./run-linters\n")
    hook.chmod(0o755)
    result = _jwtscan(repo, "install-hook", "--force")
    assert result.returncode == 0, result.stderr
    backup = hook.with_name("pre-commit.jwtscan-backup")
    assert backup.read_text() == "#!/bin/sh\nexec ./run-linters\n"
    assert os.access(backup, os.X_OK)
    assert str(backup) in result.stdout
    assert "jwtscan" in hook.read_text()
    # Again: the hook is jwtscan's own now, nothing to keep; the first backup is untouched.
    again = _jwtscan(repo, "install-hook", "--force")
    assert again.returncode == 0
    assert "previous hook" not in again.stdout
    assert [p.name for p in hook.parent.glob("pre-commit.jwtscan*")] == [backup.name]


def test_hook_advice_for_an_env_file_is_not_an_allow_comment(repo: Path) -> None:
    commit_files(repo, {"README": "x\n"})
    (repo / ".env.staging").write_text("PORT=3000\nLOG_LEVEL=info\n")
    git(repo, "add", "-f", ".env.staging")
    result = _jwtscan(repo, "hook")
    assert result.returncode == 1
    assert "env-file-tracked" in result.stdout
    assert "jwtscan:allow" not in result.stderr
    assert "git rm --cached .env.staging" in result.stderr
    assert ".env.example" in result.stderr
    # A key in code staged beside it gets the advice for lines too.
    (repo / "auth.js").write_text(KEY_LINE)
    git(repo, "add", "auth.js")
    both = _jwtscan(repo, "hook")
    assert "jwtscan:allow" in both.stderr
    assert "git rm --cached .env.staging" in both.stderr
