"""The bad-input matrix: every hostile file, repository and configuration gets a defined answer.

Expected everywhere: a clear message naming the input, a defined exit code (2 when no verdict
can be given), nothing lost, no hang.
"""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path
from typing import Any

import pytest

from scanner.cli import main
from tests.conftest import git

WEAK_JS = "jwt.sign(payload, 'changeme');\n"


def _scan(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any], str]:
    code = main(["scan", "--format", "json", *args])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip() else {}, err


def _found(report: dict[str, Any]) -> set[tuple[str, int | None]]:
    return {(f["path"], f["line"]) for f in report["findings"]}


def _skipped(report: dict[str, Any]) -> dict[str, str]:
    return {s["path"]: s["reason"] for s in report["stats"]["skipped"]}


# --- files ----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, 4095, 4096, 65_537])
def test_files_are_read_whole_at_every_size(tmp_path: Path, size: int) -> None:
    from scanner.findings import Fragment, Skipped
    from scanner.sources.tree import read_file

    (tmp_path / "f.txt").write_text("x" * size)
    item = read_file(tmp_path, "f.txt", 1_000_000)
    assert isinstance(item, Fragment)
    assert item.text == "x" * size
    if size:
        skipped = read_file(tmp_path, "f.txt", size - 1)
        assert isinstance(skipped, Skipped)
        assert skipped.reason == "too-large"


def test_a_short_read_is_read_on_to_the_size_asked() -> None:
    """os.read may return less than asked (a pipe, a file still being written): the reader
    goes on until it has the size or the end."""
    import threading

    from scanner.files import read_up_to

    reading, writing = os.pipe()

    def write() -> None:
        os.write(writing, b"a" * 10)
        time.sleep(0.05)
        os.write(writing, b"b" * 10)
        os.close(writing)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert read_up_to(reading, 15) == b"a" * 10 + b"b" * 5
        assert read_up_to(reading, 100) == b"b" * 5
        assert read_up_to(reading, 100) == b""
    finally:
        writer.join()
        os.close(reading)


def test_binary_file_is_skipped_and_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0" + bytes(range(256)))
    code, report, _ = _scan(capsys, str(tmp_path))
    assert code == 0
    assert _skipped(report) == {"logo.png": "binary"}


def test_huge_text_file_is_skipped_and_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open(tmp_path / "dump.sql", "wb") as handle:
        handle.truncate(100 * 1024 * 1024)  # 100 MB, sparse: cheap to make
    code, report, _ = _scan(capsys, str(tmp_path))
    assert code == 0
    assert _skipped(report) == {"dump.sql": "too-large"}
    main(["scan", str(tmp_path)])
    assert "skipped dump.sql: 104857600 bytes, over --max-file-size" in capsys.readouterr().out


def test_minified_single_line_bundle_does_not_hang(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chunk = "var a=function(b){return b.secret||b.key||b.token},c={sign:1,verify:2};"
    body = chunk * (10 * 1024 * 1024 // len(chunk))
    (tmp_path / "bundle.min.js").write_text(body + WEAK_JS.strip())
    started = time.monotonic()
    code, report, _ = _scan(capsys, "--max-file-size", "20M", str(tmp_path))
    assert time.monotonic() - started < 60
    assert code == 0  # found, in generated code: reported only
    assert _found(report) == {("bundle.min.js", 1)}
    [finding] = report["findings"]
    assert (finding["context"], finding["blocking"]) == ("generated", False)
    assert finding["context_reasons"] == ["file name *.min.js", "minified"]


def test_invalid_utf8_is_decoded_with_replacement(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "auth.js").write_bytes(b"// caf\xe9 \xff\xfe\n" + WEAK_JS.encode())
    code, report, _ = _scan(capsys, str(tmp_path))
    assert (code, _found(report)) == (1, {("auth.js", 2)})


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_decoded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], encoding: str
) -> None:
    (tmp_path / "auth.js").write_bytes(("// header\n" + WEAK_JS).encode(encoding))
    code, report, _ = _scan(capsys, str(tmp_path))
    assert (code, _found(report)) == (1, {("auth.js", 2)})


@pytest.mark.parametrize(("newline", "line"), [("\r\n", 3), ("\r", 3), ("\n", 3)])
def test_line_endings_do_not_change_positions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], newline: str, line: int
) -> None:
    text = newline.join(["// one", "// two", WEAK_JS.strip(), ""])
    (tmp_path / "auth.js").write_bytes(text.encode())
    code, report, _ = _scan(capsys, str(tmp_path))
    assert code == 1
    [finding] = report["findings"]
    assert (finding["line"], finding["column"]) == (line, 20)


def test_nul_bytes_make_a_file_binary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "blob.dat").write_bytes(WEAK_JS.encode() + b"\0\1\2\3" * 10 + WEAK_JS.encode())
    code, report, _ = _scan(capsys, str(tmp_path))
    assert code == 0
    assert _skipped(report) == {"blob.dat": "binary"}


