"""Code embedded in other files: fenced, indented and directive blocks of Markdown,
reStructuredText and AsciiDoc, and ``<script>`` elements of HTML, Vue and Svelte.

Each block is judged by its own language's rules: the engine sees a text in which the block
sits at its real line and column (the rest is blanked), under a virtual path whose extension
chooses the rules (``docs/setup.md.py``); the blocks of one language make one text. Findings
keep the real path.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from scanner.findings import Finding, Fragment, severity_rank
from scanner.positions import Lines

if TYPE_CHECKING:
    from scanner.detect.engine import Ruleset

# Hosts: the files that hold blocks, by extension.
_DOCS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdx": "markdown",
    ".rst": "rst",
    ".rest": "rst",
    ".adoc": "asciidoc",
    ".asciidoc": "asciidoc",
}
_PAGES = {".html": "html", ".htm": "html", ".xhtml": "html", ".vue": "html", ".svelte": "html"}

# A block's language (as docs name it, lower case) to the extension whose rules judge it.
LANGUAGES: dict[str, str] = {
    **dict.fromkeys(("js", "javascript", "node", "nodejs", "es6", "ecmascript"), ".js"),
    **dict.fromkeys(("jsx",), ".jsx"),
    **dict.fromkeys(("mjs",), ".mjs"),
    **dict.fromkeys(("cjs",), ".cjs"),
    **dict.fromkeys(("ts", "typescript"), ".ts"),
    **dict.fromkeys(("tsx",), ".tsx"),
    **dict.fromkeys(("vue",), ".vue"),
    **dict.fromkeys(("svelte",), ".svelte"),
    **dict.fromkeys(("python", "py", "python3", "py3", "pycon", "ipython", "django"), ".py"),
    **dict.fromkeys(("elixir", "ex", "iex"), ".ex"),
    **dict.fromkeys(("exs",), ".exs"),
    **dict.fromkeys(("rust", "rs"), ".rs"),
    **dict.fromkeys(("go", "golang"), ".go"),
    **dict.fromkeys(("java",), ".java"),
    **dict.fromkeys(("kotlin", "kt"), ".kt"),
    **dict.fromkeys(("kts",), ".kts"),
    **dict.fromkeys(("scala", "sbt"), ".scala"),
    **dict.fromkeys(("groovy", "gradle"), ".groovy"),
    **dict.fromkeys(("ruby", "rb", "rails"), ".rb"),
    **dict.fromkeys(("php",), ".php"),
    **dict.fromkeys(("csharp", "cs", "c#", "c-sharp"), ".cs"),
    **dict.fromkeys(("fsharp", "fs", "f#"), ".fs"),
    **dict.fromkeys(("vb", "vbnet", "vb.net"), ".vb"),
    **dict.fromkeys(("yaml", "yml"), ".yaml"),
    **dict.fromkeys(("json", "jsonc", "json5"), ".json"),
    **dict.fromkeys(("properties", "jproperties", "java-properties"), ".properties"),
    **dict.fromkeys(("env", "dotenv", ".env"), ".env"),
    **dict.fromkeys(("toml",), ".toml"),
    **dict.fromkeys(("ini", "cfg", "dosini"), ".ini"),
    **dict.fromkeys(("conf", "nginx", "hocon"), ".conf"),
    **dict.fromkeys(
        ("bash", "sh", "shell", "zsh", "console", "shell-session", "shellsession", "terminal"),
        ".sh",
    ),
    **dict.fromkeys(("dockerfile", "docker"), ".dockerfile"),
    **dict.fromkeys(("hcl",), ".hcl"),
    **dict.fromkeys(("terraform", "tf"), ".tf"),
    **dict.fromkeys(("xml",), ".xml"),
    **dict.fromkeys(("swift",), ".swift"),
    **dict.fromkeys(("dart",), ".dart"),
    **dict.fromkeys(("lua",), ".lua"),
}


@dataclass(frozen=True, slots=True)
class Block:
    """Embedded code: offsets of its text in the file, and the extension of its language."""

    start: int
    end: int
    suffix: str


def host(path: str) -> str | None:
    """The kind of file ``path`` is when it can embed code: markdown, rst, asciidoc or html."""
    name = path.rsplit("/", 1)[-1].lower()
    dot = name.rfind(".")
    if dot == -1:
        return None
    suffix = name[dot:]
    return _DOCS.get(suffix) or _PAGES.get(suffix)


def is_docs(kind: str) -> bool:
    """Blocks in documentation are samples: read, not run (html scripts run)."""
    return kind != "html"


def may_hold_blocks(kind: str, text: str) -> bool:
    """A cheap test before the keyword prefilter: the markers a block of this kind needs."""
    match kind:
        case "markdown":
            return "```" in text or "~~~" in text or "\n    " in text or "\n\t" in text
        case "rst":
            return "::" in text
        case "asciidoc":
            return "[source" in text or "[," in text
        case _:
            return "<script" in text or "<SCRIPT" in text


def virtual_text(text: str, blocks: Sequence[Block]) -> str:
    """The blocks alone (in order, not overlapping), each at its real line and column: the
    rest of the text blanked to its line ends, and the spaces before a block on its line."""
    parts: list[str] = []
    at = 0
    for block in blocks:
        gap_lines = text.count("\n", at, block.start)
        line_start = text.rfind("\n", at, block.start) + 1 if gap_lines else at
        parts += ["\n" * gap_lines, " " * (block.start - line_start), text[block.start : block.end]]
        at = block.end
    return "".join(parts)


def blocks(kind: str, text: str) -> list[Block]:
    """The blocks of code in ``text`` (a file of that kind) whose language is known."""
    match kind:
        case "markdown":
            found = list(_markdown(text))
        case "rst":
            found = list(_rst(text))
        case "asciidoc":
            found = list(_asciidoc(text))
        case _:
            found = list(_scripts(text))
    return [b for b in found if b.end > b.start and text[b.start : b.end].strip()]


def language(name: str) -> str | None:
    """The extension for a language name as docs write it (``js``, ``{.python}``, ``c#``)."""
    name = name.strip().strip("{}").lstrip(".").lower()
    return LANGUAGES.get(name)


def _lines(text: str) -> list[tuple[int, str]]:
    """(offset, line without its end) for each line."""
    out = []
    offset = 0
    for line in text.split("\n"):
        out.append((offset, line))
        offset += len(line) + 1
    return out


def _end_of(lines: list[tuple[int, str]], index: int, text: str) -> int:
    """The offset just after line ``index`` (its newline included), or the text's end."""
    offset, line = lines[index]
    return min(offset + len(line) + 1, len(text))


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())


