"""Command line: the only place that prints verdicts and picks exit codes."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import shlex
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scanner import __version__
from scanner.errors import ScannerError, UsageError

if TYPE_CHECKING:
    from scanner.findings import Finding, Severity
    from scanner.fix.keygen import KeyFormat
    from scanner.pipeline import Mode, RunResult, ScanOptions

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout, its width read only when help is shown: argparse makes a
    formatter for every option it adds, and the default one imports shutil (and with it bz2
    and lzma) to ask the terminal's width, a measurable part of a hook run."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24) -> None:
        super().__init__(prog, indent_increment, max_help_position, width=_UNKNOWN_WIDTH)

    def format_help(self) -> str:
        import shutil

        self._width = shutil.get_terminal_size().columns - 2
        self._max_help_position = min(
            self._max_help_position, max(self._width - 20, self._indent_increment * 2)
        )
        return super().format_help()


_UNKNOWN_WIDTH = 78  # until help is shown


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so usage errors go through ``main``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    """The command line. Only the command being run gets its options: adding every command's
    is a measurable part of a hook run. Without a known command (``--help``, a typo) all do."""
    parser = _Parser(
        prog="jwtscan",
        description="Find hardcoded JWT signing secrets, weak keys and session signing keys in a "
        "git repository: the working tree, staged changes, a commit range or the whole history.",
        epilog="Exit codes: 0 no findings, 1 findings, 2 no verdict (an error), 130 interrupted. "
        "'jwtscan COMMAND --help' describes a command.",
    )
    parser.add_argument("--version", action="version", version=f"jwtscan {__version__}")
    parser.add_argument(
        "-C",
        dest="directories",
        action="append",
        default=[],
        type=Path,
        metavar="DIR",
        help="run as if jwtscan was started in DIR (like git -C; repeatable, each relative to "
        "the previous)",
    )
    # prog given: else argparse lays out a usage line (and asks the terminal its width) for it.
    commands = parser.add_subparsers(
        dest="command", required=True, parser_class=_Parser, prog=parser.prog
    )
    chosen = next(
        (a for i, a in enumerate(argv) if not a.startswith("-") and argv[i - 1 : i] != ["-C"]),
        None,
    )
    every = chosen not in {name for name, _, _ in _COMMANDS}
    for name, summary, arguments in _COMMANDS:
        command = commands.add_parser(name, help=summary)
        if every or name == chosen:
            arguments(command)
    return parser


def _scan_arguments(scan: argparse.ArgumentParser) -> None:
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
    scan.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="processes judging files (default: every core for tree and history "
        "scans, one for the hook and ranges)",
    )
    scan.add_argument(
        "--profile-rules",
        type=int,
        nargs="?",
        const=10,
        metavar="N",
        help="print to stderr the N (default 10) costliest rules and files; results unchanged",
    )
    progress = scan.add_mutually_exclusive_group()
    progress.add_argument("--quiet", action="store_true", help="no progress display")
    progress.add_argument(
        "--progress",
        action="store_true",
        help="show progress even when stderr is not a terminal (CI logs)",
    )
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
    from scanner.report import FORMATS

    scan.add_argument("--format", choices=tuple(FORMATS), default="text")
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
    scan.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="configuration file (default: the nearest .jwtscan.yaml, .jwtscan.toml "
        "or pyproject.toml [tool.jwtscan] up to the repository root)",
    )
    scan.add_argument(
        "--baseline", type=Path, metavar="FILE", help="report only findings not in this baseline"
    )
    scan.add_argument(
        "--report-unused",
        action="store_true",
        help="with a baseline: list its entries that match nothing any more",
    )
    scan.add_argument(
        "--fail-on",
        choices=("low", "medium", "high", "critical"),
        help="the lowest severity that fails the run (default: low)",
    )
    scan.add_argument(
        "--strict",
        action="store_true",
        help="findings in every context block: tests, examples, docs, vendored and generated "
        "code too (default: app and config, plus the configuration's fail-contexts)",
    )
    _add_rule_options(scan)


def _hook_arguments(hook: argparse.ArgumentParser) -> None:
    hook.add_argument(
        "filenames",
        nargs="*",
        help="files pre-commit asks about: with nothing staged "
        "(pre-commit run --all-files, --files), they are judged whole",
    )
    hook.add_argument("--all-lines", action="store_true", help="judge whole staged files")
    _add_rule_options(hook)


def _token_arguments(token: argparse.ArgumentParser) -> None:
    token.add_argument(
        "token", nargs="?", help="the token; '-' or nothing: read it from standard input"
    )
    token.add_argument(
        "--wordlist",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="extra keys to try, one per line (repeatable)",
    )
    token.add_argument("--show-secrets", action="store_true", help="print the key when found")


def _generate_arguments(generate: argparse.ArgumentParser) -> None:
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


def _fix_arguments(fix: argparse.ArgumentParser) -> None:
    fixes = fix.add_subparsers(dest="target", required=True, parser_class=_Parser)
    fix_env = fixes.add_parser("env", help="ignore, untrack and template .env files")
    fix_env.add_argument("--apply", action="store_true", help="make the changes shown")
    fix_secrets = fixes.add_parser(
        "secrets",
        help="replace hardcoded keys in JS/TS/Python with fail-fast environment lookups",
        description=(
            "Print a unified diff that replaces each hardcoded JWT key in JavaScript, TypeScript "
            "and Python with an environment lookup that fails when the variable is missing, and "
            "adds the variable names (no values) to .env.example. Nothing is written without "
            "--apply. The diff hides the keys by default, so it is for review only and 'git "
            "apply' rejects it; --show-secrets prints the exact diff, which 'git apply' accepts. "
            "Keys that cannot be patched safely are listed on stderr."
        ),
    )
    fix_secrets.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    fix_secrets.add_argument(
        "--apply", action="store_true", help="edit the files (atomically); the diff is printed"
    )
    fix_secrets.add_argument(
        "--show-secrets", action="store_true", help="print the exact diff, keys included"
    )


def _baseline_arguments(baseline: argparse.ArgumentParser) -> None:
    baseline_actions = baseline.add_subparsers(dest="action", required=True, parser_class=_Parser)
    create = baseline_actions.add_parser("create", help="write a baseline of the current findings")
    update = baseline_actions.add_parser("update", help="prune entries that match nothing any more")
    for action in (create, update):
        action.add_argument(
            "--baseline",
            type=Path,
            metavar="FILE",
            help="the baseline file (default: the configuration's, else .jwtscan-baseline.json)",
        )
        action.add_argument("--config", type=Path, metavar="FILE", help="configuration file")


def _ci_arguments(ci: argparse.ArgumentParser) -> None:
    ci.add_argument("--sarif", type=Path, metavar="FILE", help="also write a SARIF report")
    ci.add_argument(
        "--no-fetch", action="store_true", help="never fetch missing history (fail instead)"
    )
    ci.add_argument("--remote", default="origin", help="where to fetch from (default origin)")
    ci.add_argument(
        "--fail-on",
        choices=("low", "medium", "high", "critical"),
        help="the lowest severity that fails the job (default: low)",
    )
    ci.add_argument("--no-color", action="store_true", help="accepted: CI logs are never coloured")


def _install_hook_arguments(install: argparse.ArgumentParser) -> None:
    install.add_argument("--force", action="store_true", help="replace an existing hook")


def _rules_arguments(rules: argparse.ArgumentParser) -> None:
    actions = rules.add_subparsers(dest="action", required=True, parser_class=_Parser)
    listing = actions.add_parser("list", help="show every rule")
    _add_rule_options(listing)
    testing = actions.add_parser("test", help="run the examples of rule files")
    testing.add_argument("files", nargs="+", type=Path, metavar="PATH")


_COMMANDS: tuple[tuple[str, str, Callable[[argparse.ArgumentParser], None]], ...] = (
    ("scan", "scan the working tree, staged changes, a range or history", _scan_arguments),
    ("hook", "pre-commit hook: scan the lines being committed", _hook_arguments),
    ("token", "decode one JWT and check it offline", _token_arguments),
    ("generate", "print a new key, or write it to an env file", _generate_arguments),
    ("fix", "show (and with --apply, make) the fix", _fix_arguments),
    ("baseline", "record today's findings to report only new ones", _baseline_arguments),
    ("ci", "CI step: scan this event's commits (GitHub, GitLab)", _ci_arguments),
    ("install-hook", "install a git pre-commit hook", _install_hook_arguments),
    ("rules", "list the rules, or test a rule file's examples", _rules_arguments),
)


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
    from scanner.config import parse_size

    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run jwtscan; returns 0 clean, 1 findings, 2 no verdict, 130 interrupted."""
    try:
        before: str | None = os.getcwd()
    except OSError:
        before = None  # a deleted directory: nothing to come back to
    try:
        arguments = sys.argv[1:] if argv is None else list(argv)
        args = _parser(arguments).parse_args(arguments)
        _change_directory(args.directories)
        match args.command:
            case "scan":
                from scanner.pipeline import ScanOptions

                options = ScanOptions(
                    mode=_mode(args),
                    paths=tuple(args.paths),
                    all_lines=args.all_lines,
                    refs=tuple(args.ref),
                    progress=args.progress or (not args.quiet and sys.stderr.isatty()),
                    crack=not args.no_crack,
                    show_secrets=args.show_secrets,
                    max_key_age=args.max_key_age,
                    max_file_size=args.max_file_size,
                    exclude=tuple(args.exclude),
                    rules=tuple(args.rules),
                    wordlists=tuple(args.wordlist),
                    config=args.config,
                    baseline=args.baseline,
                    fail_on=args.fail_on,
                    strict=args.strict,
                    jobs=args.jobs,
                    profile_rules=args.profile_rules,
                )
                return scan_command(
                    options,
                    output_format=args.format,
                    output=args.output,
                    color=_color(args.no_color, args.output),
                    report_unused=args.report_unused,
                )
            case "hook":
                return hook_command(args.filenames, args.all_lines, args.rules, args.wordlist)
            case "token":
                return token_command(args.token, args.wordlist, args.show_secrets)
            case "generate":
                return generate_command(
                    args.bytes, args.format, args.env_file, args.name, args.force
                )
            case "fix" if args.target == "secrets":
                return fix_secrets_command(args.paths, args.apply, args.show_secrets)
            case "fix":
                return fix_env_command(args.apply)
            case "baseline":
                return baseline_command(args.action, args.baseline, args.config)
            case "ci":
                return ci_command(args.sarif, not args.no_fetch, args.remote, args.fail_on)
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
    except BrokenPipeError:
        # The reader went away (jwtscan scan | head): the report is cut short, so no verdict.
        _silence_stdout()
        print("jwtscan: the output was closed before the report was written", file=sys.stderr)
        return EXIT_ERROR
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
    finally:
        if before is not None:
            os.chdir(before)  # -C changed it; in-process callers (tests) keep theirs


