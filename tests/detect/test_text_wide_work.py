"""Work over a whole text is done once a text, however often its values are judged.

Found on generated code: a file of 1,600 ``jwt.sign(payload, key)`` calls took 2 s (each call
searched the whole file for ``key``'s binding), and a history of 4,000 such files 14 minutes.
The searches are counted here, not timed: a file that names one value at a thousand sinks
does each whole-text search once.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from benchmarks.fakes import fake_value
from scanner.analyse import qualified
from scanner.detect import algorithm, engine, judge
from scanner.detect.engine import detect
from scanner.detect.loader import load_ruleset
from scanner.findings import Fragment
from tests.conftest import commit_files, run_main

SINKS = 300


def _counting(
    monkeypatch: pytest.MonkeyPatch, module: object, name: str, calls: Counter[str]
) -> None:
    original: Callable[..., Any] = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[name] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    counted: Counter[str] = Counter()
    _counting(monkeypatch, engine, "_assignment", counted)
    _counting(monkeypatch, engine, "_import_of", counted)
    _counting(monkeypatch, engine, "_uses", counted)
    _counting(monkeypatch, algorithm, "_statement", counted)
    return counted


def _findings(path: str, text: str) -> list[str]:
    return [f.secret for f in detect(Fragment(path, text), load_ruleset())]


def test_a_name_at_many_sinks_is_looked_up_once(calls: Counter[str]) -> None:
    # ``key`` is bound nowhere in the file: every sink asks, the text is searched once.
    text = "const jwt = require('jsonwebtoken');\n" + "jwt.sign(payload, key);\n" * SINKS
    assert _findings("src/tokens.js", text) == []
    assert calls["_assignment"] == 1
    # A member of an imported module (another file resolves it): one look for the import.
    text = "const config = require('./config');\n" + "jwt.sign(p, config.secret);\n" * SINKS
    calls.clear()
    assert _findings("src/tokens.js", text) == []
    assert calls["_assignment"] == 0
    assert calls["_import_of"] == 1


def test_a_value_bound_many_times_reads_its_uses_once(calls: Counter[str]) -> None:
    key = fake_value("alnum", 40, "text-wide")
    unit = f"const JWT_SECRET = '{key}';\napp.use(koajwt({{ secret: JWT_SECRET }}));\n"
    found = _findings("src/app.js", unit * SINKS)
    assert found == [key] * SINKS  # every binding still reported
    assert calls["_uses"] == 1  # what JWT_SECRET is handed on as: once for the text
    # Each use's statement is read once, however many bindings look at it.
    assert calls["_statement"] <= 2 * SINKS


class _Searches:
    """A regex that counts its whole-text searches."""

    def __init__(self, regex: Any) -> None:
        self.regex = regex
        self.texts: list[str] = []

    def search(self, text: str) -> re.Match[str] | None:
        self.texts.append(text)
        return self.regex.search(text)  # type: ignore[no-any-return]


def test_oauth_vocabulary_is_looked_for_once_a_text(monkeypatch: pytest.MonkeyPatch) -> None:
    searches = _Searches(judge._OAUTH1)
    monkeypatch.setattr(judge, "_OAUTH1", searches)
    key = fake_value("alnum", 40, "text-wide-oauth")
    text = "".join(f"const authTokenSecret = '{key}{n}';\n" for n in range(SINKS))
    assert len(_findings("src/keys.js", text)) == SINKS
    assert len(searches.texts) == 1


def test_a_reference_at_many_sinks_is_resolved_across_files_once(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each sink's reference is left for the cross-file step; what it names does not depend on
    # the sink's line, so the file's definitions are read once (was once a sink: 2.3 s).
    calls: Counter[str] = Counter()
    _counting(monkeypatch, qualified, "_definitions", calls)
    sink = "token, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(signKey)\n"
    key = fake_value("alnum", 40, "text-wide-go")
    commit_files(
        repo,
        {
            "auth/key.go": f'package auth\n\nvar signKey = []byte("{key}")\n',
            "auth/t.go": sink * SINKS,
        },
    )
    code, out, _ = run_main(capsys, "-C", str(repo), "scan", "--format", "json", "--no-crack")
    assert code == 1
    assert key not in out  # redacted, as ever
    assert calls["_definitions"] <= 2  # the sink's own file and the one that binds the name
