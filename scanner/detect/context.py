"""Where a finding is: application code, deployment config, a test, an example, docs, vendored or
generated code. Decided from evidence a reviewer would accept (path conventions of each
ecosystem, a generated-code header, minified text), conservatively: when unsure, ``app``."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from fnmatch import fnmatchcase

from scanner.findings import Context, Finding

# Folder names (any depth, compared in lower case) that put everything under them in a context.
_FOLDERS: Mapping[Context, frozenset[str]] = {
    "vendor": frozenset(
        {
            "vendor",
            "node_modules",
            "third_party",
            "third-party",
            "site-packages",
            "bower_components",
        }
    ),
    "test": frozenset(
        {
            "test",
            "tests",
            "__tests__",
            "testdata",
            "fixtures",
            "fixture",
            "spec",
            "specs",
            "e2e",
            # integration test suites (Go's integration/, Gradle's src/integrationTest/)
            "integration",
            "integration-test",
            "integration-tests",
            "integration_test",
            "integration_tests",
            "integrationtest",
            "integrationtests",
        }
    ),
    # Go ignores folders starting with '_': _example/ is the Go form of examples/
    "example": frozenset({"examples", "example", "samples", "sample", "_examples", "_example"}),
    "docs": frozenset({"docs", "doc", "documentation", "docs_src"}),
}

_SCRIPTS = ("js", "ts", "jsx", "tsx", "mjs", "cjs", "mts", "cts")
_DOCS = {"md": "Markdown", "markdown": "Markdown", "rst": "reStructuredText", "adoc": "AsciiDoc"}

# File name globs (case-sensitive, as the ecosystems write them), with the reason shown.
_FILES: Mapping[Context, tuple[str, ...]] = {
    "generated": (
        "*.min.js",
        "*.min.css",
        "*.pb.go",
        "*_pb2.py",
        "*.pb.ts",
        "*_generated.*",
        "*.generated.*",
        "zz_generated*",
    ),
    "test": (
        "test_*.py",
        "*_test.py",
        "tests.py",  # Django apps
        "tests_*.py",
        "tests-*.py",
        "conftest.py",
        "*_test.go",
        *(f"*.{kind}.{ext}" for kind in ("spec", "test") for ext in _SCRIPTS),
        "*.test-d.ts",  # tsd type tests
        "*_spec.rb",
        "*_test.rb",
        "*Test.java",
        "*Tests.java",
        "*Test.kt",
        "*Test.php",
    ),
    "docs": (
        "*.md",
        "*.markdown",
        "*.rst",
        "*.adoc",
        "*.txt",
        "README*",
        "doc.go",  # a Go package's documentation
        "PKG-INFO",  # a Python package's metadata: its README
    ),
    "config": (
        "*.yaml",
        "*.yml",
        "*.properties",
        ".env",
        ".env.*",
        "*.env",
        "*.toml",
        "*.ini",
        "*.cfg",
        "*.conf",
        "Dockerfile",
        "Dockerfile.*",
        "*.dockerfile",
        "docker-compose*",
        "compose.yaml",
        "compose.yml",
        "*.tf",
        "*.tfvars",
        "*.hcl",
    ),
}

# Strongest evidence first: a test under vendor/ is vendored code; a YAML file under tests/ is a
# test fixture; config is the weakest (it blocks like app code anyway).
_ORDER: tuple[Context, ...] = ("vendor", "generated", "test", "example", "docs", "config")

_GENERATED_HEADER = re.compile(r"^\W*Code generated\b.*\bDO NOT EDIT\b", re.MULTILINE)
_HEADER_CHARS = 2000  # the Go convention puts the header before the package clause
_MINIFIABLE = (".js", ".mjs", ".cjs", ".css")
_MINIFIED_LINE = 1000  # a line this long in a script or stylesheet: minified, not hand-written


def classify(path: str, text: str | None = None) -> tuple[Context, tuple[str, ...]]:
    """The context of a file at ``path`` ('/'-separated, relative to the scanned root), with
    the reasons; ``text`` (the file's content, when at hand) adds the generated-code header and
    minified scripts."""
    folders = [part.lower() for part in path.split("/")[:-1]]
    name = path.rsplit("/", 1)[-1]
    found: dict[Context, list[str]] = {}
    for context, names in _FOLDERS.items():
        for folder in folders:
            if folder in names:
                found.setdefault(context, []).append(f"path {folder}/")
    for context, globs in _FILE_TESTS.items():
        for glob, matches in globs:
            if matches(name, glob):
                found.setdefault(context, []).append(_file_reason(context, glob))
                break
    if text is not None:
        if _GENERATED_HEADER.search(text[:_HEADER_CHARS]):
            found.setdefault("generated", []).append("'Code generated ... DO NOT EDIT' header")
        if name.endswith(_MINIFIABLE) and any(
            len(line) >= _MINIFIED_LINE for line in text.splitlines()
        ):
            found.setdefault("generated", []).append("minified")
    for context in _ORDER:
        if context in found:
            return context, tuple(dict.fromkeys(found[context]))
    return "app", ()


def _name_test(glob: str) -> Callable[[str, str], bool]:
    """How to test a name against ``glob`` as ``fnmatchcase`` does: a suffix, a prefix or the
    whole name by comparison (a process classifying its first files compiled all 65 globs:
    7 ms of a Go tree's serial analysis), the other globs by fnmatchcase."""
    if not any(c in glob for c in "*?["):
        return str.__eq__
    if glob[0] == "*" and not any(c in glob[1:] for c in "*?["):
        return lambda name, glob: name.endswith(glob[1:])
    if glob[-1] == "*" and not any(c in glob[:-1] for c in "*?["):
        return lambda name, glob: name.startswith(glob[:-1])
    return fnmatchcase


_FILE_TESTS = {
    context: tuple((glob, _name_test(glob)) for glob in globs) for context, globs in _FILES.items()
}


def _file_reason(context: Context, glob: str) -> str:
    if context == "docs":
        if not glob.startswith("*."):
            return f"file name {glob}"
        return f"{_DOCS.get(glob[2:], 'text')} file"
    return f"file name {glob}"


def in_prose(findings: Sequence[Finding], path: str, text: str) -> list[Finding]:
    """``findings`` of an app or config file, those in a comment or a docstring moved to
    ``docs``: a doctest's token or a key in a Javadoc example is documentation, never run."""
    from scanner.detect.comments import at, prose
    from scanner.positions import Lines

    spans = prose(path, text)
    if not spans:
        return list(findings)
    lines = Lines(text)
    placed = []
    for finding in findings:
        where = None
        if finding.line is not None and finding.column is not None and lines.has(finding.line):
            where = at(spans, lines.offset(finding.line, finding.column))
        if where is not None:
            finding = replace(finding, context="docs", context_reasons=(f"in a {where}",))
        placed.append(finding)
    return placed