def _change_directory(directories: Sequence[Path]) -> None:
    """``-C DIR``: work from DIR as git does, each relative to the previous."""
    try:
        for directory in directories:
            os.chdir(directory)
    except OSError as exc:
        raise UsageError(f"-C {exc.filename}: {exc.strerror or exc}") from None


def _say(note: str) -> None:
    """A note on stderr; the repository's text in it (file names) cannot drive the terminal."""
    from scanner.report.wording import shown

    print(f"jwtscan: {shown(note)}", file=sys.stderr)


def _silence_stdout() -> None:
    """After a closed pipe: Python would fail again flushing stdout at exit."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _color(no_color: bool, output: Path | None) -> bool:
    # https://no-color.org: only a non-empty NO_COLOR turns colour off.
    wanted = not no_color and output is None and not os.environ.get("NO_COLOR")
    return wanted and sys.stdout.isatty()


def _mode(args: argparse.Namespace) -> Mode:
    from scanner.pipeline import History, Range, Staged, Worktree

    if args.staged:
        return Staged()
    if args.history:
        return History()
    if args.range == "auto":
        from scanner.sources.ci import auto_range

        return Range(tuple(auto_range(os.environ)))
    if args.range is not None:  # even empty (an unset CI variable): never a tree scan instead
        if ".." not in args.range:
            raise UsageError(f"--range wants BASE..HEAD, not {args.range!r}")
        return Range((args.range,))
    if args.since is not None:
        return Range((f"{args.since}..HEAD",))
    return Worktree()


def scan_command(
    options: ScanOptions,
    *,
    output_format: str,
    output: Path | None,
    color: bool,
    report_unused: bool,
) -> int:
    """Scan, write the report, and say what the exit code means."""
    from scanner.pipeline import run
    from scanner.report import ReportOptions, render

    scanned = run(options)
    for note in scanned.notes:
        _say(note)
    report = render(output_format, scanned.result, ReportOptions(options.show_secrets, color))
    _emit(report, output)
    if output is not None:  # the terminal still hears the verdict
        from scanner.report.wording import summary

        print(f"jwtscan: {summary(scanned.result)}; report written to {output}", file=sys.stderr)
    _step_summary(scanned)
    _baseline_notes(scanned, report_unused)
    return _verdict(scanned)


def ci_command(sarif: Path | None, fetch: bool, remote: str, fail_on: Severity | None) -> int:
    """CI in one step: the event's range, the history it needs, a text report, SARIF if asked."""
    from scanner.pipeline import Range, ScanOptions, run
    from scanner.report import ReportOptions, render
    from scanner.sources import git
    from scanner.sources.ci import auto_range, ensure_history

    revisions = tuple(auto_range(os.environ, remote))
    print(f"jwtscan: scanning {' '.join(revisions)}", file=sys.stderr)
    if fetch:
        repo = git.open_repository(Path.cwd())
        for step in ensure_history(repo, revisions, remote):
            print(f"jwtscan: {step}", file=sys.stderr)
    scanned = run(ScanOptions(mode=Range(revisions), fail_on=fail_on))
    for note in scanned.notes:
        _say(note)
    if scanned.settings_changed and os.environ.get("GITHUB_ACTIONS") == "true":
        for path in scanned.settings_changed:
            from scanner.report.github import workflow_property

            print(
                f"::warning file={workflow_property(path)},title=jwtscan settings changed::"
                "review this change"
            )
    _emit(render("text", scanned.result, ReportOptions(False, False)), None)
    if sarif is not None:
        _emit(render("sarif", scanned.result, ReportOptions(False, False)), sarif)
    _step_summary(scanned)
    return _verdict(scanned)