# --- Markdown -------------------------------------------------------------------------------

_FENCE = re.compile(
    r"^[ \t]*(?:>[ \t]?)*(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n]*)$", re.MULTILINE
)
# A line of indented code: 4+ columns, then something.
_INDENTED_LINE = re.compile(r"^(?: {4}|\t| {1,3}\t)[ \t]*\S[^\n]*$", re.MULTILINE)


def _markdown(text: str) -> Iterator[Block]:
    at = 0
    while at < len(text):
        fence = _FENCE.search(text, at)
        while fence and fence.group("fence")[0] == "`" and "`" in fence.group("info"):
            fence = _FENCE.search(text, fence.end())  # inline code, not a fence
        until = fence.start() if fence else len(text)
        yield from _indented(text, at, until)
        if fence is None:
            return
        mark = fence.group("fence")
        close = re.compile(
            rf"^[ \t]*(?:>[ \t]?)*{re.escape(mark[0])}{{{len(mark)},}}[ \t]*$", re.MULTILINE
        )
        start = min(fence.end() + 1, len(text))
        closing = close.search(text, start)
        end = closing.start() if closing else len(text)
        suffix = _info_language(fence.group("info"))
        if suffix is not None and end > start:
            yield Block(start, end, suffix)
        at = closing.end() + 1 if closing else len(text)


def _indented(text: str, start: int, end: int) -> Iterator[Block]:
    """Indented code blocks between ``start`` and ``end`` whose language shows plainly: runs
    of indented lines (blank lines among them) after a blank line or the start of the text."""
    first = last = -1
    for line in _INDENTED_LINE.finditer(text, start, end):
        if first != -1 and not text[last : line.start()].strip():
            last = line.end()  # the same block: only blank lines since its last line
            continue
        if first != -1:
            yield from _guessed(text, first, last)
        before = text.rfind("\n", 0, max(line.start() - 1, 0))
        opens = line.start() == 0 or not text[before + 1 : line.start()].strip()
        first, last = (line.start(), line.end()) if opens else (-1, -1)
    if first != -1:
        yield from _guessed(text, first, last)


def _guessed(text: str, start: int, end: int) -> Iterator[Block]:
    suffix = guess(text[start:end])
    if suffix is not None:
        yield Block(start, min(end + 1, len(text)), suffix)


def _info_language(info: str) -> str | None:
    """The language of a fence's info string: ``js``, ``{.python}``, ``python title="a.py"``,
    ``js:config/auth.js``, ``python {linenos=true}``."""
    words = info.strip().replace("{", " ").replace("}", " ").replace(",", " ").split()
    if not words:
        return None
    first = words[0].split(":", 1)[0]
    return language(first)


# --- reStructuredText -----------------------------------------------------------------------

