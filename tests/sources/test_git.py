"""Hostile and unusual repositories (issue 13): no exit 0 with a key present, no code run.

Each test builds a real repository with the construct the issue reports and runs jwtscan on it.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from scanner.cli import main
from tests.conftest import git

S = 'jwt.sign(payload, "changeme-please");'
JSON_KEY = '{"jwt": {"secret": "changeme-please"}}\n'


def _write(repo: Path, name: str, data: str | bytes) -> None:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    path.write_bytes(data)


def _commit(repo: Path, message: str = "change") -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def _run(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, str, str]:
    monkeypatch.chdir(repo)
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _scan(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, dict[str, Any], str]:
    code, out, err = _run(repo, capsys, monkeypatch, "scan", "--format", "json", "--quiet", *args)
    return code, json.loads(out) if out.strip() else {}, err


def _where(report: dict[str, Any]) -> set[tuple[str, int]]:
    """Every place found: each finding's own and its occurrences (the same value elsewhere)."""
    return {(p["path"], p["line"]) for f in report["findings"] for p in (f, *f["occurrences"])}


def _base(repo: Path) -> str:
    _write(repo, "README.md", "# project\n")
    return _commit(repo, "base")


# --- item 1: files git diffs as binary ---------------------------------------------------------


def codecs_bom(encoding: str) -> bytes:
    return "\ufeff".encode(encoding)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("config/default.json", JSON_KEY.encode()),  # *.json -diff
        ("src/auth.js", codecs_bom("utf-16-le") + S.encode("utf-16-le")),
        ("src/auth.js", codecs_bom("utf-16-be") + ("// x\n" + S).encode("utf-16-be")),
        ("src/auth.js", codecs_bom("utf-32-le") + ("// x\n" + S).encode("utf-32-le")),
    ],
)
def test_binary_to_git_is_judged_in_hook_and_range(
    repo: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    data: bytes,
) -> None:
    _write(repo, ".gitattributes", "*.json -diff\n")
    base = _base(repo)
    _write(repo, name, data)
    git(repo, "add", "-A")
    assert "Binary" in git(repo, "diff", "--cached", "--", name)  # git shows no text diff
    code, _, _ = _run(repo, capsys, monkeypatch, "hook")
    assert code == 1
    code, report, _ = _scan(repo, capsys, monkeypatch, "--staged")
    assert code == 1
    assert {p for p, _ in _where(report)} == {name}
    _commit(repo)
    code, report, _ = _scan(repo, capsys, monkeypatch, "--range", f"{base}..HEAD")
    assert code == 1
    assert report["stats"]["files_scanned"] >= 1
    assert {p for p, _ in _where(report)} == {name}