def _step_summary(scanned: RunResult) -> None:
    if summary := os.environ.get("GITHUB_STEP_SUMMARY"):
        from scanner.report.markdown import append_step_summary

        try:
            append_step_summary(Path(summary), scanned.result)
        except OSError as exc:
            print(
                f"jwtscan: warning: cannot append to GITHUB_STEP_SUMMARY {summary}: "
                f"{exc.strerror or exc}",
                file=sys.stderr,
            )


def _baseline_notes(scanned: RunResult, report_unused: bool) -> None:
    if scanned.baselined:
        print(f"jwtscan: {scanned.baselined} finding(s) known to the baseline", file=sys.stderr)
    if report_unused:
        for entry in scanned.unused_baseline:
            _say(f"unused baseline entry {entry.rule} {entry.path}")
        if scanned.unused_baseline:
            print("jwtscan: prune them with 'jwtscan baseline update'", file=sys.stderr)


def _verdict(scanned: RunResult) -> int:
    result = scanned.result
    reported = [f for f in result.findings if not f.blocking]
    if reported:
        print(f"jwtscan: {_reported_only(reported)} did not fail the run", file=sys.stderr)
    below = sum(f.blocking for f in result.findings) - len(scanned.failing)
    if below:
        print(
            f"jwtscan: {below} finding(s) below the --fail-on severity ({scanned.fail_on}) "
            "did not fail the run",
            file=sys.stderr,
        )
    if not result.complete:
        print(
            f"jwtscan: error: {len(result.stats.unreadable)} file(s) could not be read; "
            "the scan is incomplete (exit 2)",
            file=sys.stderr,
        )
        return EXIT_ERROR
    return EXIT_FINDINGS if scanned.failing else EXIT_CLEAN


