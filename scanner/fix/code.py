"""``jwtscan fix secrets``: a diff that moves hardcoded keys into fail-fast environment lookups."""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from scanner.detect.driver import scan
from scanner.detect.engine import Ruleset
from scanner.errors import ScannerError, UsageError
from scanner.files import Staged, commit, discard, stage
from scanner.findings import SECRET_KINDS, Finding, Fragment, redact
from scanner.fix import javascript, python
from scanner.fix.edits import (
    Patched,
    Refused,
    Replaced,
    Secret,
    apply_edits,
    newline_of,
    shift,
)
from scanner.paths import is_template
from scanner.positions import ANY_NEWLINE, Lines
from scanner.sources.content import DEFAULT_MAX_FILE_SIZE, File, Item, Screened
from scanner.sources.dotenv import env_names
from scanner.sources.tree import Target, read_files

ENV_EXAMPLE = ".env.example"
# path, text, secrets, objects made lazy in other files -> the patch
Patcher = Callable[[str, str, Sequence[Secret], frozenset[str]], Patched]


def _python(path: str, text: str, secrets: Sequence[Secret], lazy: frozenset[str]) -> Patched:
    del lazy  # what a JavaScript module reads at import time
    return python.patch(path, text, secrets)


_JAVASCRIPT = (".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts")
_PATCHERS: dict[str, Patcher] = {**dict.fromkeys(_JAVASCRIPT, javascript.patch), ".py": _python}
_BOM = "\ufeff"


@dataclass(frozen=True, slots=True)
class Gathered:
    """What a working-tree scan found, and the exact text of the files a fix would touch."""

    findings: tuple[Finding, ...]  # weak and hardcoded keys, in every file
    texts: tuple[tuple[str, str], ...]  # path -> content of the patchable files among them
    env_example: str | None  # the current .env.example; None when there is none
    unreadable: tuple[tuple[str, str], ...]  # path, error


@dataclass(frozen=True, slots=True)
class Change:
    """One file's new content; ``before`` is None when the file is created."""

    path: str
    before: str | None
    after: str
    hidden_before: tuple[tuple[int, int], ...]  # secret spans the redacted diff masks
    hidden_after: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class Skip:
    """A finding left alone: where, and why it cannot be patched safely."""

    path: str
    line: int | None
    reason: str


@dataclass(frozen=True, slots=True)
class SecretsPlan:
    """Every change of the fix, the findings it leaves, and the variables it introduces."""

    changes: tuple[Change, ...]
    skipped: tuple[Skip, ...]
    variables: tuple[str, ...]
    fixed: int


def gather(target: Target, ruleset: Ruleset) -> Gathered:
    """Scan the working tree and read the patchable files with findings exactly (strict UTF-8)."""
    registering: list[str] = []  # JavaScript that may read a key at import time

    def noting(items: Iterable[Item]) -> Iterator[Item]:
        for item in items:
            if isinstance(item, File) and item.path.endswith(_JAVASCRIPT):
                loaded = item.load()  # read here: whether it registers a key at import time
                assert not isinstance(loaded, Screened)  # none without a screen
                item = loaded
            if (
                isinstance(item, Fragment)
                and item.path.endswith(_JAVASCRIPT)
                and javascript.registers(item.text)
            ):
                registering.append(item.path)
            yield item

    result = scan(noting(read_files(target, DEFAULT_MAX_FILE_SIZE)), ruleset)
    findings = tuple(f for f in result.findings if f.kind in SECRET_KINDS)
    paths = sorted(
        {f.path for f in findings if _patcher(f.path) and not is_template(f.path)}
        | set(registering)
    )
    texts = tuple((p, text) for p in paths if (text := _read_exact(target.root / p)) is not None)
    example = _read_env_example(target.root) if texts else None
    if example is not None and all(f.path != ENV_EXAMPLE for f in findings):
        # Its last lines are context in the diff: know its keys even when PATHs exclude it.
        fragment = Fragment(ENV_EXAMPLE, example.removeprefix(_BOM))
        found = scan([fragment], ruleset).findings
        findings += tuple(f for f in found if f.kind in SECRET_KINDS)
    unreadable = tuple((u.path, u.error) for u in result.stats.unreadable)
    return Gathered(findings, texts, example, unreadable)


def _patcher(path: str) -> Patcher | None:
    return _PATCHERS.get(PurePosixPath(path).suffix.lower())