def test_binary_to_git_modified_file_is_judged_whole(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(repo, ".gitattributes", "*.json -diff\n")
    _write(repo, "config/default.json", '{"name": "app"}\n')
    base = _commit(repo)
    _write(repo, "config/default.json", '{"name": "app",\n' + JSON_KEY)
    code, _, _ = _run(repo, capsys, monkeypatch, "hook")
    assert code == 0  # not staged yet
    git(repo, "add", "-A")
    assert _run(repo, capsys, monkeypatch, "hook")[0] == 1
    _commit(repo)
    code, report, _ = _scan(repo, capsys, monkeypatch, "--range", f"{base}..HEAD")
    assert (code, _where(report)) == (1, {("config/default.json", 2)})


# --- item 2: a lone CR -------------------------------------------------------------------------


def test_lone_cr_does_not_shift_added_lines(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    base = _base(repo)
    _write(repo, "m.js", f"a\nb\nx\r{S}\n")  # printf 'a\nb\nx\rS\n' > m.js
    git(repo, "add", "m.js")
    assert _run(repo, capsys, monkeypatch, "hook")[0] == 1
    _commit(repo)
    code, report, _ = _scan(repo, capsys, monkeypatch, "--range", f"{base}..HEAD")
    assert code == 1
    assert {p for p, _ in _where(report)} == {"m.js"}


def test_lone_cr_in_an_old_line_does_not_widen_added_lines(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(repo, "m.js", f"x\r{S}\n")
    _commit(repo)
    _write(repo, "m.js", f"x\r{S}\n// new line\n")
    git(repo, "add", "m.js")
    assert _run(repo, capsys, monkeypatch, "hook")[0] == 0


# --- item 3: two staged files with the same content --------------------------------------------


def test_identical_staged_files_each_judged_on_their_own_lines(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(repo, "zlegacy.js", S + "\n")
    _commit(repo, "legacy key, known")
    _write(repo, "zlegacy.js", "// note\n" + S + "\n")  # adds line 1 only
    _write(repo, "auth.js", "// note\n" + S + "\n")  # the same blob, every line added
    git(repo, "add", "-A")
    code, report, _ = _scan(repo, capsys, monkeypatch, "--staged")
    assert (code, _where(report)) == (1, {("auth.js", 2)})
    assert _run(repo, capsys, monkeypatch, "hook")[0] == 1


# --- items 4 and 5: nothing in file contents or names forges a separator -----------------------


def test_commit_marker_inside_content_does_not_end_the_file(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    base = _base(repo)
    forged = "\x01commit " + base + "\x02x\x02y\x022020-01-01T00:00:00+00:00"
    # NULs after the first 8 KiB: text to git and to jwtscan, and the separators of -z output.
    forged_z = "\x01commit " + base + "\0" + "1\0" + "2020-01-01T00:00:00+00:00\0e\0n"
    padding = "// padding\n" * 800
    lines = f"{padding}{forged}\n{forged_z}\ndiff --git a/x b/x\n:100644 100644\n{S}\n"
    _write(repo, "src/a.js", lines)
    _commit(repo)
    line = lines.count("\n")
    code, report, _ = _scan(repo, capsys, monkeypatch, "--range", f"{base}..HEAD")
    assert (code, _where(report)) == (1, {("src/a.js", line)})
    code, report, _ = _scan(repo, capsys, monkeypatch, "--history")
    assert (code, _where(report)) == (1, {("src/a.js", line)})


def test_newline_in_a_file_name_does_not_desync_reads(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    base = _base(repo)
    _write(repo, "a\nREADME.md", "// clean\n")  # "sha:a\nREADME.md" would read two names
    _write(repo, 'b\tc "d\\.js', f"// x\n{S}\n")
    _write(repo, "z.js", f"// z\n{S}\n")
    git(repo, "add", "-A")
    code, report, _ = _scan(repo, capsys, monkeypatch, "--staged")
    assert (code, _where(report)) == (1, {('b\tc "d\\.js', 2), ("z.js", 2)})
    _commit(repo)
    code, report, _ = _scan(repo, capsys, monkeypatch, "--range", f"{base}..HEAD")
    assert (code, _where(report)) == (1, {('b\tc "d\\.js', 2), ("z.js", 2)})


# --- item 6: replace objects and grafts --------------------------------------------------------


def test_replace_objects_do_not_hide_a_key(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    base = _base(repo)
    _write(repo, "auth.js", S + "\n")
    _commit(repo)
    secret = git(repo, "rev-parse", "HEAD:auth.js").strip()
    benign = subprocess.run(
        ["git", "hash-object", "-w", "--stdin"],
        cwd=repo,
        input="// nothing\n",
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    git(repo, "replace", secret, benign)
    assert "changeme" not in git(repo, "show", "HEAD:auth.js")  # git itself is fooled
    code, report, _ = _scan(repo, capsys, monkeypatch, "--history")
    assert (code, _where(report)) == (1, {("auth.js", 1)})
    code, report, _ = _scan(repo, capsys, monkeypatch, "--range", f"{base}..HEAD")
    assert (code, _where(report)) == (1, {("auth.js", 1)})


def test_grafts_do_not_hide_a_commit(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _base(repo)
    _write(repo, "auth.js", S + "\n")
    _commit(repo, "key")
    (repo / "auth.js").unlink()
    last = _commit(repo, "removed")
    (repo / ".git" / "info").mkdir(exist_ok=True)
    (repo / ".git" / "info" / "grafts").write_text(last + "\n")  # HEAD has no parents now
    code, report, _ = _scan(repo, capsys, monkeypatch, "--history")
    assert (code, _where(report)) == (1, {("auth.js", 1)})


# --- item 7: the user's and the repository's configuration -------------------------------------

HOSTILE_CONFIG = textwrap.dedent(
    """\
    [diff]
    \tmnemonicPrefix = true
    \tnoprefix = true
    \trelative = true
    \trenames = copies
    \tsubmodule = log
    \tsuppressBlankEmpty = true
    \tinterHunkContext = 5
    [color]
    \tui = always
    \tdiff = always
    [core]
    \tquotePath = true
    \tabbrev = 7
    \tbigFileThreshold = 1
    [log]
    \tshowRoot = false
    \tdecorate = full
    \tshowSignature = true
    \tabbrevCommit = true
    \tdate = relative
    [i18n]
    \tlogOutputEncoding = UTF-16
    [format]
    \tpretty = oneline
    [notes]
    \tdisplayRef = refs/notes/*
    """
)


@pytest.mark.parametrize("where", ["global", "repository"])
def test_hostile_configuration_changes_no_verdict(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    _write(repo, "b/auth.js", f"// a top-level folder named b\n{S}\n")  # the root commit
    _commit(repo, "root")
    _write(repo, "i/w/ünïcode.js", f"// x\n{S.replace('please', 'second')}\n")
    _commit(repo, "second")
    _write(repo, "c/staged.js", f"// y\n{S.replace('please', 'staged')}\n")
    git(repo, "add", "-A")
    config = Path(os.environ["GIT_CONFIG_GLOBAL"]) if where == "global" else repo / ".git/config"
    with config.open("a") as handle:
        handle.write(HOSTILE_CONFIG)
    expected_range = {("b/auth.js", 2), ("i/w/ünïcode.js", 2)}
    first = git(repo, "rev-list", "--max-parents=0", "HEAD").strip()
    code, report, _ = _scan(repo, capsys, monkeypatch, "--range", f"{first}..HEAD")
    assert (code, _where(report)) == (1, {("i/w/ünïcode.js", 2)})
    code, report, _ = _scan(repo, capsys, monkeypatch, "--history")
    assert (code, _where(report)) == (1, expected_range)
    code, report, _ = _scan(repo, capsys, monkeypatch, "--staged")
    assert (code, _where(report)) == (1, {("c/staged.js", 2)})
    assert _run(repo / "i", capsys, monkeypatch, "hook")[0] == 1
    code, report, _ = _scan(repo, capsys, monkeypatch)
    assert (code, _where(report)) == (1, {*expected_range, ("c/staged.js", 2)})


# --- code from the scanned repository never runs -----------------------------------------------


def _evil(tmp_path: Path) -> tuple[Path, Path]:
    marker = tmp_path / "marker"
    script = tmp_path / "evil.sh"
    # A pager or a filter (no arguments) passes its input on; the rest fail.
    script.write_text(
        f'#!/bin/sh\necho "$0 $*" >> {marker}\nif [ $# -eq 0 ]; then exec cat; fi\nexit 1\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script, marker


def _signed_commit(repo: Path) -> None:
    """HEAD becomes a commit carrying a (fake) signature, which log.showSignature verifies."""
    raw = git(repo, "cat-file", "commit", "HEAD")
    header, _, message = raw.partition("\n\n")
    signature = "gpgsig -----BEGIN PGP SIGNATURE-----\n \n fake\n -----END PGP SIGNATURE-----"
    signed = subprocess.run(
        ["git", "hash-object", "-t", "commit", "-w", "--stdin"],
        cwd=repo,
        input=f"{header}\n{signature}\n\n{message}",
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    git(repo, "update-ref", "HEAD", signed)


def test_no_program_of_the_repository_runs(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    script, marker = _evil(tmp_path)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    for hook in ("post-index-change", "reference-transaction", "pre-commit", "post-checkout"):
        (hooks / hook).write_text(f"#!/bin/sh\n{script} {hook}\n")
        (hooks / hook).chmod(0o755)
    base = _base(repo)
    _write(repo, ".gitattributes", "*.js diff=evil filter=evil\n*.env filter=evil\n")
    _write(repo, "src/auth.js", f"// x\n{S}\n")
    _write(repo, ".env", "JWT_SECRET=changeme-please\n")
    _commit(repo, "key")
    _signed_commit(repo)
    _write(repo, "src/more.js", f"// y\n{S}\n")
    _write(repo, ".env", "JWT_SECRET=changeme-please\nOTHER=1\n")
    git(repo, "add", "-A")
    (repo / "src" / "auth.js").touch()  # a stat change: git would re-hash (and clean) it
    with (repo / ".git" / "config").open("a") as config:
        config.write(
            textwrap.dedent(
                f"""\
                [core]
                \tfsmonitor = {script}
                \thooksPath = {hooks}
                \tpager = {script}
                \taskPass = {script}
                \tsshCommand = {script}
                [log]
                \tshowSignature = true
                [gpg]
                \tprogram = {script}
                [diff]
                \texternal = {script}
                [diff "evil"]
                \ttextconv = {script}
                \tcommand = {script}
                [filter "evil"]
                \tclean = {script}
                \tsmudge = {script}
                \tprocess = {script}
                [pager]
                \tlog = {script}
                \tdiff = {script}
                """
            )
        )
    # The trap works: plain git runs the repository's programs.
    subprocess.run(["git", "status"], cwd=repo, capture_output=True, check=False)
    subprocess.run(["git", "log", "-1"], cwd=repo, capture_output=True, check=False)
    assert marker.exists()
    marker.unlink()
    runs = [
        (1, ("scan", "--quiet")),
        (1, ("scan", "--staged")),
        (1, ("hook",)),
        (1, ("scan", "--range", f"{base}..HEAD")),  # the signed commit is judged too
        (1, ("scan", "--history", "--quiet")),
        (0, ("fix", "env")),
        (0, ("fix", "env", "--apply")),
        (0, ("fix", "secrets")),
        (0, ("fix", "secrets", "--apply")),
        (0, ("baseline", "create")),
    ]
    for expected, args in runs:
        code, _, err = _run(repo, capsys, monkeypatch, *args)
        assert code == expected, (args, err)
        assert not marker.exists(), (args, marker.read_text())
    assert not git(repo, "ls-files", ".env")  # fix env --apply untracked it


def test_fetch_uses_no_program_of_the_repository(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scanner.errors import GitError
    from scanner.sources import git as scanner_git

    script, marker = _evil(tmp_path)
    _base(repo)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    _write(repo, "later.txt", "later\n")
    head = _commit(repo)
    git(clone, "config", "remote.origin.uploadpack", str(script))
    git(clone, "config", "core.sshCommand", str(script))
    git(clone, "config", "--add", "credential.helper", f"!{script}")
    git(clone, "config", "protocol.ext.allow", "always")
    assert subprocess.run(["git", "fetch", "-q"], cwd=clone, capture_output=True).returncode != 0
    assert marker.exists()  # plain git runs the repository's upload-pack
    marker.unlink()
    scanner_git.run(["fetch", "--no-tags", "--quiet", "origin", head], clone)
    assert not marker.exists()
    git(clone, "config", "remote.evil.url", f"ext::{script} %S")
    with pytest.raises(GitError):
        scanner_git.run(["fetch", "--quiet", "evil"], clone)
    assert not marker.exists()


# --- item 8: shallow and partial clones, empty-sided ranges, submodules ------------------------


def test_history_in_a_shallow_clone_fails_closed(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(repo, "auth.js", S + "\n")
    _commit(repo, "key")
    _write(repo, "auth.js", "// gone\n")
    _commit(repo, "removed")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth=1", f"file://{repo}", str(clone))
    code, _, err = _run(clone, capsys, monkeypatch, "scan", "--history")
    assert code == 2
    assert "shallow" in err
    assert "git fetch --unshallow" in err


def test_history_in_a_partial_clone_is_refused(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(repo, "auth.js", S + "\n")
    _commit(repo, "key")
    git(repo, "config", "remote.origin.url", "https://example.invalid/x.git")
    git(repo, "config", "remote.origin.promisor", "true")
    code, _, err = _run(repo, capsys, monkeypatch, "scan", "--history")
    assert code == 2
    assert "partial clone" in err


@pytest.mark.parametrize(
    "option",
    [
        "--range=..",
        "--range=..HEAD",
        "--range=HEAD..",
        "--range=...",
        "--range=HEAD...",
        "--range=",
        "--since=",
        "--range=--all",
    ],
)
def test_empty_sided_range_is_an_error(
    repo: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    option: str,
) -> None:
    _write(repo, "auth.js", S + "\n")
    _commit(repo)
    code, _, err = _run(repo, capsys, monkeypatch, "scan", option)
    assert code == 2
    assert "jwtscan: error:" in err
    assert "range" in err


def test_submodule_in_a_range_is_noted_and_the_rest_judged(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    base = _base(repo)
    other = "1" * 40  # a commit of another repository: never in this one
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{other},vendor/lib")
    git(repo, "commit", "-q", "-m", "add submodule")
    git(repo, "update-index", "--cacheinfo", f"160000,{'2' * 40},vendor/lib")
    git(repo, "commit", "-q", "-m", "bump submodule")
    code, report, _ = _scan(repo, capsys, monkeypatch, "--range", f"{base}..HEAD")
    assert code == 0
    assert {(s["path"], s["reason"]) for s in report["stats"]["skipped"]} == {
        ("vendor/lib", "submodule")
    }
    _write(repo, "auth.js", S + "\n")
    _commit(repo)
    code, report, _ = _scan(repo, capsys, monkeypatch, "--range", f"{base}..HEAD")
    assert (code, _where(report)) == (1, {("auth.js", 1)})


# --- writes and hangs --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("--history", "--ref=--output=OUT"),
        ("--range=--output=OUT..HEAD",),
        ("--range=HEAD..--output=OUT",),
        ("--since=--output=OUT",),
    ],
)
def test_refs_are_never_options_to_git(
    repo: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
) -> None:
    _base(repo)
    code, _, err = _run(repo, capsys, monkeypatch, "scan", *args)
    assert code == 2
    assert "may not start with -" in err
    assert not list(repo.glob("OUT*"))


def test_stopped_history_walk_does_not_hang(repo: Path) -> None:
    """Ctrl-C (or any early stop) while git log has a full pipe: cleanup must not deadlock."""
    names = [f"d{i // 100}/{'n' * 150}{i}.txt" for i in range(3000)]
    for name in names:
        _write(repo, name, name)
    _commit(repo)
    program = textwrap.dedent(
        """\
        import sys
        from pathlib import Path
        from scanner.sources import git
        walk = git.introduced_blobs(git.open_repository(Path(sys.argv[1])), [])
        next(walk)
        walk.close()
        repo = git.open_repository(Path(sys.argv[1]))
        stream = git.ObjectReader(repo).read(b for b, _, _ in git.introduced_blobs(repo, []))
        next(stream)
        print("stopped")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", program, str(repo)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout.strip()) == (0, "stopped"), done.stderr


# --- lost verdicts -----------------------------------------------------------------------------


@pytest.mark.parametrize("date", ["@1700000000 +9999", "@999999999999 +0000", "@1 -9999"])
def test_odd_commit_dates_keep_the_verdict(
    repo: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    date: str,
) -> None:
    base = _base(repo)
    _write(repo, "auth.js", S + "\n")
    git(repo, "add", "-A")
    monkeypatch.setenv("GIT_AUTHOR_DATE", date)
    git(repo, "commit", "-q", "-m", "odd date")
    code, report, err = _scan(repo, capsys, monkeypatch, "--history", "--max-key-age", "30")
    assert code == 1, err
    assert ("auth.js", 1) in _where(report)
    code, report, err = _scan(repo, capsys, monkeypatch, "--range", f"{base}..HEAD")
    assert (code, _where(report)) == (1, {("auth.js", 1)}), err


def test_tag_only_blobs_and_trees_are_audited(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _base(repo)

    def stored(args: list[str], data: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=repo, input=data, capture_output=True, text=True, check=True
        ).stdout.strip()

    # No file name: the rules for any file judge it (the language rules need one).
    key = json.dumps("changeme-please")
    blob = stored(["hash-object", "-w", "--stdin"], f"const JWT_SECRET = {key};\n")
    git(repo, "tag", "keyblob", blob)
    other = stored(
        ["hash-object", "-w", "--stdin"], "// tree\n" + S.replace("please", "tree") + "\n"
    )
    tree = stored(["mktree"], f"100644 blob {other}\tsecret.js\n")
    git(repo, "tag", "-a", "-m", "a tree", "keytree", tree)
    code, report, _ = _scan(repo, capsys, monkeypatch, "--history")
    assert code == 1
    assert _where(report) == {("refs/tags/keyblob", 1), ("refs/tags/keytree:secret.js", 2)}
    code, report, _ = _scan(repo, capsys, monkeypatch, "--history", "--ref", "keyblob")
    assert (code, _where(report)) == (1, {("keyblob", 1)})


def test_a_history_blob_pickles_whole_as_sent_to_a_worker(tmp_path: Path) -> None:
    # Blob, Commit and Repository pickle as tuples of their fields (cheaper than the dataclass
    # state): every field comes back, with Path, None and non-ASCII values.
    import pickle

    from scanner.findings import Commit
    from scanner.sources.content import Blob
    from scanner.sources.git import Repository

    commit = Commit("a" * 40, "Zoë Author", "zoe@example.org", "2024-02-29T23:59:59+05:45")
    for repo in (Repository(tmp_path, tmp_path / ".git"), Repository(None, tmp_path)):
        for blob in (
            Blob("src/é.py", "b" * 40, commit, 123, repo),
            Blob("x", "c" * 40, None, 0, repo),
        ):
            again = pickle.loads(pickle.dumps(blob))
            assert again == blob
            assert (again.commit, again.repo.work_tree) == (blob.commit, blob.repo.work_tree)


def test_the_hook_reads_the_staged_diff_while_the_rules_load(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # git diff --cached runs in a thread from before the rules load until the scan takes it;
    # its answer (and a failure of it) is the scan's as before.
    import threading

    from scanner import pipeline
    from scanner.detect import loader
    from scanner.errors import GitError
    from scanner.sources import git as git_module

    _write(repo, "auth.js", S)
    git(repo, "add", "-A")
    events: list[tuple[str, str]] = []
    real_run, real_load = git_module.run, loader.load_ruleset

    def run(args: list[str], *rest: Any, **options: Any) -> bytes:
        if args[:2] == ["diff", "--cached"]:
            events.append(("diff", threading.current_thread().name))
        return real_run(args, *rest, **options)

    def load(*args: Any, **options: Any) -> Any:
        events.append(("rules", threading.current_thread().name))
        return real_load(*args, **options)

    monkeypatch.setattr(git_module, "run", run)
    monkeypatch.setattr(pipeline, "load_ruleset", load)
    monkeypatch.chdir(repo)
    assert main(["hook"]) == 1
    assert "changeme-please" not in capsys.readouterr().out  # redacted
    assert {event for event, _ in events} == {"diff", "rules"}
    assert dict(events)["diff"] != dict(events)["rules"]  # another thread
    # A failing diff is the run's error.
    git_module_started = git_module.started

    def failing(work: Any) -> Any:
        def fail() -> Any:
            raise GitError("git diff failed")

        return git_module_started(fail)

    monkeypatch.setattr(git_module, "started", failing)
    assert main(["hook"]) == 2
    assert "git diff failed" in capsys.readouterr().err


def test_the_hook_opens_the_repository_once_when_given_the_staged_files(
    repo: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    git_asked: list[tuple[str, ...]],
) -> None:
    # pre-commit passes the staged files: the repository opened to choose the mode is the
    # scan's (one rev-parse, not two).
    _write(repo, "auth.js", S)
    git(repo, "add", "-A")
    monkeypatch.chdir(repo)
    assert main(["hook", "auth.js"]) == 1
    assert "changeme-please" not in capsys.readouterr().out
    asked = [args[0] for args in git_asked]
    assert asked.count("rev-parse") == 1
    assert asked.count("diff") == 1
