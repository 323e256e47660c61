"""Embedded code: blocks of Markdown, reStructuredText and AsciiDoc, and scripts of HTML, Vue and
Svelte, judged by their language's rules at the file's real lines, in real git repositories."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks.fakes import fake_value
from scanner.detect.driver import EMBEDDING_SUFFIXES
from scanner.detect.embedded import _DOCS, _PAGES, Block, blocks, guess, host, virtual_text
from scanner.positions import Lines
from tests.conftest import commit, commit_files, git, run_main

JS = fake_value("alnum", 40, "embedded-js")
PY = fake_value("alnum", 40, "embedded-py")
JAVA = fake_value("alnum", 44, "embedded-java")
RB = fake_value("alnum", 40, "embedded-rb")
TEXT = fake_value("alnum", 40, "embedded-text")
# Written in pieces: the test's own source must not hold what the rules report.
NO_VERIFY = "options={'verify_" + "signature': False}"
NONE_ALLOWED = "algorithms: ['" + "none']"


def _q(value: str) -> str:
    return f"'{value}'"


def _line_col(text: str, secret: str) -> tuple[int, int]:
    offset = text.index(secret)
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _scan(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, Any]]:
    code, out, err = run_main(capsys, "scan", "--format", "json", *args)
    assert code in (0, 1), err
    findings: list[dict[str, Any]] = json.loads(out)["findings"]
    # Every place: a value repeated across files is one finding with its other places.
    places = [{**f, **o} for f in findings for o in f.get("occurrences", [])]
    return [*findings, *places]


MARKDOWN = f"""# Tokens

Sign them like this:

```javascript
const jwt = require('jsonwebtoken');
const token = jwt.sign({{ id: 1 }}, '{JS}', {{ expiresIn: '1h' }});
```

~~~py title="auth.py"
import jwt
token = jwt.encode({{"sub": 1}}, "{PY}", algorithm="HS256")
payload = jwt.decode(token, {NO_VERIFY})
~~~

Or, in a list:

1. Ruby:

    ```ruby
    JWT.encode(payload, '{RB}', 'HS256')
    ```

```text
jwt.sign(payload, {_q(TEXT)})
```
"""

RST = f"""Signing
=======

.. code-block:: python
   :linenos:

   import jwt
   jwt.encode(payload, "{PY}", algorithm="HS256")

In JavaScript::

    const jwt = require('jsonwebtoken');
    jwt.sign(payload, '{JS}');

.. highlight:: ruby

A literal block::

    JWT.encode(payload, '{RB}', 'HS256')
"""

ADOC = f"""= Signing
:source-language: ruby

.Java
[source,java]
----
SecretKey key = Keys.hmacShaKeyFor("{JAVA}".getBytes(StandardCharsets.UTF_8));
----