def _read_exact(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _read_env_example(root: Path) -> str | None:
    path = root / ENV_EXAMPLE
    if not os.path.lexists(path):
        return None
    if path.is_symlink() or not path.is_file():
        raise UsageError(f"{path} is not a regular file; fix secrets will not write through it")
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path} as UTF-8 text: {exc}") from None


def plan(gathered: Gathered) -> SecretsPlan:
    """Pure: the edits for every patchable finding, and why the others are left alone."""
    texts = dict(gathered.texts)
    by_path: dict[str, list[Finding]] = {}
    for finding in gathered.findings:
        by_path.setdefault(finding.path, []).append(finding)
    changes: list[Change] = []
    skipped = [Skip(path, None, f"not read: {error}") for path, error in gathered.unreadable]
    used: list[str] = []  # one variable per key replaced
    # Objects whose keys become getters: other modules' JwtModule.register reads them too.
    lazy: frozenset[str] = frozenset()
    for path, findings in by_path.items():
        if _unsupported(path, texts) is None:
            lazy |= _patch(path, texts[path], findings, frozenset())[1].lazy
    for path in sorted(set(by_path) | set(texts)):
        findings = by_path.get(path, [])
        reason = _unsupported(path, texts)
        if reason is not None:
            skipped += [Skip(path, f.line, reason) for f in findings]
            continue
        change, file_skips, file_variables = _plan_file(path, texts[path], findings, lazy)
        skipped += file_skips
        changes += [change] if change else []
        used += file_variables
    variables = tuple(dict.fromkeys(used))
    example = _env_example(gathered.env_example, variables, by_path.get(ENV_EXAMPLE, []))
    changes += [example] if example else []
    return SecretsPlan(tuple(changes), tuple(skipped), variables, len(used))


def _unsupported(path: str, texts: dict[str, str]) -> str | None:
    if is_template(path):
        return "a template or documentation file; edit it by hand"
    if _patcher(path) is None:
        return "only JavaScript, TypeScript and Python are patched; move this key by hand"
    if path not in texts:
        return "not readable as UTF-8 text; move this key by hand"
    return None


def _patch(
    path: str, text: str, findings: Sequence[Finding], lazy: frozenset[str]
) -> tuple[list[tuple[int, int] | None], Patched, list[Secret | Refused]]:
    """The secrets' spans in ``text`` (BOM removed), the patch, and what was located."""
    body = text.removeprefix(_BOM)
    spans = _spans(body, findings)
    located = [_locate(body, f, span) for f, span in zip(findings, spans, strict=True)]
    patcher = _PATCHERS[PurePosixPath(path).suffix.lower()]
    return spans, patcher(path, body, [s for s in located if isinstance(s, Secret)], lazy), located


def _plan_file(
    path: str, text: str, findings: Sequence[Finding], lazy: frozenset[str]
) -> tuple[Change | None, list[Skip], list[str]]:
    body = text.removeprefix(_BOM)
    spans, patched, located = _patch(path, text, findings, lazy)
    answers = iter(patched.patches)
    patches = [next(answers) if isinstance(s, Secret) else s for s in located]
    skips = [
        Skip(path, f.line, o.reason)
        for f, o in zip(findings, patches, strict=True)
        if isinstance(o, Refused)
    ]
    replaced = [o for o in patches if isinstance(o, Replaced)]
    if not replaced and not patched.deferred:
        return None, skips, []
    edits = [o.edit for o in replaced] + ([patched.header] if patched.header else [])
    edits += patched.deferred
    left = [s for s, o in zip(spans, patches, strict=True) if s and isinstance(o, Refused)]
    bom = len(text) - len(body)
    change = Change(
        path,
        text,
        text[:bom] + apply_edits(body, edits),
        tuple(_moved(s, bom) for s in spans if s),
        tuple(_moved((shift(a, edits), shift(b, edits)), bom) for a, b in left),
    )
    return change, skips, [o.variable for o in replaced]


def _spans(body: str, findings: Sequence[Finding]) -> list[tuple[int, int] | None]:
    """Each secret's offsets in ``body``; None where the position no longer holds the secret."""
    lines = Lines(body, ANY_NEWLINE)  # lines as the scanner counts them
    spans: list[tuple[int, int] | None] = []
    for f in findings:
        if f.line and f.column and f.end_line and f.end_column and lines.has(f.end_line):
            start = lines.offset(f.line, f.column)
            end = lines.offset(f.end_line, f.end_column)
            spans.append((start, end) if body[start:end] == f.secret else None)
        else:
            spans.append(None)
    return spans