def _reported_only(reported: Sequence[Finding]) -> str:
    from scanner.report.wording import by_context

    return (
        f"{len(reported)} finding(s) reported only, not blocking ({by_context(reported)}: "
        "outside application code and config; --strict or fail-contexts makes them block)"
    )


def hook_command(
    filenames: Sequence[str], all_lines: bool, rules: Sequence[Path], wordlists: Sequence[Path]
) -> int:
    """The pre-commit hook: what pre-commit asks about, a short report, exit 1 blocks.

    A commit: the staged lines. ``PRE_COMMIT_FROM_REF``/``TO_REF`` (pre-push, ``pre-commit run
    --from-ref``): the commits of that range. File names with nothing staged (``pre-commit run
    --all-files`` or ``--files``, pre-commit.ci): those files, whole."""
    from scanner.pipeline import ScanOptions, run
    from scanner.sources import git

    with git.remembered():  # the repository opened to choose the mode is the scan's
        mode, paths = _hook_mode(filenames)
        options = ScanOptions(
            mode=mode,
            paths=paths,
            all_lines=all_lines,
            rules=tuple(rules),
            wordlists=tuple(wordlists),
        )
        scanned = run(options)
    for note in scanned.notes:
        _say(note)
    result = scanned.result
    if result.findings or not result.complete:
        from scanner.report import ReportOptions, render

        sys.stdout.write(render("text", result, ReportOptions(False, _color(False, None))))
    code = _verdict(scanned)
    if code == EXIT_FINDINGS:
        print(f"jwtscan: commit blocked. {_hook_advice(scanned.failing)}", file=sys.stderr)
    elif code == EXIT_CLEAN and any(not f.blocking for f in result.findings):
        print(
            "jwtscan: commit not blocked: the finding(s) above in tests, docs, examples, "
            "vendored or generated code are reported only (see their context); review them",
            file=sys.stderr,
        )
    return code


