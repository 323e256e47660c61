"""The labelled accuracy corpus is consistent with itself.

Every label names a file of the corpus and a line that exists once the fake-value markers are
expanded; a secret label sits on a line that holds a literal or a marker; spans and kinds are
well formed. This checks the ground truth only: it never runs the scanner on the corpus.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

import yaml

from benchmarks.accuracy import CORPUS
from benchmarks.fakes import MARKER, expand

KINDS = {"weak-secret", "hardcoded-secret", "private-key", "insecure-verification"}
SECRET_KINDS = {"weak-secret", "hardcoded-secret", "private-key"}
FIELDS = {"path", "line", "kind", "end_line"}
DOCS_SUFFIXES = {".md", ".rst", ".adoc", ".txt"}
# A quoted value, or a bare value after `=` / `:` (.env, YAML, properties, INI, HOCON).
LITERAL = re.compile(r"""(["'`])[^"'`\s][^"'`]*\1|[=:]\s*[A-Za-z0-9_+/.#%-]{4,}""")
PEM_MARKER = re.compile(r"\{\{fake:pem:\w+\}\}")

Entry = dict[str, object]


@cache
def _entries() -> tuple[Entry, ...]:
    loaded = yaml.safe_load((CORPUS / "labels.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, list)
    return tuple(loaded)


@cache
def _committed(path: str) -> tuple[str, ...]:
    return tuple((CORPUS / path).read_text(encoding="utf-8").splitlines())


@cache
def _expanded(path: str) -> tuple[str, ...]:
    text = (CORPUS / path).read_text(encoding="utf-8")
    return tuple(expand(text, path).splitlines())


def _line(entry: Entry) -> int:
    value = entry["line"]
    assert isinstance(value, int)
    return value


def test_labels_are_well_formed() -> None:
    entries = _entries()
    problems = []
    for entry in entries:
        if not set(entry) <= FIELDS or not {"path", "line", "kind"} <= set(entry):
            problems.append(f"fields {sorted(entry)}: {entry}")
        if entry.get("kind") not in KINDS:
            problems.append(f"unknown kind: {entry}")
        if not isinstance(entry.get("line"), int) or _line(entry) < 1:
            problems.append(f"line is not a positive integer: {entry}")
        if "end_line" in entry:
            end = entry["end_line"]
            if entry["kind"] != "insecure-verification":
                problems.append(f"only insecure-verification labels span lines: {entry}")
            if not isinstance(end, int) or end <= _line(entry):
                problems.append(f"end_line must come after line: {entry}")
    keys = Counter((e["path"], e["line"], e["kind"]) for e in entries)
    problems += [f"labelled twice: {key}" for key, count in keys.items() if count > 1]
    assert problems == []
    assert {e["kind"] for e in entries} == KINDS


def test_every_label_points_at_an_existing_line() -> None:
    problems = []
    for entry in _entries():
        path = str(entry["path"])
        if not (CORPUS / path).is_file():
            problems.append(f"no such file: {path}")
            continue
        lines = _expanded(path)
        last = entry.get("end_line", entry["line"])
        assert isinstance(last, int)
        if last > len(lines):
            problems.append(f"{path} has {len(lines)} lines after expansion: {entry}")
        elif not lines[_line(entry) - 1].strip():
            problems.append(f"labelled line is blank: {entry}")
    assert problems == []


def test_secret_labels_hold_a_literal_or_a_marker() -> None:
    problems = []
    for entry in _entries():
        if entry["kind"] not in SECRET_KINDS:
            continue
        path = str(entry["path"])
        committed = _committed(path)[_line(entry) - 1]
        expanded = _expanded(path)[_line(entry) - 1]
        if entry["kind"] == "private-key":
            # a PEM block's BEGIN line, a JWK's private "d" member, or an unarmoured DER key
            private = (
                "-----BEGIN" in expanded
                or re.search(r"""["']?\bd["']?\s*(:|=>|to)""", expanded)
                or re.search(r"[A-Za-z0-9+/]{100,}", expanded)
            )
            if not private:
                problems.append(f"no private key on the line: {entry}")
        elif not (MARKER.search(committed) or LITERAL.search(committed)):
            problems.append(f"no literal or marker on the line: {entry}")
    assert problems == []


def test_no_label_follows_a_pem_marker_in_its_file() -> None:
    """PEM markers expand to many lines; labels after one would be shifted."""
    problems = []
    for entry in _entries():
        committed = _committed(str(entry["path"]))
        markers = [n for n, text in enumerate(committed, 1) if PEM_MARKER.search(text)]
        if markers and _line(entry) > markers[0]:
            problems.append(f"label after the PEM marker on line {markers[0]}: {entry}")
    assert problems == []


def test_code_in_documentation_has_no_insecure_verification_label() -> None:
    """Docs code does not run: keys there are labelled, insecure constructs are not."""
    docs = [
        entry
        for entry in _entries()
        if entry["kind"] == "insecure-verification"
        and Path(str(entry["path"])).suffix in DOCS_SUFFIXES
    ]
    assert docs == []


def test_readme_counts_the_projects() -> None:
    projects = [p for p in CORPUS.iterdir() if p.is_dir()]
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    assert f"{len(projects)} small, realistic projects" in readme
    labelled = {str(e["path"]).split("/", 1)[0] for e in _entries()}
    assert labelled <= {p.name for p in projects}
