"""One scan, whatever the mode: settings from flags and configuration, source, scan, filters."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from scanner import git, sources
from scanner.config import Config, find_config, load_config
from scanner.errors import UsageError
from scanner.findings import Finding, Severity, normalise_secret, severity_rank
from scanner.loader import load_ruleset
from scanner.scan import ScanResult, scan

if TYPE_CHECKING:
    from scanner.baseline import Entry

# Checks that are not YAML rules: id -> (severity, summary). Their ids can be disabled like any
# rule's; 'jwtscan rules list' shows them.
BUILTIN_CHECKS: Mapping[str, tuple[Severity, str]] = {
    "env-file-tracked": ("high", "a .env-family file tracked or staged by git"),
    "env-file-unignored": ("medium", "a .env-family file git does not ignore"),
    "env-file-in-history": ("high", "a .env-family file in the history, gone from HEAD"),
    "secret-reused-across-environments": ("high", "one random key in several environments"),
    "secret-reused-across-purposes": ("medium", "one key for two purposes (JWT and sessions)"),
    "stale-key": ("medium", "with --history --max-key-age: a key in HEAD older than that"),
}
ENV_FILE_CHECKS = frozenset(k for k in BUILTIN_CHECKS if k.startswith("env-file-"))


@dataclass(frozen=True, slots=True)
class Worktree:
    """The working tree: tracked files plus untracked files that are not ignored."""


@dataclass(frozen=True, slots=True)
class Staged:
    """The index: what the next commit will contain."""


@dataclass(frozen=True, slots=True)
class Range:
    """Commits selected by ``git log`` revision arguments."""

    revisions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class History:
    """Every blob reachable from the refs."""


Mode = Worktree | Staged | Range | History


@dataclass(frozen=True, slots=True)
class ScanOptions:
    """What the command line asked for; unset values come from the configuration."""

    mode: Mode = Worktree()
    paths: tuple[Path, ...] = ()
    all_lines: bool = False
    refs: tuple[str, ...] = ()
    progress: bool = False
    crack: bool = True
    show_secrets: bool = False
    max_key_age: int | None = None
    max_file_size: int | None = None
    exclude: tuple[str, ...] = ()
    rules: tuple[Path, ...] = ()
    wordlists: tuple[Path, ...] = ()
    config: Path | None = None
    baseline: Path | None = None
    use_baseline: bool = True  # False when writing a new baseline
    fail_on: Severity | None = None
    jobs: int | None = None  # processes judging texts; default: every core for tree and history


@dataclass(frozen=True, slots=True)
class Outcome:
    result: ScanResult
    fail_on: Severity
    unused_baseline: tuple[Entry, ...] = ()
    baselined: int = 0  # findings hidden because the baseline knows them
    notes: tuple[str, ...] = ()  # things the user should know, e.g. an empty commit range

    @property
    def failing(self) -> tuple[Finding, ...]:
        """Findings at or above the severity that fails the run."""
        floor = severity_rank(self.fail_on)
        return tuple(f for f in self.result.findings if severity_rank(f.severity) >= floor)


def settings(options: ScanOptions, repo: git.Repository | None = None) -> Config:
    """The configuration that applies: ``--config``, else the nearest file up to the repo root
    (``repo``'s when the caller has opened it: one git call fewer on the hook's path)."""
    if options.config is not None:
        if not options.config.is_file():
            raise UsageError(f"{options.config}: no such configuration file")
        return load_config(options.config)
    start = options.paths[0] if options.paths else Path.cwd()
    start = start if start.exists() else Path.cwd()
    root = repo.work_tree if repo is not None else git.toplevel(start.resolve())
    return load_config(find_config(start, root))


def run(options: ScanOptions) -> Outcome:
    """Scan as ``options`` say, with the configuration applied and the baseline subtracted."""
    _check(options)
    repo = None if isinstance(options.mode, Worktree) else git.open_repository(Path.cwd())
    config = settings(options, repo)
    ruleset = load_ruleset(
        (*config.rules, *options.rules),
        (*config.wordlists, *options.wordlists),
        accelerated=not isinstance(options.mode, Staged),  # a commit is a few files
    )
    disabled = frozenset(config.disable)
    unknown = disabled - {r.id for r in ruleset.rules} - BUILTIN_CHECKS.keys()
    if unknown:
        raise UsageError(f"{config.source}: 'disable' names unknown rule id(s) {sorted(unknown)}")
    ruleset = ruleset.without(disabled)
    exclude = (*config.exclude, *options.exclude)
    size = options.max_file_size or config.max_file_size or sources.DEFAULT_MAX_FILE_SIZE
    items, notes = _source(options, repo, exclude, size)
    bulk = isinstance(options.mode, (Worktree, History))
    jobs = options.jobs or ((os.cpu_count() or 1) if bulk else 1)
    if options.progress:
        from scanner.progress import with_progress

        items = with_progress(items)
    result = scan(
        items,
        ruleset,
        crack=options.crack,
        show_secrets=options.show_secrets,
        workers=jobs,
    )
    findings = result.findings
    if isinstance(options.mode, History):
        from scanner.history import attribute, stale_keys

        assert repo is not None
        findings = attribute(findings, repo)
        max_age = options.max_key_age if options.max_key_age is not None else config.max_key_age
        if max_age is not None:
            findings = (*findings, *stale_keys(findings, max_age))
    allowed = {normalise_secret(v) for v in config.allow}
    findings = tuple(
        f
        for f in findings
        if f.rule_id not in disabled and not (f.secret and normalise_secret(f.secret) in allowed)
    )
    unused: tuple[Entry, ...] = ()
    hidden = 0
    baseline_path = options.baseline or config.baseline
    if baseline_path is not None and options.use_baseline:
        from scanner import baseline as baselines

        known = baselines.load(baseline_path)
        kept, never_seen = known.split(findings)
        hidden = len(findings) - len(kept)
        findings = kept
        unused = tuple(sorted(never_seen, key=lambda e: (e.path, e.rule, e.hash)))
    fail_on = options.fail_on or config.fail_on
    result = dataclasses.replace(result, findings=findings)
    return Outcome(result, fail_on, unused, hidden, notes)


def _check(options: ScanOptions) -> None:
    mode = options.mode
    if options.paths and not isinstance(mode, Worktree):
        raise UsageError("PATH arguments go with a working-tree scan only")
    if options.all_lines and not isinstance(mode, Staged):
        raise UsageError("--all-lines goes with --staged")
    if (options.refs or options.max_key_age is not None) and not isinstance(mode, History):
        raise UsageError("--ref and --max-key-age go with --history")


def _source(
    options: ScanOptions, repo: git.Repository | None, exclude: tuple[str, ...], size: int
) -> tuple[Iterable[sources.Item], tuple[str, ...]]:
    match options.mode:
        case Worktree():
            target = sources.resolve_target(options.paths, exclude)
            notes = tuple(
                f"{w} is ignored by git: scanned every file under it" for w in target.walked
            )
            return sources.read_files(target, size), notes
        case Staged():
            assert repo is not None
            items = sources.staged(
                repo,
                index_file=_index_file(),
                all_lines=options.all_lines,
                max_file_size=size,
                exclude=exclude,
            )
            return items, ()
        case Range(revisions):
            assert repo is not None
            empty = git.check_range(repo, revisions) == 0
            notes = (f"the range {' '.join(revisions)} has no commits",) if empty else ()
            items = sources.commit_range(repo, revisions, max_file_size=size, exclude=exclude)
            return items, notes
        case History():
            assert repo is not None
            items = sources.history(repo, options.refs, max_file_size=size, exclude=exclude)
            return items, ()
        case _:
            _unreachable(options.mode)


def _unreachable(value: NoReturn) -> NoReturn:
    """typing.assert_never, which Python 3.10 lacks."""
    raise AssertionError(f"unhandled {value!r}")


def _index_file() -> str | None:
    """The index git set for this commit (``commit -a``, ``commit <paths>``), made absolute."""
    index = os.environ.get("GIT_INDEX_FILE")
    return os.path.abspath(index) if index else None