def _locate(body: str, finding: Finding, span: tuple[int, int] | None) -> Secret | Refused:
    if span is None:
        return Refused("the file changed since it was scanned; run the command again")
    if finding.line != finding.end_line:
        return Refused("a multi-line key; move it by hand")
    # The finding's own variable: its fix, code and command name the same one.
    return Secret(span[0], span[1], finding.remediation.variable or "JWT_SECRET")


def _moved(span: tuple[int, int], by: int) -> tuple[int, int]:
    return span[0] + by, span[1] + by


def _env_example(
    current: str | None, variables: Sequence[str], findings: Sequence[Finding]
) -> Change | None:
    """Append the new variables, names only, to ``.env.example`` (created when missing)."""
    text = current or ""
    present = set(env_names(text))
    missing = [v for v in variables if v not in present]
    if not missing:
        return None
    newline = newline_of(text)
    separator = newline if text and not text.endswith("\n") else ""
    after = text + separator + "".join(f"{name}={newline}" for name in missing)
    body = text.removeprefix(_BOM)
    bom = len(text) - len(body)
    hidden = tuple(_moved(s, bom) for s in _spans(body, findings) if s)
    return Change(ENV_EXAMPLE, current, after, hidden, hidden)


def render(secrets_plan: SecretsPlan, *, show_secrets: bool) -> str:
    """The plan as a git-style unified diff; secrets masked unless ``show_secrets``."""
    return "".join(_file_diff(change, show_secrets) for change in secrets_plan.changes)


def _file_diff(change: Change, show_secrets: bool) -> str:
    before, after = change.before or "", change.after
    if not show_secrets:
        before, after = _mask(before, change.hidden_before), _mask(after, change.hidden_after)
    old, new = _quote(f"a/{change.path}"), _quote(f"b/{change.path}")
    header = f"diff --git {old} {new}\n"
    if change.before is None:
        header += "new file mode 100644\n"
        old = "/dev/null"
    lines = difflib.unified_diff(_lines(before), _lines(after), old, new)
    return header + "".join(_terminated(line) for line in lines)


def _mask(text: str, spans: Sequence[tuple[int, int]]) -> str:
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + redact(text[start:end]) + text[end:]
    return text


def _lines(text: str) -> list[str]:
    """Lines with their endings, split at ``\\n`` only (as git does, unlike ``splitlines``)."""
    lines = text.split("\n")
    return [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


def _terminated(line: str) -> str:
    return line if line.endswith("\n") else f"{line}\n\\ No newline at end of file\n"


def _quote(name: str) -> str:
    """Git's C-style quoting for names with quotes, backslashes or control characters."""
    if not any(char in '"\\' or ord(char) < 32 or ord(char) == 127 for char in name):
        return name
    escaped = name.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(c if ord(c) >= 32 and ord(c) != 127 else f"\\{ord(c):03o}" for c in escaped)
    return f'"{escaped}"'


def apply(root: Path, secrets_plan: SecretsPlan) -> None:
    """Write every change atomically, or nothing when a file changed since it was read."""
    for change in secrets_plan.changes:
        path = root / change.path
        current = path.read_bytes() if os.path.lexists(path) else None
        expected = None if change.before is None else change.before.encode("utf-8")
        if current != expected:
            raise ScannerError(
                f"{change.path} changed since jwtscan read it; nothing was written. "
                "Run the command again"
            )
    staged: list[Staged] = []
    try:
        staged.extend(stage(root / c.path, c.after, root=root) for c in secrets_plan.changes)
    except ScannerError:
        for written in staged:
            discard(written)
        raise
    for written in staged:
        commit(written)


def summary(secrets_plan: SecretsPlan, *, applied: bool, show_secrets: bool) -> str:
    """What happened and what to do next, in one message for stderr."""
    if not secrets_plan.changes:
        left = " automatically (see above)" if secrets_plan.skipped else ""
        return f"nothing to fix{left}"
    names = ", ".join(secrets_plan.variables)
    if applied:
        return (
            f"moved {secrets_plan.fixed} key(s) to the environment ({names}; listed in "
            f"{ENV_EXAMPLE}). Set them in .env (jwtscan generate --env-file .env --name "
            f"{secrets_plan.variables[0]}), commit, and rotate the old keys: they stay in the "
            "git history"
        )
    if show_secrets:
        return (
            "nothing written: apply this diff with 'git apply' from the repository root, or "
            "run again with --apply"
        )
    return (
        "nothing written. This diff hides the keys, so it is for review only ('git apply' "
        "rejects it): run again with --apply to make the changes, or with --show-secrets for "
        "a diff that 'git apply' accepts"
    )
