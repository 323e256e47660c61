"""One scan, whatever the mode: settings, source, detection, analyses across findings, filters."""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from scanner.config import Config, config_in, load_config, unused_configs
from scanner.detect.driver import preload, scan
from scanner.detect.loader import load_ruleset
from scanner.errors import GitError, UsageError
from scanner.filters import allow
from scanner.findings import (
    CONTEXTS,
    Finding,
    ScanResult,
    Severity,
    Sink,
    in_order,
    severity_rank,
)
from scanner.sources import commits, git
from scanner.sources.content import DEFAULT_MAX_FILE_SIZE, Item
from scanner.sources.skips import account, judge_skips

if TYPE_CHECKING:
    from scanner.detect.engine import Ruleset
    from scanner.detect.weak import WeakKeys
    from scanner.filters.baseline import Entry
    from scanner.pinned import Pinned
    from scanner.sources import folders

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

    # The staged changes when the caller has read them already (the hook, choosing its mode):
    # read once, not twice.
    changes: tuple[git.FileChange, ...] | None = None


@dataclass(frozen=True, slots=True)
class Range:
    """Commits selected by ``git log`` revision arguments."""

    revisions: tuple[str, ...]
    # An empty range judged nothing: no verdict (exit 2), unless the caller knows that no
    # commit is a valid answer (a pre-push that rewinds a branch pushes none).
    may_be_empty: bool = False


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
    group: bool = True  # one finding per value; False: one per place (what a baseline records)
    fail_on: Severity | None = None
    strict: bool = False  # every context blocks, not only app and config
    jobs: int | None = None  # processes judging texts; default: every core for tree and history
    profile_rules: int | None = None  # print the N costliest rules and files to stderr


@dataclass(frozen=True, slots=True)
class RunResult:
    result: ScanResult
    fail_on: Severity
    unused_baseline: tuple[Entry, ...] = ()
    baselined: int = 0  # findings hidden because the baseline knows them
    notes: tuple[str, ...] = ()  # things the user should know, e.g. a file not judged
    settings_changed: tuple[str, ...] = ()  # a range: settings files it changes (to review)

    @property
    def failing(self) -> tuple[Finding, ...]:
        """Blocking findings at or above the severity that fails the run."""
        floor = severity_rank(self.fail_on)
        return tuple(
            f for f in self.result.findings if f.blocking and severity_rank(f.severity) >= floor
        )


def settings(options: ScanOptions, repo: git.Repository | None = None) -> Config:
    """The configuration that applies: ``--config``, else the repository root's (``repo``'s
    when the caller has opened it: one git call fewer on the hook's path)."""
    return _settings(options, repo)[0]


def _settings(options: ScanOptions, repo: git.Repository | None) -> tuple[Config, tuple[str, ...]]:
    """The configuration, and notes on configuration files that are not used."""
    start = _start(options)
    root = repo.work_tree if repo is not None else git.toplevel(start)
    if options.config is not None:
        if not options.config.is_file():
            raise UsageError(f"{options.config}: no such configuration file")
        return load_config(options.config, root), ()
    if root is None:  # a folder outside git, or a bare repository: its own file, if any
        return load_config(config_in(start if start.is_dir() else start.parent)), ()
    notes = tuple(
        f"{unused}: not used; the configuration is the repository root's (one per repository, "
        "so results do not depend on where jwtscan runs): move these settings there, with "
        "paths relative to the root"
        for unused in unused_configs(start, root)
    )
    return load_config(config_in(root), root), notes


def _start(options: ScanOptions) -> Path:
    """Where the scan is about: its PATH (a repository for git modes), else the current folder."""
    start = options.paths[0] if options.paths else Path.cwd()
    return (start if start.exists() else Path.cwd()).resolve()


def run(options: ScanOptions) -> RunResult:
    """Scan as ``options`` say, with the configuration applied and the baseline subtracted."""
    with git.remembered():
        return _checked_run(options)