def _hook_advice(failing: Sequence[Finding]) -> str:
    """What to do, for what blocked: an allow comment suits a line, not a whole env file."""
    from scanner.pipeline import ENV_FILE_CHECKS

    env_files = sorted({f.path for f in failing if f.rule_id in ENV_FILE_CHECKS})
    advice = []
    if len(env_files) < len(failing):
        advice.append(
            "Move the key out of the code and rotate it; for a false alarm, add "
            "'jwtscan:allow' on the line."
        )
    if env_files:
        names = " ".join(shlex.quote(path) for path in env_files)
        advice.append(
            "Environment files hold secrets and stay out of git: untrack them, keeping your "
            f"copies (git rm --cached {names}), and ignore them ('jwtscan fix env --apply' does "
            "both and lists their names in .env.example). A file that holds no secret and must be "
            "committed is a template: name it .env.example (or .sample, .template, .dist), "
            "or disable the check in .jwtscan.yaml (disable: [env-file-tracked])."
        )
    return " ".join(advice)


def _hook_mode(filenames: Sequence[str]) -> tuple[Mode, tuple[Path, ...]]:
    from scanner.pipeline import Range, Staged, Worktree, index_file
    from scanner.sources import git

    from_ref, to_ref = os.environ.get("PRE_COMMIT_FROM_REF"), os.environ.get("PRE_COMMIT_TO_REF")
    if from_ref and to_ref:  # a push that rewinds a branch adds no commit: nothing to judge
        return Range((f"{from_ref}..{to_ref}",), may_be_empty=True), ()
    if filenames:
        # A commit passes its staged files; `--all-files` and `--files` pass others too (with
        # or without something staged): those are judged whole, never left unjudged.
        changes = tuple(git.staged_files(git.open_repository(Path.cwd()), index_file()))
        if not {c.path for c in changes}.issuperset(filenames):
            return Worktree(), tuple(Path(f) for f in filenames)
        return Staged(changes), ()
    return Staged(), ()


def token_command(text: str | None, wordlists: Sequence[Path], show_secrets: bool) -> int:
    """Decode a token, say when it expires, and try the weak keys on it; exit 1 if forgeable."""
    import json

    from scanner.detect.jwt import crack, expiry, parse
    from scanner.detect.loader import load_ruleset
    from scanner.findings import redact

    raw = sys.stdin.read() if text in (None, "-") else text
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
    from scanner.fix.keygen import new_key, write_env
    from scanner.sources import git

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
    from scanner.fix import env
    from scanner.sources import git

    repo = git.open_repository(Path.cwd())
    if repo.work_tree is None:
        raise UsageError("fix env needs a work tree; this repository is bare")
    plan = env.plan(repo.work_tree)
    print(env.describe(plan))
    if plan.empty:
        return EXIT_CLEAN
    if not apply:
        print("(a plan only: run 'jwtscan fix env --apply' to make these changes)")
        return EXIT_CLEAN
    env.apply(repo.work_tree, plan)
    print("jwtscan: done; review with 'git status' and commit")
    return EXIT_CLEAN


def fix_secrets_command(paths: Sequence[Path], apply: bool, show_secrets: bool) -> int:
    """Print the diff moving hardcoded keys to the environment; with ``apply``, make it."""
    from scanner.detect.loader import load_ruleset
    from scanner.fix import code
    from scanner.sources import tree

    target = tree.resolve_target(paths, ())
    plan = code.plan(code.gather(target, load_ruleset(accelerated=True)))
    for skip in plan.skipped:
        where = f"{skip.path}:{skip.line}" if skip.line else skip.path
        print(f"jwtscan: {where}: not fixed: {skip.reason}", file=sys.stderr)
    if apply and plan.changes:
        code.apply(target.root, plan)
    sys.stdout.write(code.render(plan, show_secrets=show_secrets))
    message = code.summary(plan, applied=apply, show_secrets=show_secrets)
    print(f"jwtscan: {message}", file=sys.stderr)
    return EXIT_CLEAN


