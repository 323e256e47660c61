"""Writes and hangs driven by repository content: symlinks, devices, backtracking, huge inputs."""

from __future__ import annotations

import os
import resource
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scanner.paths import GlobLists, glob_match, matches_any
from tests.conftest import git


def _jwtscan(cwd: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scanner", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_limit_memory,  # a regression reading /dev/zero fails fast, machine intact
    )


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (4 * 2**30, 4 * 2**30))


@pytest.mark.parametrize("link", [".gitignore", ".env.example"])
def test_fix_env_never_writes_through_a_committed_symlink_out_of_the_repository(
    repo: Path, tmp_path: Path, link: str
) -> None:
    # A cloned repository commits .gitignore (or .env.example) as a link to a file of the
    # user's; 'fix env --apply' appended to that file.
    victim = tmp_path / "victim.txt"
    victim.write_text("the user's own file\n")
    (repo / link).symlink_to(victim)
    (repo / ".env").write_text("JWT_SECRET=changeme\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "a link and an env file")

    result = _jwtscan(repo, "fix", "env", "--apply")
    assert result.returncode == 2, result.stderr
    expected = "which git does not read" if link == ".gitignore" else "outside the repository"
    assert expected in result.stderr
    assert link in result.stderr
    assert victim.read_text() == "the user's own file\n"
    assert (repo / link).is_symlink()
    # Refused before anything was done: the env file is still tracked, no file was created.
    assert git(repo, "ls-files", ".env").strip() == ".env"
    assert git(repo, "status", "--porcelain") == ""


def test_fix_env_refuses_a_gitignore_symlink_even_inside_the_repository(repo: Path) -> None:
    (repo / "shared-ignore").write_text("node_modules/\n")
    (repo / ".gitignore").symlink_to("shared-ignore")
    (repo / ".env").write_text("JWT_SECRET=changeme\n")
    plan = _jwtscan(repo, "fix", "env")
    assert "append to .gitignore: .env" in plan.stdout  # git does not read the link's lines
    result = _jwtscan(repo, "fix", "env", "--apply")
    assert result.returncode == 2
    assert "which git does not read" in result.stderr
    assert (repo / "shared-ignore").read_text() == "node_modules/\n"


def test_fix_env_writes_through_a_template_symlink_inside_the_repository(repo: Path) -> None:
    (repo / "config").mkdir()
    (repo / "config" / "env.example").write_text("PORT=\n")
    (repo / ".env.example").symlink_to("config/env.example")
    (repo / ".gitignore").write_text(".env\n.env.*\n!.env.example\n")
    (repo / ".env").write_text("JWT_SECRET=changeme\n")
    result = _jwtscan(repo, "fix", "env", "--apply")
    assert result.returncode == 0, result.stderr
    assert (repo / ".env.example").is_symlink()
    assert (repo / "config" / "env.example").read_text() == "PORT=\nJWT_SECRET=\n"


def test_fix_env_keeps_the_bytes_and_line_ends_of_gitignore(repo: Path) -> None:
    # fix env wrote with the locale's encoding, after reading strictly as UTF-8 (a latin-1
    # comment was an internal error), and appended LF lines to a CRLF file.
    (repo / ".gitignore").write_bytes(b"# caf\xe9 (latin-1)\r\nnode_modules/\r\n")
    (repo / ".env").write_text("JWT_SECRET=changeme\n")
    result = _jwtscan(repo, "fix", "env", "--apply")
    assert result.returncode == 0, result.stderr
    written = (repo / ".gitignore").read_bytes()
    assert written.startswith(b"# caf\xe9 (latin-1)\r\nnode_modules/\r\n")
    assert b"\r\n.env\r\n" in written
    assert git(repo, "check-ignore", ".env").strip() == ".env"
    assert not [p for p in repo.iterdir() if p.name.startswith(".gitignore.")]  # no temporaries


def test_generate_refuses_a_device_as_env_file(tmp_path: Path) -> None:
    # As root, 'generate --env-file /dev/null' replaced the device with a file holding the key.
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("creating a device needs root")
    result = _jwtscan(tmp_path, "generate", "--env-file", str(device))
    assert result.returncode == 2
    assert "not a regular file" in result.stderr
    assert stat.S_ISCHR(device.stat().st_mode)


def test_generate_refuses_a_fifo_as_env_file_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / ".env"
    os.mkfifo(fifo)
    result = _jwtscan(tmp_path, "generate", "--env-file", str(fifo), timeout=30)
    assert result.returncode == 2
    assert "not a regular file" in result.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_generate_through_a_symlinked_env_file_keeps_the_link(tmp_path: Path) -> None:
    (tmp_path / "shared.env").write_text("PORT=1\n")
    (tmp_path / ".env").symlink_to("shared.env")
    result = _jwtscan(tmp_path, "generate", "--env-file", ".env")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / ".env").is_symlink()
    assert (tmp_path / "shared.env").read_text().startswith("PORT=1\nJWT_SECRET=")


BACKTRACKING_EXAMPLE = r"""
rules:
  - id: user-slow-example
    description: a rule whose own example makes its regex backtrack catastrophically
    kind: secret
    severity: high
    keywords: ["token"]
    regex: 'token=(?P<secret>(\w+\s?)+)$'
    remediation: {fix: f}
    examples:
      - {text: "token=abc", secret: abc}
    negative_examples:
      - "token=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"
"""