def _checked_run(options: ScanOptions) -> RunResult:
    _check(options)
    repo = _repository(options)
    if not isinstance(options.mode, Range):
        return _run(options, repo, *_settings(options, repo))
    assert repo is not None
    if git.check_range(repo, options.mode.revisions) == 0 and not options.mode.may_be_empty:
        raise UsageError(
            f"the range {' '.join(options.mode.revisions)} has no commits, so nothing was "
            "judged (exit 2). Check its base and head (in CI, the event's variables: an empty "
            "or stale base gives an empty range); a branch that adds no commit has nothing to scan"
        )
    import tempfile

    with tempfile.TemporaryDirectory(prefix="jwtscan-") as scratch:
        pinned, options = _pinned(repo, options, Path(scratch))
        if options.config is not None:  # outside the repository: the range cannot change it
            config = load_config(options.config, repo.work_tree)
        else:
            config = pinned.config
        config, options, missing = _without_new_baselines(config, options, pinned.folder)
        outcome = _run(options, repo, config, (*_changed_notes(pinned), *missing))
        return dataclasses.replace(outcome, settings_changed=pinned.changed)


def _without_new_baselines(
    config: Config, options: ScanOptions, folder: Path
) -> tuple[Config, ScanOptions, tuple[str, ...]]:
    """A baseline the base commit does not have is not used (the range is judged without
    one: the strictest); the run says so."""
    notes: list[str] = []

    def kept(path: Path | None) -> Path | None:
        if path is None or not path.is_relative_to(folder) or path.exists():
            return path
        name = path.relative_to(folder).as_posix()
        notes.append(f"the baseline {name} is not in the base commit: none used")
        return None

    config = dataclasses.replace(config, baseline=kept(config.baseline))
    options = dataclasses.replace(options, baseline=kept(options.baseline))
    return config, options, tuple(notes)


def _run(
    options: ScanOptions, repo: git.Repository | None, config: Config, notes: tuple[str, ...]
) -> RunResult:
    if isinstance(options.mode, Staged) and options.mode.changes is None and repo is not None:
        # The hook's git diff runs while the rules load (each takes a few milliseconds).
        staged = repo
        changes = git.started(lambda: tuple(git.staged_files(staged, index_file())))
    else:
        changes = None
    exclude = (*config.exclude, *options.exclude)
    planned = None
    if isinstance(options.mode, Worktree):
        # The files are listed (git ls-files, 20-30 ms for 6,000 files) while the rules load.
        from scanner.sources import folders

        paths = options.paths
        planned = git.started(lambda: folders.plan(paths, exclude))
    ruleset = load_ruleset(
        (*config.rules, *options.rules),
        (*config.wordlists, *options.wordlists),
        accelerated=not isinstance(options.mode, Staged),  # a commit is a few files
        versions=isinstance(options.mode, (Range, History)),
    )
    disabled = frozenset(config.disable)
    unknown = disabled - {r.id for r in ruleset.rules} - BUILTIN_CHECKS.keys()
    if unknown:
        raise UsageError(f"{config.source}: 'disable' names unknown rule id(s) {sorted(unknown)}")
    ruleset = ruleset.without(disabled)
    size = options.max_file_size or config.max_file_size or DEFAULT_MAX_FILE_SIZE
    bulk = isinstance(options.mode, (Worktree, History))
    jobs = options.jobs or ((os.cpu_count() or 1) if bulk else 1)
    if planned is not None and jobs > 1:
        preload()
    if changes is not None:
        options = dataclasses.replace(options, mode=Staged(changes()))
    # A history audit reads HEAD's tree once, if at all: for its .env files and its findings.
    head_tree = None if repo is None else cache(partial(git.head_tree, repo))
    items, source_notes = _source(options, repo, exclude, size, head_tree, planned)
    notes += source_notes
    seen: set[str] = set()
    items = _recorded(items, seen)
    if options.progress:
        from scanner.sources.progress import with_progress

        items = with_progress(items)
    profile = None
    if options.profile_rules is not None:
        from scanner.detect.profile import Profile

        profile = Profile(top=max(1, options.profile_rules))
    # History judges each blob once, in no one commit's tree: no cross-file step (README).
    sinks = not isinstance(options.mode, History)
    result = scan(
        items,
        ruleset,
        workers=jobs,
        sinks=sinks,
        profile=profile,
        by_size=isinstance(options.mode, Worktree),
    )
    if profile is not None:
        profile.write(sys.stderr)
    if result.sinks:
        result = _resolved_across_files(result, ruleset, options, repo, seen, exclude, jobs)
    if isinstance(options.mode, (Staged, Range)):
        assert repo is not None
        revisions = options.mode.revisions if isinstance(options.mode, Range) else None
        result, skip_notes = judge_skips(result, repo, revisions, index_file())
        notes += skip_notes
    if isinstance(options.mode, Range):
        assert repo is not None
        result, lost_notes = account(result, repo, options.mode.revisions, seen, exclude)
        notes += lost_notes
    findings = analyse(
        result.findings, ruleset.weak, crack=options.crack, show_secrets=options.show_secrets
    )
    if isinstance(options.mode, History):
        from scanner.analyse.history import attribute, stale_keys

        assert head_tree is not None
        findings = attribute(findings, head_tree)
        max_age = options.max_key_age if options.max_key_age is not None else config.max_key_age
        if max_age is not None:
            findings = (*findings, *stale_keys(findings, max_age))
    if findings:  # imported only now: a clean hook run never needs it
        from scanner.analyse.blocking import mark_blocking

        findings = mark_blocking(findings, CONTEXTS if options.strict else config.fail_contexts)
    findings = allow.kept(findings, disabled, config.allow)
    unused: tuple[Entry, ...] = ()
    hidden = 0
    baseline_path = options.baseline or config.baseline
    if baseline_path is not None and options.use_baseline:
        from scanner.filters import baseline

        root = repo.work_tree if repo is not None else git.toplevel(Path.cwd())
        subtracted = baseline.subtract(baseline_path, findings, root)
        findings, hidden, unused = subtracted.findings, subtracted.hidden, subtracted.unused
        notes += subtracted.notes
    if findings and options.group and not isinstance(options.mode, History):
        # Last: every place was judged, allowed or baselined on its own. A history audit
        # groups its own way (by rule, attributed to the first commit).
        from scanner.analyse.repeats import group_repeats

        findings = group_repeats(findings)
    fail_on = options.fail_on or config.fail_on
    result = dataclasses.replace(result, findings=findings)
    return RunResult(result, fail_on, unused, hidden, notes)