_DIRECTIVE = re.compile(
    r"^(?P<indent>[ \t]*)\.\.[ \t]+(?P<name>code-block|code|sourcecode|highlight)::"
    r"[ \t]*(?P<lang>[^\s]*)"
)
_OPTION = re.compile(r"^[ \t]+:[\w-]+:")


def _rst(text: str) -> Iterator[Block]:
    lines = _lines(text)
    default: str | None = None
    i = 0
    while i < len(lines):
        _, line = lines[i]
        directive = _DIRECTIVE.match(line)
        literal = (
            not directive and line.rstrip().endswith("::") and not line.lstrip().startswith("..")
        )
        if directive and directive.group("name") == "highlight":
            default = language(directive.group("lang")) if directive.group("lang") else default
            i += 1
            continue
        if not directive and not literal:
            i += 1
            continue
        base = _indent(line)
        if literal:  # the paragraph's indent is its first line's: go back to it
            k = i
            while k > 0 and lines[k - 1][1].strip():
                k -= 1
            base = _indent(lines[k][1])
        j = i + 1
        while j < len(lines) and _OPTION.match(lines[j][1]) and directive:
            j += 1
        first = j
        while j < len(lines) and (not lines[j][1].strip() or _indent(lines[j][1]) > base):
            j += 1
        while j > first and not lines[j - 1][1].strip():
            j -= 1
        while first < j and not lines[first][1].strip():
            first += 1
        if first < j:
            start, end = lines[first][0], _end_of(lines, j - 1, text)
            named = directive.group("lang") if directive else ""
            suffix = language(named) if named else (default or guess(text[start:end]) or ".py")
            if suffix is not None:
                yield Block(start, end, suffix)
        i = max(j, i + 1)


# --- AsciiDoc -------------------------------------------------------------------------------

_SOURCE = re.compile(
    r"^\[(?:source(?:%[\w%]*)?)?,[ \t]*(?P<lang>[^,\]\s]+)[^\]]*\]\s*$|^\[source\]\s*$"
)
_ADOC_DEFAULT = re.compile(r"^:source-language:[ \t]*(?P<lang>\S+)", re.MULTILINE)
_DELIMITER = re.compile(r"^(?:-{4,}|\.{4,})[ \t]*$")


def _asciidoc(text: str) -> Iterator[Block]:
    lines = _lines(text)
    document = _ADOC_DEFAULT.search(text)
    default = language(document.group("lang")) if document else None
    i = 0
    while i < len(lines):
        source = _SOURCE.match(lines[i][1])
        if not source:
            i += 1
            continue
        suffix = language(source.group("lang")) if source.group("lang") else default
        j = i + 1
        while j < len(lines) and lines[j][1].startswith(".") and not _DELIMITER.match(lines[j][1]):
            j += 1  # a block title (.Title) or another attribute line
        if j < len(lines) and _DELIMITER.match(lines[j][1]):
            mark = lines[j][1].strip()
            k = j + 1
            while k < len(lines) and lines[k][1].strip() != mark:
                k += 1
            first, last = j + 1, k
            i = k + 1
        else:  # a paragraph: to the next blank line
            k = j
            while k < len(lines) and lines[k][1].strip():
                k += 1
            first, last = j, k
            i = k
        if suffix is not None and first < last:
            yield Block(lines[first][0], _end_of(lines, last - 1, text), suffix)


# --- HTML, Vue, Svelte ----------------------------------------------------------------------

_SCRIPT = re.compile(
    r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.IGNORECASE | re.DOTALL
)
_ATTR = re.compile(
    r"""\b(?P<name>lang|type)\s*=\s*(?:"(?P<a>[^"]*)"|'(?P<b>[^']*)'|(?P<c>[^\s>]+))""",
    re.IGNORECASE,
)
_SCRIPT_TYPES = {
    "": ".js",
    "module": ".js",
    "text/javascript": ".js",
    "application/javascript": ".js",
    "text/ecmascript": ".js",
    "application/ecmascript": ".js",
    "text/babel": ".jsx",
    "text/jsx": ".jsx",
    "text/typescript": ".ts",
    "application/typescript": ".ts",
    "application/json": ".json",
    "application/ld+json": ".json",
    "importmap": ".json",
}


def _scripts(text: str) -> Iterator[Block]:
    for script in _SCRIPT.finditer(text):
        attrs = {
            m.group("name").lower(): (m.group("a") or m.group("b") or m.group("c") or "").lower()
            for m in _ATTR.finditer(script.group("attrs"))
        }
        if "lang" in attrs:
            suffix = language(attrs["lang"])
        else:
            suffix = _SCRIPT_TYPES.get(attrs.get("type", "").strip())
        if suffix is not None:
            yield Block(script.start("body"), script.end("body"), suffix)