BACKTRACKING_ON_ORDINARY_TEXT = r"""
rules:
  - id: user-slow-regex
    description: examples pass quickly, but ordinary text after the keyword backtracks
    kind: secret
    severity: high
    keywords: ["key"]
    regex: 'key(?P<secret>(a|aa)+)b'
    remediation: {fix: f}
    examples:
      - {text: "keyaab", secret: aa}
"""


@pytest.mark.parametrize(
    ("document", "rule_id"),
    [
        (BACKTRACKING_EXAMPLE, "user-slow-example"),
        (BACKTRACKING_ON_ORDINARY_TEXT, "user-slow-regex"),
    ],
)
@pytest.mark.parametrize("command", [("scan",), ("hook",), ("rules", "list")])
def test_backtracking_rule_is_an_error_naming_it_not_a_hang(
    repo: Path, tmp_path: Path, document: str, rule_id: str, command: tuple[str, ...]
) -> None:
    rules = tmp_path / "slow.yaml"
    rules.write_text(document)
    started = time.monotonic()
    result = _jwtscan(repo, *command, "--rules", str(rules))
    assert time.monotonic() - started < 30
    assert result.returncode == 2
    assert f"rule {rule_id}" in result.stderr
    assert "backtracks" in result.stderr


def test_rules_test_fails_a_backtracking_rule(tmp_path: Path) -> None:
    rules = tmp_path / "slow.yaml"
    rules.write_text(BACKTRACKING_EXAMPLE)
    result = _jwtscan(tmp_path, "rules", "test", str(rules))
    assert result.returncode == 1
    assert "FAIL user-slow-example" in result.stdout
    assert "backtracks" in result.stdout


@pytest.mark.parametrize(
    "pattern",
    [
        "*a*a*a*a*a*a*a*a*a*a*a*a*b",  # one segment: a regex tries every split between stars
        "**/**/**/**/**/**/**/**/**/**/**/**/b",  # across segments
        "x/*a*a*a*a*a*a*a*a*a*a*a*a*b/**",
    ],
)
def test_glob_matching_is_linear(pattern: str) -> None:
    path = "/".join(["a" * 40] * 30)
    started = time.monotonic()
    assert not glob_match(path, pattern)
    assert not matches_any(path, [pattern])
    assert not GlobLists([(pattern,)]).matching(path)
    assert time.monotonic() - started < 1


def test_backtracking_exclude_glob_does_not_hang_a_scan(repo: Path) -> None:
    deep = repo.joinpath(*(["a" * 30] * 10))
    deep.mkdir(parents=True)
    (deep / "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.js").write_text("x = 1\n")
    (repo / "ok.js").write_text("x = 1\n")
    glob = "**/" + "*a" * 16 + "b"
    result = _jwtscan(repo, "scan", "--exclude", glob, timeout=60)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("path", "pattern", "expected"),
    [
        ("vendor/x/y.js", "vendor/**", True),
        ("a/vendor/x.js", "vendor/**", False),
        ("a/b/c/d.py", "a/**/d.py", True),
        ("a/d.py", "a/**/d.py", True),
        ("src/deep/x.min.js", "*.min.*", True),
        ("src/x.js", "[!s]*/x.js", False),
        ("t/x.js", "[!s]*/x.js", True),
        ("a/b", "a?b", False),  # '?' and '*' never cross '/'
        ("a]b.txt", "[]]*", False),
        ("]x", "[]]*", True),
        ("[x", "[x", True),  # an unclosed '[' is a plain character
    ],
)
def test_glob_semantics(path: str, pattern: str, expected: bool) -> None:
    assert glob_match(path, pattern) is expected
    assert matches_any(path, [pattern]) is expected


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_wordlist_that_is_not_a_regular_file_is_refused(
    repo: Path, tmp_path: Path, special: str
) -> None:
    if special == "fifo":
        special = str(tmp_path / "fifo")
        os.mkfifo(special)
    (repo / ".jwtscan.yaml").write_text(f"wordlists: [{special}]\n")
    result = _jwtscan(repo, "scan", timeout=30)
    assert result.returncode == 2
    assert f"wordlist {special} is not a regular file" in result.stderr


def test_oversized_wordlist_is_refused_with_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import scanner.detect.loader
    from scanner.detect.loader import load_ruleset
    from scanner.errors import UsageError

    wordlist = tmp_path / "huge.txt"
    wordlist.write_text("changeme\n" * 200)
    monkeypatch.setattr(scanner.detect.loader, "_WORDLIST_LIMIT", 1024)
    with pytest.raises(UsageError, match="larger than"):
        load_ruleset((), [wordlist])


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
@pytest.mark.parametrize("name", [".jwtscan.yaml", ".jwtscan-baseline.json"])
def test_settings_files_that_are_not_regular_files_are_refused_not_read(
    repo: Path, tmp_path: Path, special: str, name: str
) -> None:
    """Regression: a committed configuration or baseline linked to /dev/zero (or a FIFO) was
    read with a plain read: memory ran out, or the scan waited for a writer forever."""
    if special == "fifo":
        special = str(tmp_path / "fifo")
        os.mkfifo(special)
    if name != ".jwtscan.yaml":
        (repo / ".jwtscan.yaml").write_text(f"baseline: {name}\n")
    (repo / name).symlink_to(special)
    result = _jwtscan(repo, "scan", timeout=30)
    assert result.returncode == 2
    assert "is not a regular file" in result.stderr
