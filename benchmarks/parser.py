"""Should jwtscan read imports with a real parser? The regex import readers against parsers.

    python -m benchmarks.parser [FOLDER ...]    (default: benchmarks/.work/noise/trees)

On code nobody on the project wrote, per language: how often the import readers of
``scanner.detect.bindings`` bind exactly what a parser binds (Python's own ``ast`` for Python;
ast-grep-py's tree-sitter grammars for JavaScript/TypeScript and Go, when it is importable), and
what each costs: the readers, a full parse, and jwtscan's whole detection on the same files.
It asserts nothing; the figures are in README's "Parsers" section.
"""

from __future__ import annotations

import ast
import importlib
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from scanner.detect.bindings import Syntax, imports
from scanner.detect.engine import detect
from scanner.detect.loader import load_ruleset
from scanner.findings import Fragment

DEFAULT = Path(__file__).resolve().parent / ".work" / "noise" / "trees"
LANGUAGES: dict[str, tuple[Syntax, tuple[str, ...]]] = {
    "python": ("python", (".py",)),
    "javascript": ("javascript", (".js", ".mjs", ".cjs", ".jsx")),
    "typescript": ("javascript", (".ts", ".tsx", ".mts", ".cts")),
    "go": ("go", (".go",)),
}
Pairs = set[tuple[str, str]]


def _files(roots: Sequence[Path], suffixes: tuple[str, ...]) -> list[tuple[Path, str]]:
    found = []
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in suffixes and path.is_file() and ".git" not in path.parts:
                text = path.read_text(encoding="utf-8", errors="replace")
                if len(text) < 2_000_000:
                    found.append((path, text))
    return found


def _python_truth(text: str) -> Pairs | None:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    pairs: Pairs = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    pairs.add((alias.name, alias.asname))
                else:
                    first = alias.name.split(".", 1)[0]
                    pairs.update({(first, first), (alias.name, alias.name)})
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            for alias in node.names:
                if alias.name == "*":
                    pairs.add((f"{module}.*", "*"))
                else:
                    pairs.add((f"{module}.{alias.name}", alias.asname or alias.name))
    return pairs


def _text(node: Any) -> str:
    return str(node.text()).strip("'\"`")


def _js_truth(root: Any) -> Pairs:
    pairs: Pairs = set()
    for statement in root.find_all(kind="import_statement"):
        source = statement.field("source")
        clause = next((c for c in statement.children() if c.kind() == "import_clause"), None)
        if source is None or clause is None:
            continue
        module = _text(source)
        for part in clause.children():
            if part.kind() == "identifier":
                pairs.add((module, _text(part)))
            elif part.kind() == "namespace_import":
                name = next(c for c in part.children() if c.kind() == "identifier")
                pairs.add((module, _text(name)))
            elif part.kind() == "named_imports":
                for spec in part.find_all(kind="import_specifier"):
                    name, alias = spec.field("name"), spec.field("alias")
                    imported = _text(name)
                    key = module if imported == "default" else f"{module}.{imported}"
                    pairs.add((key, _text(alias or name)))
    for declarator in root.find_all(kind="variable_declarator"):
        value, name = declarator.field("value"), declarator.field("name")
        if value is None or name is None:
            continue
        while value.kind() == "await_expression":
            value = value.children()[-1]
        prop = ""
        if value.kind() == "member_expression":
            prop = "." + _text(value.field("property"))
            value = value.field("object")
        if value.kind() != "call_expression" or _text(value.field("function")) != "require":
            continue
        arguments = [a for a in value.field("arguments").children() if a.kind() == "string"]
        if len(arguments) != 1:
            continue
        module = _text(arguments[0]) + ("" if prop in ("", ".default") else prop)
        if name.kind() == "identifier":
            pairs.add((module, _text(name)))
        elif name.kind() == "object_pattern":
            for item in name.children():
                if item.kind() == "shorthand_property_identifier_pattern":
                    pairs.add((f"{module}.{_text(item)}", _text(item)))
                elif item.kind() == "pair_pattern":
                    key, local = item.field("key"), item.field("value")
                    pairs.add((f"{module}.{_text(key)}", _text(local)))
    return pairs


def _go_truth(root: Any) -> Pairs:
    pairs: Pairs = set()
    for spec in root.find_all(kind="import_spec"):
        path = _text(spec.field("path"))
        name = spec.field("name")
        trimmed = path.rsplit("/v", 1)[0] if path.rsplit("/v", 1)[-1].isdigit() else path
        if name is None:
            pairs.add((trimmed, trimmed.rsplit("/", 1)[-1]))
        elif _text(name) == ".":
            pairs.add((f"{trimmed}.*", "*"))
        elif _text(name) != "_":
            pairs.add((trimmed, _text(name)))
    return pairs


def _regex_pairs(syntax: Syntax, text: str) -> Pairs:
    return {(key, local) for key, names in imports(syntax, text).items() for local in names}


def _timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def measure(language: str, files: list[tuple[Path, str]], grep: Any) -> Iterator[str]:
    syntax, _ = LANGUAGES[language]
    size = sum(len(text.encode()) for _, text in files) / 2**20
    agree = differ = unparsed = 0
    modules = tuple({m for rule in load_ruleset().rules for b in rule.bind for m in b.modules})
    lost = gained = relevant = 0  # pairs of the libraries rules bind: missed, extra, in all
    missed: list[str] = []
    for path, text in files:
        if language == "python":
            truth = _python_truth(text)
        elif grep is None:
            truth = None
        else:
            root = grep.SgRoot(text, "tsx" if language == "typescript" else language).root()
            truth = _go_truth(root) if language == "go" else _js_truth(root)
        if truth is None:
            unparsed += 1
            continue
        found = _regex_pairs(syntax, text)
        ours = {p for p in truth if p[0].startswith(modules)}
        relevant += len(ours)
        lost += len(ours - found)
        gained += len({p for p in found - truth if p[0].startswith(modules)})
        if found == truth:
            agree += 1
        else:
            differ += 1
            if len(missed) < 5:
                short, extra = sorted(truth - found)[:3], sorted(found - truth)[:3]
                missed.append(f"    {path}: missed {short} extra {extra}")
    readers = _timed(lambda: [imports(syntax, text) for _, text in files])
    parse = (
        _timed(lambda: [_python_truth(text) for _, text in files])
        if language == "python"
        else _timed(
            lambda: [
                grep.SgRoot(text, "tsx" if language == "typescript" else language).root()
                for _, text in files
            ]
        )
        if grep is not None
        else float("nan")
    )
    ruleset = load_ruleset()
    scan = _timed(lambda: [list(detect(Fragment(str(p), t), ruleset)) for p, t in files])
    yield (
        f"{language:<11} {len(files):>6} files {size:7.1f} MiB  agree {agree:>5}  differ "
        f"{differ:>4}  unparsed {unparsed:>3}  readers {readers:6.2f} s  parse {parse:6.2f} s  "
        f"jwtscan detect {scan:6.2f} s\n"
        f"{'':<11} bindings of the rules' libraries: {relevant} by the parser, "
        f"{lost} missed and {gained} extra by the readers"
    )
    yield from missed


def main(argv: Sequence[str] | None = None) -> int:
    roots = [Path(a) for a in (argv if argv is not None else sys.argv[1:])] or [DEFAULT]
    try:
        grep: Any = importlib.import_module("ast_grep_py")
    except ImportError:
        grep = None
        print("ast-grep-py is not importable: JavaScript, TypeScript and Go are not compared")
    for language, (_, suffixes) in LANGUAGES.items():
        for line in measure(language, _files(roots, suffixes), grep):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