# --- Guessing the language of an unlabelled block -------------------------------------------

_SIGNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (suffix, re.compile(pattern, re.MULTILINE))
    for suffix, pattern in (
        (
            ".js",
            r"\brequire\(\s*['\"]|\bmodule\.exports\b|^[ \t]*import\s[^\n]*\bfrom\s+['\"]"
            r"|^[ \t]*(?:const|let|var)\s+[\w${}\s,]+=|=>\s*[{(]|\bexport\s+(?:default|const)\b",
        ),
        (
            ".py",
            r"^[ \t]*from\s+[\w.]+\s+import\s|^[ \t]*import\s+[\w.]+\s*$|^[ \t]*def\s+\w+\(.*\):"
            r"|\bos\.environ\b|^[ \t]*class\s+\w+(?:\(.*\))?:\s*$",
        ),
        (".go", r"^package\s+\w+|\w\s*:=\s|^[ \t]*func\s|\bfmt\.\w+\("),
        (
            ".java",
            r"^[ \t]*import\s+[\w.]+;\s*$|\bpublic\s+(?:class|static|final)\b"
            r"|\bString\s+\w+\s*=\s*\"",
        ),
        (".php", r"<\?php|^[ \t]*\$\w+\s*=|\$this->"),
        (".rb", r"^[ \t]*require\s+['\"]|\bdo\s*\|\w+|^[ \t]*Rails\.application\b|^[ \t]*end\s*$"),
        (".ex", r"^[ \t]*defmodule\s|^[ \t]*config\s+:\w+|\|>"),
        (".rs", r"^[ \t]*(?:pub\s+)?fn\s+\w+|\blet\s+mut\b|^[ \t]*use\s+[\w:]+(?:::\{[^}]*\})?;"),
        (".yaml", r"^[\w.-]+:[ \t]*(?:#.*)?\n[ \t]+[\w.-]+:"),
        (".env", r"^(?:export\s+)?[A-Z][A-Z0-9_]*=\S"),
    )
)


_GUESS_CHARS = 4000  # a language shows in a block's first lines; the rest costs time


def guess(code: str) -> str | None:
    """The language of an unlabelled block, when one language's signs are plain in it."""
    code = code[:_GUESS_CHARS]
    counts = [(len(sign.findall(code)), suffix) for suffix, sign in _SIGNS]
    counts.sort(reverse=True)
    (best, suffix), (second, _) = counts[0], counts[1]
    return suffix if best and best > second else None


# --- Judging --------------------------------------------------------------------------------


def embeds(fragment: Fragment, ruleset: Ruleset) -> bool:
    """Whether ``fragment`` may hold embedded code some rule could judge: its kind, the markers
    of a block, then one keyword prefilter over the whole file (with every rule's keywords)."""
    kind = host(fragment.path)
    return (
        kind is not None
        and may_hold_blocks(kind, fragment.text)
        and bool(ruleset.present(fragment.text))
    )


def judged(fragment: Fragment, ruleset: Ruleset, found: list[Finding]) -> list[Finding]:
    """``found`` (the file's findings as a whole) with those of its embedded blocks: one
    finding per place, the graver, else the block's (its language's rule is more specific).
    Samples in documentation are not code that runs: no insecure-verification findings there."""
    from scanner.detect.engine import detect

    if not embeds(fragment, ruleset):
        return found
    kind = host(fragment.path)
    assert kind is not None
    lines: Lines | None = None
    by_language: dict[str, list[Block]] = {}
    for block in blocks(kind, fragment.text):
        if fragment.added_lines is not None:
            lines = lines or Lines(fragment.text)
            first, last = lines.line_of(block.start), lines.line_of(max(block.start, block.end - 1))
            if fragment.added_lines.isdisjoint(range(first, last + 1)):
                continue
        by_language.setdefault(block.suffix, []).append(block)
    best = {_place(f): f for f in found}
    # The blocks of one language are judged as one text: a linear cost however many there are
    # (and a name in one block resolves to a literal in another, as docs split their code).
    for suffix, same in by_language.items():
        sub = replace(
            fragment,
            path=f"{fragment.path}{suffix}",
            text=virtual_text(fragment.text, same),
            origin=fragment.path,
        )
        for finding in detect(sub, ruleset):
            if is_docs(kind) and finding.kind == "jwt-insecure-verification":
                continue
            place = _place(finding)
            old = best.get(place)
            if old is None or severity_rank(finding.severity) >= severity_rank(old.severity):
                best[place] = finding
    return list(best.values())


def _place(finding: Finding) -> tuple[int | None, int | None, int | None, int | None]:
    return finding.line, finding.column, finding.end_line, finding.end_column
