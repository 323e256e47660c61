"""The compiled code kept between runs: dataclasses' methods and the rules' regexes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# How many dataclass method texts a fresh process compiles once jwtscan's modules are imported.
_COUNT = (
    "import dataclasses, scanner.cli, scanner.pipeline; print(dataclasses.exec.__self__.compiled)"
)


def _compiled(cache: Path) -> int:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", _COUNT],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return int(done.stdout)


def test_dataclass_methods_are_compiled_once_and_reused_by_later_runs(tmp_path: Path) -> None:
    assert _compiled(tmp_path) > 50  # the first run compiles them all and keeps them
    [kept] = (tmp_path / "jwtscan").glob("dataclasses-*.marshal")
    assert kept.stat().st_mode & 0o077 == 0
    assert _compiled(tmp_path) == 0


@pytest.mark.parametrize("damage", ["writable-by-others", "garbage", "not-a-mapping", "fifo"])
def test_a_kept_code_file_that_is_damaged_or_not_private_is_not_used(
    tmp_path: Path, damage: str
) -> None:
    import marshal

    _compiled(tmp_path)
    [kept] = (tmp_path / "jwtscan").glob("dataclasses-*.marshal")
    if damage == "writable-by-others":
        kept.chmod(0o666)  # anyone could have put code there: it is not run
    elif damage == "garbage":
        kept.write_bytes(b"\x00garbage")
    elif damage == "fifo":
        kept.unlink()
        os.mkfifo(kept)  # opening it to read would wait for a writer forever
    else:
        kept.write_bytes(marshal.dumps([compile("x = 1", "<string>", "exec")]))
    assert _compiled(tmp_path) > 50
    assert _compiled(tmp_path) == 0  # written anew, privately


def test_classes_made_from_kept_code_behave_as_compiled_ones(tmp_path: Path) -> None:
    # A frozen, slotted dataclass from the kept code: construction, equality, hashing, repr
    # without the secret, immutability, replace.
    script = (
        "import dataclasses, scanner.findings as f\n"
        "c = f.Commit('a' * 40, 'A', 'a@example.com', '2026-01-01')\n"
        "d = dataclasses.replace(c, author='B')\n"
        "assert c == f.Commit('a' * 40, 'A', 'a@example.com', '2026-01-01') and c != d\n"
        "assert hash(c) == hash(dataclasses.replace(d, author='A'))\n"
        "try:\n    c.author = 'C'\nexcept dataclasses.FrozenInstanceError:\n    pass\n"
        "else:\n    raise SystemExit('not frozen')\n"
        "annotations = f.Commit.__init__.__annotations__\n"
        "assert annotations == {'sha': 'str', 'author': 'str', 'email': 'str', 'date': 'str',"
        " 'return': None}, annotations\n"
        "print(repr(d), dataclasses.exec.__self__.compiled)\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    runs = [
        subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        ).stdout.split()
        for _ in range(2)
    ]
    assert runs[0][:-1] == runs[1][:-1]
    assert int(runs[0][-1]) > 0
    assert runs[1][-1] == "0"


def test_the_weak_key_lists_are_read_only_when_a_value_is_judged() -> None:
    # Loading the rules leaves the word lists unsplit; a clean text leaves them so; a value
    # judged reads them, once.
    from scanner.detect.engine import detect
    from scanner.detect.loader import load_ruleset
    from scanner.findings import Fragment

    ruleset = load_ruleset()
    weak = ruleset.weak
    assert list(detect(Fragment("app.py", "print('hello')\n"), ruleset)) == []
    assert "_builtin" not in vars(weak)
    assert "words" not in vars(weak)
    [found] = detect(
        Fragment("app.py", "import jwt\njwt.encode({}, 'changeme', 'HS256')\n"), ruleset
    )
    assert found.secret == "changeme"
    assert weak.size > 1000
    assert "changeme" in weak.entries