def baseline_command(action: str, path: Path | None, config: Path | None) -> int:
    """``create`` records the working tree's findings; ``update`` prunes unused entries."""
    from scanner.filters import baseline
    from scanner.pipeline import ScanOptions, run, settings
    from scanner.sources.git import toplevel

    options = ScanOptions(config=config)
    target = path or settings(options).baseline or baseline.DEFAULT_PATH
    root = toplevel(Path.cwd()) or Path.cwd()
    known = None if action == "create" else baseline.load(target)
    # Every place of a value, not one per value: a later scan of any of them stays quiet.
    findings = run(dataclasses.replace(options, use_baseline=False, group=False)).result.findings
    if known is None:
        written = baseline.new_baseline(findings)
        verb = "recorded"
    else:
        written = known.pruned(findings, baseline.gone_from(root))
        verb = f"pruned {len(known.entries) - len(written.entries)}, kept"
    # Only a path typed on the command line may lie outside the repository.
    baseline.write(target, written, root, confined=path is None)
    print(f"jwtscan: {verb} {len(written.entries)} finding(s) in {target}")
    return EXIT_CLEAN


_HOOK = """#!/bin/sh
# Installed by 'jwtscan install-hook': block commits that add JWT signing secrets.
exec {python} -m scanner hook "$@"
"""


def install_hook_command(force: bool) -> int:
    from scanner.sources import git

    repo = git.open_repository(Path.cwd())
    hook = git.hook_path(repo, "pre-commit")
    content = _HOOK.format(python=shlex.quote(sys.executable))
    existing = os.path.lexists(hook)
    if existing and not force:
        raise UsageError(
            f"{hook} already exists; run the existing hook and jwtscan from it, "
            "or replace it with --force (which keeps a backup)"
        )
    backup = None
    if existing and not (hook.is_file() and hook.read_bytes() == content.encode()):
        backup, n = hook.with_name("pre-commit.jwtscan-backup"), 0
        while os.path.lexists(backup):  # an earlier backup is kept too
            n += 1
            backup = hook.with_name(f"pre-commit.jwtscan-backup.{n}")
        os.replace(hook, backup)
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text(content, encoding="utf-8")
    hook.chmod(0o755)
    print(f"jwtscan: installed {hook}")
    if backup is not None:
        print(f"jwtscan: the previous hook is kept as {backup}; call it from the new one if needed")
    return EXIT_CLEAN


def rules_list_command(rules: Sequence[Path], wordlists: Sequence[Path]) -> int:
    """Every rule, then the checks that are not rules; both ids work in ``disable:``."""
    from scanner.detect.loader import load_ruleset
    from scanner.pipeline import BUILTIN_CHECKS
    from scanner.report.wording import shown

    ruleset = load_ruleset(rules, wordlists)
    width = max(len(name) for name in (*(r.id for r in ruleset.rules), *BUILTIN_CHECKS))
    lines = [
        shown(f"{r.id:<{width}}  {r.kind:<11} {r.severity:<8} {r.source}  ")
        + shown(r.description.splitlines()[0])
        for r in ruleset.rules
    ]
    lines += [
        f"{check:<{width}}  {'check':<11} {severity:<8} built-in  {summary}"
        for check, (severity, summary) in BUILTIN_CHECKS.items()
    ]
    try:
        print("\n".join(lines))
        sys.stdout.flush()
    except BrokenPipeError:
        # jwtscan rules list | head: the reader had what it wanted; a listing is no verdict.
        _silence_stdout()
        return EXIT_CLEAN
    print(
        f"{len(ruleset.rules)} rules and {len(BUILTIN_CHECKS)} built-in checks (ids usable in "
        f"'disable:'); weak-key dictionary of {ruleset.weak.size} entries",
        file=sys.stderr,
    )
    return EXIT_CLEAN


def rules_test_command(files: Sequence[Path]) -> int:
    from scanner.detect.loader import example_failures, load_rule_path, load_ruleset

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
