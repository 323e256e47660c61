"""Command line: the only place that prints verdicts and picks exit codes."""

from __future__ import annotations

import argparse
import dataclasses
import os
import shlex
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from scanner import __version__
from scanner.errors import ScannerError, UsageError

if TYPE_CHECKING:
    from scanner.keygen import KeyFormat
    from scanner.scan import ScanResult

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so usage errors go through ``main``."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="jwtscan", description=__doc__)
    parser.add_argument("--version", action="version", version=f"jwtscan {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    scan = commands.add_parser(
        "scan", help="scan the working tree, staged changes, a range or history"
    )
    scan.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    mode = scan.add_mutually_exclusive_group()
    mode.add_argument("--staged", action="store_true", help="the staged changes (from the index)")
    mode.add_argument(
        "--range",
        metavar="BASE..HEAD",
        help="lines added by the commits of a range; 'auto' reads the CI's variables",
    )
    mode.add_argument("--since", metavar="REF", help="the same as --range REF..HEAD")
    mode.add_argument("--history", action="store_true", help="every blob in the history, once")
    scan.add_argument(
        "--all-lines",
        action="store_true",
        help="with --staged: judge whole staged files, not only added lines",
    )
    scan.add_argument(
        "--ref",
        action="append",
        default=[],
        metavar="REF",
        help="with --history: only what these refs reach (default: all refs)",
    )
    scan.add_argument("--quiet", action="store_true", help="no progress display")
    scan.add_argument(
        "--max-key-age",
        type=int,
        metavar="DAYS",
        help="with --history: report keys still in HEAD that are older (stale-key)",
    )
    scan.add_argument(
        "--no-crack",
        action="store_true",
        help="do not try tokens against the keys found and the weak-key dictionary",
    )
    scan.add_argument("--format", choices=("text", "json"), default="text")
    scan.add_argument("--output", type=Path, metavar="FILE", help="write the report here")
    scan.add_argument("--show-secrets", action="store_true", help="print secrets unredacted")
    scan.add_argument(
        "--max-file-size",
        type=_size,
        default=None,
        metavar="BYTES",
        help="skip (and report) larger files; default 5M",
    )
    scan.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="gitignore-style glob of paths not to scan (repeatable)",
    )
    scan.add_argument("--no-color", action="store_true", help="never colour the text report")
    _add_rule_options(scan)

    hook = commands.add_parser("hook", help="pre-commit hook: scan the lines being committed")
    hook.add_argument("filenames", nargs="*", help="ignored: the staged set is read from the index")
    hook.add_argument("--all-lines", action="store_true", help="judge whole staged files")
    _add_rule_options(hook)

    token = commands.add_parser("token", help="decode one JWT and check it offline")
    token.add_argument("token", nargs="?", help="the token (default: read from standard input)")
    token.add_argument(
        "--wordlist",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="extra keys to try, one per line (repeatable)",
    )
    token.add_argument("--show-secrets", action="store_true", help="print the key when found")

    generate = commands.add_parser("generate", help="print a new key, or write it to an env file")
    generate.add_argument("--bytes", type=int, default=64, help="random bytes (default 64)")
    generate.add_argument("--format", choices=("hex", "base64", "base64url"), default="hex")
    generate.add_argument(
        "--env-file",
        type=Path,
        metavar="FILE",
        help="write NAME=KEY into this env file instead of printing the key",
    )
    generate.add_argument("--name", default="JWT_SECRET", help="the variable (default JWT_SECRET)")
    generate.add_argument(
        "--force",
        action="store_true",
        help="allow short keys, or an env file git tracks or does not ignore",
    )

    fix = commands.add_parser("fix", help="show (and with --apply, make) the fix")
    fixes = fix.add_subparsers(dest="target", required=True, parser_class=_Parser)
    fix_env = fixes.add_parser("env", help="ignore, untrack and template .env files")
    fix_env.add_argument("--apply", action="store_true", help="make the changes shown")

    install = commands.add_parser("install-hook", help="install a git pre-commit hook")
    install.add_argument("--force", action="store_true", help="replace an existing hook")

    rules = commands.add_parser("rules", help="list the rules, or test a rule file's examples")
    actions = rules.add_subparsers(dest="action", required=True, parser_class=_Parser)
    listing = actions.add_parser("list", help="show every rule")
    _add_rule_options(listing)
    testing = actions.add_parser("test", help="run the examples of rule files")
    testing.add_argument("files", nargs="+", type=Path, metavar="PATH")
    return parser