@pytest.mark.parametrize(
    "name", ["with space.js", "ünïcödé.js", "new\nline.js", "-leading-dash.js", "--help.js"]
)
def test_odd_file_names_in_git(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    (repo / name).write_text(WEAK_JS)
    git(repo, "add", "--", name)
    monkeypatch.chdir(repo)
    for mode in ([], ["--staged"]):
        code, report, _ = _scan(capsys, *mode)
        assert code == 1
        assert _found(report) == {(name, 1)}
    git(repo, "commit", "-qm", "odd name")
    code, report, _ = _scan(capsys, "--history")
    assert _found(report) == {(name, 1)}


def test_symlinks_are_never_followed(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside.js"
    outside.write_text(WEAK_JS)
    (repo / "to-outside.js").symlink_to(outside)
    (repo / "dangling.js").symlink_to(repo / "missing.js")
    (repo / "loop-a").symlink_to(repo / "loop-b")
    (repo / "loop-b").symlink_to(repo / "loop-a")
    code, report, _ = _scan(capsys, str(repo))
    assert code == 0
    assert set(_skipped(report).values()) == {"symlink"}
    assert len(_skipped(report)) == 4


def test_fifo_is_never_opened(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.mkfifo(tmp_path / "pipe")
    code, report, _ = _scan(capsys, str(tmp_path))
    assert code == 0
    assert _skipped(report) == {"pipe": "not-a-file"}


def test_device_file_is_never_opened(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "null").symlink_to("/dev/null")
    expected = {"null": "symlink"}
    if os.geteuid() == 0:  # only root may make a device node
        os.mknod(tmp_path / "zero", 0o600 | stat.S_IFCHR, os.makedev(1, 5))
        expected["zero"] = "not-a-file"
    code, report, _ = _scan(capsys, str(tmp_path))
    assert code == 0
    assert _skipped(report) == expected


def test_permission_denied_makes_the_verdict_incomplete(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "readable.js").write_text(WEAK_JS)
    (tmp_path / "secret.js").write_text(WEAK_JS)
    (tmp_path / "secret.js").chmod(0)
    if os.geteuid() == 0:
        # Root reads any file whatever its mode, so the kernel's refusal is injected at open().
        real_open = os.open

        def refusing_open(path: Any, *args: Any, **kwargs: Any) -> Any:
            if str(path).endswith("secret.js"):
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr(os, "open", refusing_open)
    code, report, err = _scan(capsys, str(tmp_path))
    assert code == 2
    assert report["complete"] is False
    assert report["stats"]["unreadable"] == [{"path": "secret.js", "error": "Permission denied"}]
    assert {f["path"] for f in report["findings"]} == {"readable.js"}
    assert "incomplete" in err


def test_file_deleted_after_listing_is_reported_as_vanished(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "gone.js").write_text(WEAK_JS)
    git(repo, "add", "gone.js")
    (repo / "gone.js").unlink()  # tracked, listed by git, missing on disk
    code, report, _ = _scan(capsys, str(repo))
    assert code == 0
    assert _skipped(report) == {"gone.js": "vanished"}


def test_explicit_path_that_git_ignores_is_still_scanned(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".gitignore").write_text("vendor/\n")
    (repo / "vendor").mkdir()
    (repo / "vendor" / "auth.js").write_text(WEAK_JS)
    code, report, err = _scan(capsys, str(repo / "vendor"))
    assert code == 0  # found, in vendored code: reported only
    assert _found(report) == {("vendor/auth.js", 1)}
    assert report["findings"][0]["context"] == "vendor"
    assert "vendor is ignored by git: scanned every file under it" in err


# --- repositories ----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["--staged", "--history", "--since=HEAD~1"])
def test_git_modes_outside_a_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = _scan(capsys, mode)
    assert code == 2
    assert "is not inside a git repository" in err


def test_empty_repository(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    assert _scan(capsys)[0] == 0
    assert _scan(capsys, "--staged")[0] == 0
    assert _scan(capsys, "--history")[0] == 0
    code, _, err = _scan(capsys, "--since", "HEAD")
    assert code == 2
    assert "HEAD is not a commit" in err


def test_detached_head(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "auth.js").write_text(WEAK_JS)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "one")
    (repo / "README").write_text("x\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "two")
    git(repo, "checkout", "-q", "--detach", "HEAD~1")
    monkeypatch.chdir(repo)
    code, report, _ = _scan(capsys, "--history")
    assert code == 1
    assert [f["at_head"] for f in report["findings"]] == [True]


def test_submodule_is_reported_not_silently_skipped(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    inner = tmp_path / "inner"
    inner.mkdir()
    git(inner, "init", "-q")
    (inner / "auth.js").write_text(WEAK_JS)
    git(inner, "add", "-A")
    git(inner, "commit", "-qm", "inner")
    git(
        repo, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(inner), "libs/inner"
    )
    monkeypatch.chdir(repo)
    code, report, _ = _scan(capsys)
    assert _skipped(report)["libs/inner"] == "submodule"
    monkeypatch.chdir(repo / "libs" / "inner")
    code, report, _ = _scan(capsys)
    assert code == 1
    assert _found(report) == {("auth.js", 1)}


def test_corrupt_object_is_a_clear_error(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "auth.js").write_text(WEAK_JS)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "one")
    blob = git(repo, "rev-parse", "HEAD:auth.js").strip()
    path = repo / ".git" / "objects" / blob[:2] / blob[2:]
    path.chmod(0o644)
    path.write_bytes(b"not zlib at all")
    monkeypatch.chdir(repo)
    code, _, err = _scan(capsys, "--history")
    assert code == 2
    assert "Traceback" not in err


# --- rules and configuration -----------------------------------------------------------------


def test_unreadable_wordlist_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _scan(capsys, "--wordlist", str(tmp_path / "missing.txt"), str(tmp_path))
    assert code == 2
    assert "cannot read wordlist" in err
    assert "missing.txt" in err


def test_rule_file_that_is_not_yaml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules: [\n  - id: x\n")
    code, _, err = _scan(capsys, "--rules", str(rules), str(tmp_path))
    assert code == 2
    assert f"{rules}: invalid YAML" in err
