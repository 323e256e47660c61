"""Command line: the only place that prints verdicts and picks exit codes."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from scanner import __version__
from scanner.errors import ScannerError, UsageError

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so usage errors go through ``main``."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="jwtscan", description=__doc__)
    parser.add_argument("--version", action="version", version=f"jwtscan {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    scan = commands.add_parser("scan", help="scan the working tree (or the given paths)")
    scan.add_argument("paths", nargs="*", type=Path, metavar="PATH")
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
                    output_format=args.format,
                    output=args.output,
                    show_secrets=args.show_secrets,
                    max_file_size=args.max_file_size,
                    exclude=args.exclude,
                    rules=args.rules,
                    wordlists=args.wordlist,
                    color=_color(args.no_color, args.output),
                )
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


def scan_command(
    *,
    paths: Sequence[Path],
    output_format: str,
    output: Path | None,
    show_secrets: bool,
    max_file_size: int | None,
    exclude: Sequence[str],
    rules: Sequence[Path],
    wordlists: Sequence[Path],
    color: bool,
) -> int:
    from scanner.loader import load_ruleset
    from scanner.report import ReportOptions, render
    from scanner.scan import scan
    from scanner.sources import DEFAULT_MAX_FILE_SIZE, read_files, resolve_target

    ruleset = load_ruleset(rules, wordlists)
    target = resolve_target(paths, exclude)
    result = scan(read_files(target, max_file_size or DEFAULT_MAX_FILE_SIZE), ruleset)
    report = render(output_format, result, ReportOptions(show_secrets, color))
    _emit(report, output)
    if not result.complete:
        print(
            f"jwtscan: error: {len(result.stats.unreadable)} file(s) could not be read; "
            "the scan is incomplete (exit 2)",
            file=sys.stderr,
        )
        return EXIT_ERROR
    return EXIT_FINDINGS if result.findings else EXIT_CLEAN


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