def _add_rule_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--rules",
        action="append",
        default=[],
        type=Path,
        metavar="PATH",
        help="extra rule file or folder (repeatable)",
    )
    parser.add_argument(
        "--wordlist",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="extra weak keys, one per line (repeatable)",
    )


def _size(text: str) -> int:
    units = {"k": 1024, "m": 1024**2, "g": 1024**3}
    suffix = text[-1:].lower()
    try:
        value = int(text[:-1]) * units[suffix] if suffix in units else int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (use 500000, 512k or 5M)") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("the size must be positive")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Run jwtscan; returns 0 clean, 1 findings, 2 no verdict, 130 interrupted."""
    try:
        args = _parser().parse_args(argv)
        match args.command:
            case "scan":
                return scan_command(
                    paths=args.paths,
                    mode=_mode(args),
                    all_lines=args.all_lines,
                    refs=args.ref,
                    progress=not args.quiet and sys.stderr.isatty(),
                    crack=not args.no_crack,
                    max_key_age=args.max_key_age,
                    output_format=args.format,
                    output=args.output,
                    show_secrets=args.show_secrets,
                    max_file_size=args.max_file_size,
                    exclude=args.exclude,
                    rules=args.rules,
                    wordlists=args.wordlist,
                    color=_color(args.no_color, args.output),
                )
            case "hook":
                return hook_command(args.all_lines, args.rules, args.wordlist)
            case "token":
                return token_command(args.token, args.wordlist, args.show_secrets)
            case "generate":
                return generate_command(
                    args.bytes, args.format, args.env_file, args.name, args.force
                )
            case "fix":
                return fix_env_command(args.apply)
            case "install-hook":
                return install_hook_command(args.force)
            case "rules" if args.action == "list":
                return rules_list_command(args.rules, args.wordlist)
            case "rules":
                return rules_test_command(args.files)
        raise UsageError(f"unknown command {args.command}")
    except KeyboardInterrupt:
        print("jwtscan: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except ScannerError as exc:
        print(f"jwtscan: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else EXIT_CLEAN
    except Exception as exc:
        where = exc.__traceback__
        while where is not None and where.tb_next is not None:
            where = where.tb_next
        location = f" at {where.tb_frame.f_code.co_filename}:{where.tb_lineno}" if where else ""
        print(
            f"jwtscan: internal error {type(exc).__name__}{location}; no verdict (exit 2). "
            "Please report it.",
            file=sys.stderr,
        )
        return EXIT_ERROR


def _color(no_color: bool, output: Path | None) -> bool:
    return not no_color and output is None and "NO_COLOR" not in os.environ and sys.stdout.isatty()


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


def _mode(args: argparse.Namespace) -> Mode:
    if args.staged:
        return Staged()
    if args.history:
        return History()
    if args.range == "auto":
        from scanner.ci import auto_range

        return Range(tuple(auto_range(os.environ)))
    if args.range:
        if ".." not in args.range:
            raise UsageError(f"--range wants BASE..HEAD, not {args.range!r}")
        return Range((args.range,))
    if args.since:
        return Range((f"{args.since}..HEAD",))
    return Worktree()


def scan_command(
    *,
    paths: Sequence[Path],
    mode: Mode,
    all_lines: bool,
    refs: Sequence[str],
    progress: bool,
    crack: bool,
    max_key_age: int | None,
    output_format: str,
    output: Path | None,
    show_secrets: bool,
    max_file_size: int | None,
    exclude: Sequence[str],
    rules: Sequence[Path],
    wordlists: Sequence[Path],
    color: bool,
) -> int:
    from scanner import git, sources
    from scanner.history import attribute, stale_keys
    from scanner.loader import load_ruleset
    from scanner.progress import with_progress
    from scanner.report import ReportOptions, render
    from scanner.scan import scan

    if paths and not isinstance(mode, Worktree):
        raise UsageError("PATH arguments go with a working-tree scan only")
    if all_lines and not isinstance(mode, Staged):
        raise UsageError("--all-lines goes with --staged")
    if (refs or max_key_age is not None) and not isinstance(mode, History):
        raise UsageError("--ref and --max-key-age go with --history")
    ruleset = load_ruleset(rules, wordlists)
    size = max_file_size or sources.DEFAULT_MAX_FILE_SIZE
    items: Iterable[sources.Item]
    match mode:
        case Worktree():
            items = sources.read_files(sources.resolve_target(paths, exclude), size)
        case Staged():
            repo = git.open_repository(Path.cwd())
            items = sources.staged(
                repo,
                index_file=_index_file(),
                all_lines=all_lines,
                max_file_size=size,
                exclude=exclude,
            )
        case Range(revisions):
            repo = git.open_repository(Path.cwd())
            commits = git.check_range(repo, revisions)
            if commits == 0:
                print(f"jwtscan: the range {' '.join(revisions)} has no commits", file=sys.stderr)
            items = sources.commit_range(repo, revisions, max_file_size=size, exclude=exclude)
        case History():
            repo = git.open_repository(Path.cwd())
            items = sources.history(repo, refs, max_file_size=size, exclude=exclude)
        case _:
            _unreachable(mode)
    result = scan(
        with_progress(items) if progress else items,
        ruleset,
        crack=crack,
        show_secrets=show_secrets,
    )
    if isinstance(mode, History):
        findings = attribute(result.findings, repo, refs)
        if max_key_age is not None:
            findings = (*findings, *stale_keys(findings, max_key_age))
        result = dataclasses.replace(result, findings=findings)
    report = render(output_format, result, ReportOptions(show_secrets, color))
    _emit(report, output)
    return _verdict(result)


def _unreachable(value: NoReturn) -> NoReturn:
    """typing.assert_never, which Python 3.10 lacks."""
    raise AssertionError(f"unhandled {value!r}")


def _index_file() -> str | None:
    """The index git set for this commit (``commit -a``, ``commit <paths>``), made absolute."""
    index = os.environ.get("GIT_INDEX_FILE")
    return os.path.abspath(index) if index else None


def _verdict(result: ScanResult) -> int:
    if not result.complete:
        print(
            f"jwtscan: error: {len(result.stats.unreadable)} file(s) could not be read; "
            "the scan is incomplete (exit 2)",
            file=sys.stderr,
        )
        return EXIT_ERROR
    return EXIT_FINDINGS if result.findings else EXIT_CLEAN


def hook_command(all_lines: bool, rules: Sequence[Path], wordlists: Sequence[Path]) -> int:
    """The pre-commit hook: the staged lines, a short report, exit 1 blocks the commit."""
    from scanner import git, sources
    from scanner.loader import load_ruleset
    from scanner.report import ReportOptions, render
    from scanner.scan import scan

    repo = git.open_repository(Path.cwd())
    items = sources.staged(
        repo,
        index_file=_index_file(),
        all_lines=all_lines,
        max_file_size=sources.DEFAULT_MAX_FILE_SIZE,
        exclude=(),
    )
    result = scan(items, load_ruleset(rules, wordlists))
    if result.findings or not result.complete:
        sys.stdout.write(render("text", result, ReportOptions(False, _color(False, None))))
    code = _verdict(result)
    if code == EXIT_FINDINGS:
        print(
            "jwtscan: commit blocked. Move the key out of the code and rotate it; for a false "
            "alarm, add 'jwtscan:allow' on the line.",
            file=sys.stderr,
        )
    return code


def token_command(text: str | None, wordlists: Sequence[Path], show_secrets: bool) -> int:
    """Decode a token, say when it expires, and try the weak keys on it; exit 1 if forgeable."""
    import json

    from scanner.findings import redact
    from scanner.jwt import crack, expiry, parse
    from scanner.loader import load_ruleset

    raw = text if text is not None else sys.stdin.read()
    token = parse(raw.strip().removeprefix("Bearer ").strip())
    if token is None:
        raise UsageError("not a JWT: it does not decode to a JSON header with 'alg'")
    print(f"header  {json.dumps(dict(token.header), sort_keys=True)}")
    if token.form == "jwe":
        print("payload (encrypted: JWE)")
        return EXIT_CLEAN
    print(f"claims  {json.dumps(dict(token.claims), sort_keys=True, default=str)}")
    print(f"expiry  {expiry(token.claims).words}")
    if token.malformed:
        print("verdict malformed: the payload or signature does not decode")
        return EXIT_CLEAN
    if token.unsigned:
        print("verdict UNSIGNED (alg: none): anyone can forge it; never accept such tokens")
        return EXIT_FINDINGS
    if not token.crackable:
        print(f"verdict {token.alg or 'unknown'} signature: not an HMAC key, not checked offline")
        return EXIT_CLEAN
    weak = load_ruleset((), wordlists).weak
    key = crack(token, weak.candidates)
    if key is None:
        print(f"verdict not signed with any of {len(weak.candidates):,} weak keys tried")
        return EXIT_CLEAN
    value = key.decode(errors="replace")
    shown = value if show_secrets else redact(value)
    print(f"verdict FORGEABLE: signed with the weak key {shown}; rotate it and revoke its tokens")
    return EXIT_FINDINGS


def generate_command(
    nbytes: int, form: KeyFormat, env_file: Path | None, name: str, force: bool
) -> int:
    """Print a new key, or put it in an env file that git ignores (never printing it)."""
    from scanner import git
    from scanner.keygen import new_key, write_env

    key = new_key(nbytes, form, force=force)
    if env_file is None:
        print(key)
        return EXIT_CLEAN
    root = git.toplevel(env_file.resolve().parent if env_file.parent.exists() else Path.cwd())
    if root is not None and not force:
        relative = os.path.relpath(env_file.resolve(), root)
        if git.is_tracked(root, relative):
            raise UsageError(
                f"{env_file} is tracked by git: a key written there would be committed. Untrack "
                "it first (jwtscan fix env --apply), or pass --force"
            )
        if not git.is_ignored(root, relative):
            raise UsageError(
                f"{env_file} is not ignored by git: the next 'git add .' would commit the key. "
                "Ignore it first (jwtscan fix env --apply), or pass --force"
            )
    replaced = write_env(env_file, name, key)
    action = "replaced" if replaced else "added"
    print(f"jwtscan: {action} {name} in {env_file} ({nbytes} random bytes, {form}; not shown)")
    return EXIT_CLEAN


def fix_env_command(apply: bool) -> int:
    """Show the .env plan; with ``apply``, carry it out."""
    from scanner import fixenv, git

    repo = git.open_repository(Path.cwd())
    if repo.work_tree is None:
        raise UsageError("fix env needs a work tree; this repository is bare")
    plan = fixenv.plan(repo.work_tree)
    print(fixenv.describe(plan))
    if plan.empty:
        return EXIT_CLEAN
    if not apply:
        print("(a plan only: run 'jwtscan fix env --apply' to make these changes)")
        return EXIT_CLEAN
    fixenv.apply(repo.work_tree, plan)
    print("jwtscan: done; review with 'git status' and commit")
    return EXIT_CLEAN


_HOOK = """#!/bin/sh
# Installed by 'jwtscan install-hook': block commits that add JWT signing secrets.
exec {python} -m scanner hook "$@"
"""


def install_hook_command(force: bool) -> int:
    from scanner import git

    repo = git.open_repository(Path.cwd())
    hook = git.hook_path(repo, "pre-commit")
    if hook.exists() and not force:
        raise UsageError(
            f"{hook} already exists; run the existing hook and jwtscan from it, "
            "or replace it with --force"
        )
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text(_HOOK.format(python=shlex.quote(sys.executable)), encoding="utf-8")
    hook.chmod(0o755)
    print(f"jwtscan: installed {hook}")
    return EXIT_CLEAN


def rules_list_command(rules: Sequence[Path], wordlists: Sequence[Path]) -> int:
    from scanner.loader import load_ruleset

    ruleset = load_ruleset(rules, wordlists)
    width = max(len(rule.id) for rule in ruleset.rules)
    for rule in ruleset.rules:
        summary = rule.description.splitlines()[0]
        print(f"{rule.id:<{width}}  {rule.kind:<11} {rule.severity:<8} {rule.source}  {summary}")
    print(
        f"{len(ruleset.rules)} rules; weak-key dictionary of {ruleset.weak.size} entries",
        file=sys.stderr,
    )
    return EXIT_CLEAN


def rules_test_command(files: Sequence[Path]) -> int:
    from scanner.loader import example_failures, load_rule_path, load_ruleset

    ruleset = load_ruleset()
    failed = total = 0
    for file in files:
        for rule in load_rule_path(file):
            total += 1
            failures = example_failures(rule, ruleset)
            examples = len(rule.examples) + len(rule.negative_examples)
            status = "FAIL" if failures else "ok"
            print(f"{status:<4} {rule.id} ({examples} examples) {rule.source}")
            for failure in failures:
                print(f"     - {failure}")
            failed += bool(failures)
    print(f"{total - failed} passed, {failed} failed")
    return EXIT_FINDINGS if failed else EXIT_CLEAN


def _emit(report: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(report)
        return
    try:
        output.write_text(report, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