def _resolved_across_files(
    result: ScanResult,
    ruleset: Ruleset,
    options: ScanOptions,
    repo: git.Repository | None,
    seen: set[str],
    exclude: tuple[str, ...],
    jobs: int,
) -> ScanResult:
    """Sinks' references to names of other modules resolved to their literals, read from the
    state the scan judged: the working tree, the index, or each sink's commit (a search of a
    working tree's files in ``jobs`` processes)."""
    from scanner.analyse import crossfile

    trees: dict[str | None, crossfile.Tree] = {}

    def tree_of(sink: Sink) -> crossfile.Tree:
        if isinstance(options.mode, Worktree):
            if None not in trees:
                start = _start(options)
                root = git.toplevel(start) or (start if start.is_dir() else start.parent)
                trees[None] = crossfile.FolderTree(root, sorted(seen), jobs)
            return trees[None]
        assert repo is not None
        revision = sink.commit.sha if isinstance(options.mode, Range) and sink.commit else None
        if revision not in trees:
            trees[revision] = crossfile.GitTree(repo.cwd, revision, index_file())
        return trees[revision]

    findings = crossfile.resolve(result.findings, result.sinks, ruleset, tree_of, exclude)
    return dataclasses.replace(result, findings=findings)


def analyse(
    findings: tuple[Finding, ...], weak: WeakKeys, *, crack: bool = True, show_secrets: bool = False
) -> tuple[Finding, ...]:
    """The analyses across findings, in report order: tokens signed by a key found or a weak
    key (``crack``), and one key in several environments or purposes."""
    if not findings:  # imported only now: a clean hook run never needs them
        return findings
    from scanner.analyse.forgery import crack_tokens
    from scanner.analyse.reuse import find_reuse

    if crack:
        findings = crack_tokens(findings, weak, show_secrets=show_secrets)
    return in_order((*findings, *find_reuse(findings)))


def _check(options: ScanOptions) -> None:
    mode = options.mode
    if len(options.paths) > 1 and not isinstance(mode, Worktree):
        raise UsageError(
            "with --staged, --range or --history, one PATH names the repository to scan"
        )
    if options.all_lines and not isinstance(mode, Staged):
        raise UsageError("--all-lines goes with --staged")
    if (options.refs or options.max_key_age is not None) and not isinstance(mode, History):
        raise UsageError("--ref and --max-key-age go with --history")