[source]
----
JWT.encode(payload, '{RB}', 'HS256')
----
"""


def test_doc_blocks_run_their_languages_rules_at_real_lines(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    commit_files(repo, {"README.md": MARKDOWN, "docs/signing.rst": RST, "guide.adoc": ADOC})
    monkeypatch.chdir(repo)
    found = {(f["path"], f["line"], f["column"], f["rule"], f["context"]) for f in _scan(capsys)}
    expected = set()
    for path, text, secrets in (
        ("README.md", MARKDOWN, ((JS, "jsonwebtoken"), (PY, "pyjwt"), (RB, "ruby-jwt"))),
        ("docs/signing.rst", RST, ((PY, "pyjwt"), (JS, "jsonwebtoken"), (RB, "ruby-jwt"))),
        ("guide.adoc", ADOC, ((JAVA, "jjwt"), (RB, "ruby-jwt"))),
    ):
        for secret, family in secrets:
            line, column = _line_col(text, secret)
            rules = [
                r for p, ln, c, r, ctx in found if (p, ln, c, ctx) == (path, line, column, "docs")
            ]
            assert len(rules) == 1, (path, line, column, found)
            assert rules[0].startswith(family), rules
            expected.add((path, line, column, rules[0], "docs"))
    # Nothing else: not the ```text block, and no insecure-verification finding for a sample
    # that turns verification off (docs are read, not run).
    assert found == expected


def test_scripts_of_pages_run_in_the_files_own_context_once(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    vue = (
        "<template><p>{{ user }}</p></template>\n"
        '<script setup lang="ts">\nimport jwt from "jsonwebtoken"\n'
        f"const token = jwt.sign({{ sub: 1 }}, '{JS}')\n"
        "</script>\n"
    )
    svelte = (
        "<script>\n  import { SignJWT } from 'jose';\n"
        f"  const key = new TextEncoder().encode('{PY}');\n"
        "  const jwt = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).sign(key);\n"
        "</script>\n<h1>hi</h1>\n"
    )
    html = (
        "<html><body>\n<script src='/app.js'></script>\n"
        f'<script type="text/template">jwt.sign(p, {_q(TEXT)})</script>\n'
        f"<script>\nconst token = jwt.sign(payload, '{RB}');\n"
        f"jwt.verify(token, key, {{ {NONE_ALLOWED} }});\n</script>\n</body></html>\n"
    )
    commit_files(repo, {"src/App.vue": vue, "src/Login.svelte": svelte, "public/index.html": html})
    monkeypatch.chdir(repo)
    found = _scan(capsys)
    secrets = [(f["path"], f["line"], f["column"], f["context"]) for f in found if f["secret"]]
    assert sorted(secrets) == sorted(
        [
            ("public/index.html", *_line_col(html, RB), "app"),
            ("src/App.vue", *_line_col(vue, JS), "app"),
            ("src/Login.svelte", *_line_col(svelte, PY), "app"),
        ]
    )
    # A script runs: turning verification off in a page is reported there.
    assert any(
        f["kind"] == "jwt-insecure-verification" and f["path"] == "public/index.html" for f in found
    )


def test_hook_reports_a_key_in_a_staged_readme_block_without_blocking(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    commit_files(repo, {"README.md": "# App\n"})
    (repo / "README.md").write_text(MARKDOWN)
    git(repo, "add", "README.md")
    monkeypatch.chdir(repo)
    code, out, err = run_main(capsys, "hook")
    assert code == 0, out + err
    assert "jsonwebtoken-literal-key" in out + err
    assert "docs" in out + err
    assert JS not in out + err
    line, _ = _line_col(MARKDOWN, JS)
    assert f"{line}:" in out
    # Only the added lines count: a block untouched by the commit is not judged again.
    commit(repo, "readme")
    (repo / "README.md").write_text(MARKDOWN + "\nMore text.\n")
    git(repo, "add", "README.md")
    code, out, err = run_main(capsys, "scan", "--staged", "--format", "json")
    assert code == 0, out + err
    assert json.loads(out)["findings"] == []


def test_block_text_keeps_real_positions() -> None:
    text = "a\nbb\n  <script>x = 1</script>\n"
    start = text.index("x = 1")
    virtual = virtual_text(text, [Block(start, start + 5, ".js")])
    assert Lines(virtual).position(virtual.index("x = 1")) == Lines(text).position(start) == (3, 11)


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("docs/a.md", "markdown"),
        ("b.RST", "rst"),
        ("c.adoc", "asciidoc"),
        ("d.vue", "html"),
        ("e.py", None),
        ("Makefile", None),
    ],
)
def test_hosts(path: str, kind: str | None) -> None:
    assert host(path) == kind
    # The driver imports the embedded-code module only for the suffixes it lists.
    assert (kind is not None) == path.lower().endswith(EMBEDDING_SUFFIXES)


def test_the_driver_lists_every_host_suffix() -> None:
    assert set(EMBEDDING_SUFFIXES) == set(_DOCS) | set(_PAGES)


@pytest.mark.parametrize(
    ("code", "suffix"),
    [
        ("const jwt = require('jsonwebtoken');\njwt.sign(p, s);\n", ".js"),
        ("from jose import jwt\nimport os\n", ".py"),
        ("package main\nfunc main() {\n  k := 1\n}\n", ".go"),
        ("defmodule A do\n  x |> y\nend\n", ".ex"),
        ("JWT_SECRET=abc\nexport PORT=3000\n", ".env"),
        ("Some prose that happens to be indented.\n", None),
    ],
)
def test_guessing_unlabelled_blocks(code: str, suffix: str | None) -> None:
    assert guess(code) == suffix


def test_indented_markdown_block_is_judged_when_its_language_is_plain() -> None:
    text = "Intro.\n\n    const jwt = require('jsonwebtoken');\n    jwt.sign(p, k);\n\nEnd.\n"
    (block,) = blocks("markdown", text)
    assert block.suffix == ".js"
    assert text[block.start : block.end].startswith("    const jwt")
    assert blocks("markdown", "Intro.\n\n    just some indented prose\n") == []


def test_blocks_of_every_kind_in_process() -> None:
    # The same texts the repository tests scan (in worker processes), judged here in-process.
    from scanner.detect.driver import scan
    from scanner.detect.loader import load_ruleset
    from scanner.findings import Fragment

    kinds = {"README.md": "markdown", "a.rst": "rst", "a.adoc": "asciidoc"}
    texts = {"README.md": MARKDOWN, "a.rst": RST, "a.adoc": ADOC}
    suffixes = {path: [b.suffix for b in blocks(kinds[path], texts[path])] for path in texts}
    assert suffixes == {
        "README.md": [".js", ".py", ".rb"],
        "a.rst": [".py", ".js", ".rb"],
        "a.adoc": [".java", ".rb"],
    }
    page = f"<div>\n<script type='module'>\nconst t = jwt.sign(payload, {_q(RB)});\n</script>\n"
    (script,) = blocks("html", page)
    assert script.suffix == ".js"
    fragments = [Fragment(path, text) for path, text in texts.items()]
    fragments.append(Fragment("web/index.html", page, added_lines=frozenset({3})))
    fragments.append(Fragment("web/old.html", page, added_lines=frozenset({1})))
    result = scan(fragments, load_ruleset(), workers=1, sinks=True)
    found = {(f.path, f.line) for f in result.findings}
    assert ("web/index.html", 3) in found
    assert not [f for f in result.findings if f.path == "web/old.html"]  # no added line in it
    for path, text in texts.items():
        assert (path, _line_col(text, RB)[0]) in found
    assert not [f for f in result.findings if f.kind == "jwt-insecure-verification"]


WEAK_DOC = """# Quick start

Set `JWT_SECRET=changeme` for a first try, never in production.

```js
const jwt = require('jsonwebtoken');
const token = jwt.sign({ sub: 'alice' }, '{{key}}');
const claims = jwt.verify(token, process.env.JWT_SECRET);
```
""".replace("{{key}}", "cookbook-" + "node-secret")  # in pieces: this file is scanned too


def test_weak_key_in_a_doc_block_is_judged_as_code_and_prose_is_not(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    commit_files(repo, {"docs/quickstart.md": WEAK_DOC})
    monkeypatch.chdir(repo)
    found = {(f["line"], f["kind"], f["context"]) for f in _scan(capsys, "--strict")}
    # The block's literal key, not the prose's instruction nor the block's environment read.
    assert found == {(7, "weak-secret", "docs")}