def _repository(options: ScanOptions) -> git.Repository | None:
    """The repository a git mode reads (its PATH, else the current folder's); None for a tree
    scan, which refuses a bare repository or a git folder (there is no working tree to read)."""
    if not isinstance(options.mode, Worktree):
        where = options.paths[0] if options.paths else Path.cwd()
        if not where.exists():
            raise UsageError(f"{where}: no such file or directory")
        return git.open_repository(where)
    start = _start(options)
    if git.toplevel(start) is not None:
        return None
    try:
        bare = git.open_repository(start).work_tree is None
    except GitError:
        return None  # a plain folder
    if bare:
        raise UsageError(
            f"{start} has no working tree (a bare repository or a .git folder): "
            "use --history to audit every commit, or scan a checkout"
        )
    return None


def _pinned(
    repo: git.Repository, options: ScanOptions, scratch: Path
) -> tuple[Pinned, ScanOptions]:
    """The settings of a range, from its base commit whatever the range does to them: the
    configuration and the files it names, and the files the command line names inside the
    repository (``--config``, ``--baseline``, ``--rules``, ``--wordlist``); ``options`` with
    those read from the base."""
    from scanner.pinned import pinned_settings
    from scanner.sources.ci import base_and_head

    assert isinstance(options.mode, Range)

    def inside(path: Path) -> str | None:
        if repo.work_tree is None or not path.resolve().is_relative_to(repo.work_tree):
            return None
        return path.resolve().relative_to(repo.work_tree).as_posix()

    files = (options.baseline, *options.rules, *options.wordlists)
    named = [name for path in files if path is not None and (name := inside(path))]
    config = inside(options.config) if options.config is not None else None
    base, head = base_and_head(repo, options.mode.revisions)
    pinned = pinned_settings(repo, base, head, scratch, config=config, named=named)

    def pin(path: Path) -> Path:
        name = inside(path)
        return path if name is None else pinned.folder / name

    return pinned, dataclasses.replace(
        options,
        config=None if config is not None else options.config,
        baseline=None if options.baseline is None else pin(options.baseline),
        rules=tuple(map(pin, options.rules)),
        wordlists=tuple(map(pin, options.wordlists)),
    )


def _changed_notes(pinned: Pinned) -> tuple[str, ...]:
    if not pinned.changed:
        return ()
    return (
        f"review: the range changes jwtscan's settings ({', '.join(pinned.changed)}); this run "
        "used them as the base commit has them, so a change cannot switch its own check off. "
        "The change applies once merged: review it like code.",
    )


def _recorded(items: Iterable[Item], seen: set[str]) -> Iterator[Item]:
    for item in items:
        seen.add(item.path)
        yield item


def _source(
    options: ScanOptions,
    repo: git.Repository | None,
    exclude: tuple[str, ...],
    size: int,
    head_tree: Callable[[], Mapping[str, str]] | None,
    planned: Callable[[], folders.Folder] | None = None,
) -> tuple[Iterable[Item], tuple[str, ...]]:
    """What the scan judges; ``planned``: a tree scan's files, listed already."""
    match options.mode:
        case Worktree():
            from scanner.sources import folders

            folder = folders.plan(options.paths, exclude) if planned is None else planned()
            notes = tuple(
                f"{w} is ignored by git: scanned every file under it" for w in folder.target.walked
            )
            notes += tuple(
                f"{name}/ is a repository: judged by its own git state" for name in folder.nested
            )
            return folders.read(folder, exclude, size), notes
        case Staged(changes):
            assert repo is not None
            items = commits.staged(
                repo,
                changes=changes,
                index_file=index_file(),
                all_lines=options.all_lines,
                max_file_size=size,
                exclude=exclude,
            )
            return items, ()
        case Range(revisions, _):
            assert repo is not None
            items = commits.commit_range(repo, revisions, max_file_size=size, exclude=exclude)
            return items, ()
        case History():
            assert repo is not None
            assert head_tree is not None
            items = commits.history(
                repo, options.refs, max_file_size=size, exclude=exclude, head_tree=head_tree
            )
            return items, ()
        case _:
            _unreachable(options.mode)


def _unreachable(value: NoReturn) -> NoReturn:
    """typing.assert_never, which Python 3.10 lacks."""
    raise AssertionError(f"unhandled {value!r}")


def index_file() -> str | None:
    """The index git set for this commit (``commit -a``, ``commit <paths>``), made absolute."""
    index = os.environ.get("GIT_INDEX_FILE")
    return os.path.abspath(index) if index else None
