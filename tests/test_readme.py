"""README.md stays true: every example in it is checked against the real program.

Each fenced block is checked by what it is, wherever it sits in the README (a new section gets
the same checks): shell blocks are command lines, every ``jwtscan`` one parsed by the real
argparse and run on a real repository; YAML blocks are rule files (loaded and ``rules test``ed),
configuration files (loaded strictly), pre-commit configurations (hook ids that exist) or CI
configurations (their ``jwtscan`` lines parsed); TOML blocks are configurations; JSON blocks
have the structure of a real report; diff blocks are unified diffs; plain blocks are report
excerpts with the shape of the real output, or stderr messages. Rule ids the README names
(allow comments, ``disable:``, reports) exist. A block of another kind fails the test: teach
the test what it is rather than skipping it.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shlex
import subprocess
import sys
import venv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from scanner.cli import _parser, main
from scanner.config import load_config
from scanner.detect.loader import load_ruleset
from scanner.pipeline import BUILTIN_CHECKS
from tests.conftest import ROOT, git

README = (ROOT / "README.md").read_text(encoding="utf-8")
SHELLS = ("sh", "shell", "bash", "console")


@dataclass(frozen=True)
class Block:
    info: str
    text: str
    line: int

    def __str__(self) -> str:
        return f"README.md:{self.line} ({self.info or 'plain'} block)"


def _blocks() -> list[Block]:
    blocks, lines = [], README.splitlines()
    opened: tuple[str, int] | None = None
    body: list[str] = []
    for number, line in enumerate(lines, 1):
        if line.startswith("```"):
            if opened is None:
                opened, body = (line[3:].strip(), number), []
            else:
                blocks.append(Block(opened[0], "\n".join(body) + "\n", opened[1]))
                opened = None
        elif opened is not None:
            body.append(line)
    assert opened is None, "README.md has an unclosed code block"
    return blocks


BLOCKS = _blocks()


def _of(*infos: str) -> list[Block]:
    return [b for b in BLOCKS if b.info in infos]


PLAIN = ("", "text")


def test_every_block_is_of_a_kind_this_test_checks() -> None:
    known = {*SHELLS, *PLAIN, "yaml", "yml", "toml", "json", "diff"}
    assert [str(b) for b in BLOCKS if b.info not in known] == []


# Shell blocks ----------------------------------------------------------------------------


# Synopsis placeholders and a concrete value for each (for running them on a real repository).
PLACEHOLDERS = {
    "PATH": "src",
    "BASE..HEAD": "HEAD~1..HEAD",
    "TOKEN": "{token}",
    "FILE": "{file}",
}
# FILE depends on what it follows.
FILES = {"--config": "team-config.yaml", "--sarif": "report.sarif", "test": "my-rules.yaml"}


def _commands(text: str) -> Iterator[list[str]]:
    """Each ``jwtscan`` invocation in shell text, in synopsis notation expanded: ``[x]`` is
    taken, ``a|b`` gives one command per alternative, ``...`` (repeatable) is dropped."""
    for line in text.splitlines():
        if "jwtscan " not in line:
            continue
        tokens = shlex.split(line.removeprefix("$ "), comments=True)
        segments = [
            list(group)
            for operator, group in itertools.groupby(tokens, lambda t: t in ("|", "&&", ";"))
            if not operator
        ]
        for segment in segments:
            if segment[:1] != ["jwtscan"]:
                continue
            words = [w for w in (t.strip("[]") for t in segment[1:]) if w not in ("", "...")]
            words = [
                FILES.get(words[i - 1], "my-rules.yaml") if w == "FILE" else w
                for i, w in enumerate(words)
            ]
            choices = [w.split("|") if "|" in w else [w] for w in words]
            for choice in itertools.product(*choices):
                yield [PLACEHOLDERS.get(w, w) for w in choice]


def _inline_commands() -> Iterator[list[str]]:
    """``jwtscan ...`` in inline code in the prose (outside blocks)."""
    prose = re.sub(r"^```.*?^```", "", README, flags=re.MULTILINE | re.DOTALL)
    for span in re.findall(r"`(jwtscan [^`]+)`", prose):
        yield from _commands(" ".join(span.split()))  # a span may wrap across lines


def _strings(document: object) -> Iterator[str]:
    """Every string in a parsed YAML document (CI steps hold command lines)."""
    if isinstance(document, str):
        yield document
    elif isinstance(document, dict):
        for value in document.values():
            yield from _strings(value)
    elif isinstance(document, list):
        for value in document:
            yield from _strings(value)


def _yaml_commands() -> Iterator[list[str]]:
    for block in _of("yaml", "yml"):
        for text in _strings(yaml.safe_load(block.text)):
            yield from _commands(text)


SHELL_COMMANDS = [argv for block in _of(*SHELLS) for argv in _commands(block.text)]
ALL_COMMANDS = [*SHELL_COMMANDS, *_inline_commands(), *_yaml_commands()]


@pytest.mark.parametrize("argv", ALL_COMMANDS, ids=" ".join)
def test_readme_command_is_accepted_by_the_real_parser(argv: list[str]) -> None:
    _parser(argv).parse_args(argv)  # a usage error raises


def test_the_first_command_installs_jwtscan_and_scans_the_repository_you_are_in(
    tmp_path: Path,
) -> None:
    # 'pip install . && jwtscan scan' installed the user's own project, not jwtscan.
    first = _of(*SHELLS)[0]
    assert "jwtscan scan" in first.text
    home = tmp_path / "home"
    home.mkdir()
    (home / "jwtscan").symlink_to(ROOT)  # the clone the README's first command names
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    # jwtscan's dependencies, from this test's environment: no download needed.
    site = next((environment / "lib").glob("python3*/site-packages"))
    (site / "dependencies.pth").write_text(
        "\n".join(p for p in sys.path if p.endswith("site-packages")) + "\n"
    )
    app = tmp_path / "my-app"  # the user's application: a Python project of its own
    app.mkdir()
    git(app, "init", "-q")
    (app / "pyproject.toml").write_text('[project]\nname = "my-app"\nversion = "1.0"\n')
    (app / "server.js").write_text("jwt.sign(payload, 'changeme');\n")
    git(app, "add", "-A")
    env = {**os.environ, "HOME": str(home), "PATH": f"{environment / 'bin'}:{os.environ['PATH']}"}
    commands = [
        line for line in first.text.splitlines() if line.strip() and "git clone" not in line
    ]
    result = subprocess.run(
        ["sh", "-ec", "\n".join(commands)],
        cwd=app,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "server.js" in result.stdout
    installed = subprocess.run(
        [str(environment / "bin" / "python"), "-m", "pip", "list", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    names = {p["name"] for p in json.loads(installed.stdout)}
    assert "jwtscan" in names
    assert "my-app" not in names


def _token() -> str:
    import warnings

    import jwt

    with warnings.catch_warnings():  # PyJWT warns that the key is short: that is the point
        warnings.simplefilter("ignore")
        return jwt.encode({"sub": "1"}, "secret", algorithm="HS256")


@pytest.fixture
def project(repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository to run the README's commands in, with the files they name."""
    monkeypatch.chdir(repo)
    (repo / ".gitignore").write_text(".env\n.env.*\n!.env.example\n")
    (repo / "README.md").write_text("# app\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "first")
    (repo / "src").mkdir()
    (repo / "src" / "auth.js").write_text("const t = jwt.sign(payload, 'changeme');\n")
    (repo / "keys.txt").write_text("changeme\n")
    rules = next((b.text for b in _of("yaml", "yml") if _yaml_kind(b) == "rules"), None)
    assert rules is not None, "the README shows no rule file"
    for name in ("my-rules.yaml", "my-rules/mine.yaml", "ci/jwt-rules.yaml"):
        (repo / name).parent.mkdir(exist_ok=True)
        (repo / name).write_text(rules)
    (repo / "ci" / "leaked-jwt-keys.txt").write_text("changeme\n")
    config = next((b.text for b in _of("yaml", "yml") if _yaml_kind(b) == "config"), None)
    assert config is not None, "the README shows no configuration"
    (repo / "team-config.yaml").write_text(config)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "second")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD~1")  # as in a clone, one behind
    monkeypatch.setenv("GITLAB_CI", "true")
    monkeypatch.setenv("CI_COMMIT_SHA", git(repo, "rev-parse", "HEAD").strip())
    monkeypatch.setenv("CI_COMMIT_BEFORE_SHA", git(repo, "rev-parse", "HEAD~1").strip())
    monkeypatch.setenv("CI_COMMIT_BRANCH", "main")
    assert main(["baseline", "create"]) == 0
    # '~/clones/app' in the README: a clone of this repository in the (throwaway) home folder.
    clones = Path(os.path.expanduser("~/clones"))
    clones.mkdir(parents=True)
    git(clones, "clone", "-q", str(repo), "app")
    return repo


def test_readme_shell_commands_run_on_a_real_repository(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    failed = []
    for argv in SHELL_COMMANDS:
        # The shell expands '~' before jwtscan sees it.
        concrete = [
            os.path.expanduser(a.format(token=_token(), file="my-rules.yaml")) for a in argv
        ]
        code = main(concrete)
        err = capsys.readouterr().err
        if code not in (0, 1):
            failed.append(f"jwtscan {shlex.join(concrete)} -> {code}: {err.strip()}")
    assert failed == [], "\n".join(failed)


# YAML blocks -----------------------------------------------------------------------------


def _yaml_kind(block: Block) -> str:
    """``rules`` (a rule file), ``pre-commit`` (a .pre-commit-config.yaml), ``ci`` (a CI
    configuration running jwtscan: its command lines are checked above) or ``config``."""
    document = yaml.safe_load(block.text)
    assert isinstance(document, dict), f"{block}: not a YAML mapping"
    rules = document.get("rules")
    if (
        set(document) == {"rules"}
        and isinstance(rules, list)
        and rules
        and all(isinstance(rule, dict) for rule in rules)
    ):
        return "rules"
    if "repos" in document:
        return "pre-commit"
    if any(
        line.lstrip().startswith("jwtscan ") for t in _strings(document) for line in t.splitlines()
    ):
        return "ci"
    return "config"


def _check_config(path: Path) -> None:
    config = load_config(path)  # strict: an unknown key or a wrong type raises
    known = {r.id for r in load_ruleset().rules} | set(BUILTIN_CHECKS)
    assert set(config.disable) <= known


@pytest.mark.parametrize("block", _of("yaml", "yml"), ids=str)
def test_readme_yaml_example_is_valid(
    block: Block, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / ".jwtscan.yaml"
    path.write_text(block.text)
    match _yaml_kind(block):
        case "rules":
            assert main(["rules", "test", str(path)]) == 0, capsys.readouterr().out
            load_ruleset([path])  # with the built-ins: no duplicate id, examples pass
        case "pre-commit":
            hooks = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
            used = {
                h["id"] for r in yaml.safe_load(block.text)["repos"] for h in r.get("hooks", ())
            }
            assert used <= hooks
        case "ci":
            pass  # its jwtscan command lines are parsed by test_readme_command_is_accepted...
        case _:
            _check_config(path)


@pytest.mark.parametrize("block", _of("toml"), ids=str)
def test_readme_toml_example_is_a_valid_configuration(block: Block, tmp_path: Path) -> None:
    document = tomllib.loads(block.text)
    name = "pyproject.toml" if "tool" in document else ".jwtscan.toml"
    (tmp_path / name).write_text(block.text)
    _check_config(tmp_path / name)


@pytest.mark.parametrize("block", _of("diff"), ids=str)
def test_readme_diff_example_is_a_unified_diff(block: Block) -> None:
    lines = block.text.splitlines()
    assert any(line.startswith("@@ ") for line in lines), block
    starts = ("diff ", "index ", "new file", "deleted file", "@@ ", " ", "+", "-", "\\")
    assert all(not line or line.startswith(starts) for line in lines), block


# JSON blocks -----------------------------------------------------------------------------


def _shape(example: object, real: object, where: str) -> list[str]:
    """Where the example's structure differs from the real document's: the same keys in every
    object, the same kind of value (``null`` in either stands for an optional value)."""
    if example is None or real is None:
        return []
    if isinstance(example, dict):
        if not isinstance(real, dict):
            return [f"{where}: an object in the README, {type(real).__name__} in a real report"]
        problems = [f"{where}.{k}: not in a real report" for k in example if k not in real]
        problems += [f"{where}.{k}: missing from the README" for k in real if k not in example]
        for key in example.keys() & real.keys():
            problems += _shape(example[key], real[key], f"{where}.{key}")
        return problems
    if isinstance(example, list):
        if not isinstance(real, list):
            return [f"{where}: a list in the README, {type(real).__name__} in a real report"]
        if example and real and not (isinstance(example[-1], str) and example[-1] == "..."):
            return _shape(example[0], real[0], f"{where}[0]")
        return _shape(example[0], real[0], f"{where}[0]") if example and real else []
    kinds = [(bool,), (int, float), (str,)]
    same = any(isinstance(example, k) and isinstance(real, k) for k in kinds)
    if isinstance(example, bool) != isinstance(real, bool) or not same:
        return [f"{where}: {type(example).__name__} in the README, {type(real).__name__} really"]
    return []


def test_readme_json_examples_have_the_structure_of_a_real_report(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "dist").mkdir()
    (project / "dist" / "bundle.js").write_text("x" * 200_000)
    main(["scan", "--format", "json", "--max-file-size", "100k"])
    real = json.loads(capsys.readouterr().out)
    assert _of("json"), "the README shows no JSON example"
    for block in _of("json"):
        assert _shape(json.loads(block.text), real, "$") == [], block


# Plain blocks: report excerpts -----------------------------------------------------------


def _real_reports(project: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    reports = {}
    for form in ("text", "github"):
        main(["scan", "--format", form, "src"])
        reports[form] = capsys.readouterr().out
    return reports


def _labels(text: str) -> list[str]:
    return re.findall(r"^ {11}(\w+) ", text, flags=re.MULTILINE)


def test_readme_report_excerpts_have_the_shape_of_real_output(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reports = _real_reports(project, capsys)
    header = re.compile(r"^  \d+:\d+ +(low|medium|high|critical) +[a-z-]+  \[[a-z0-9-]+\]$")
    for block in _of(*PLAIN):
        lines = block.text.splitlines()
        if all(line.startswith("jwtscan: ") for line in lines):
            continue  # messages on stderr: their wording is the program's, shown as printed
        if lines[0].startswith("::"):
            real = reports["github"].splitlines()
            keys = re.findall(r"[,=](\w+)=", lines[0].split("::")[1].replace("error ", "error,"))
            assert keys == re.findall(
                r"[,=](\w+)=", real[0].split("::")[1].replace("error ", "error,")
            ), block
            assert lines[-1].startswith("jwtscan: "), block
            assert "file(s) scanned" in lines[-1], block
        else:
            assert re.match(r"^[\w.-]+/[\w./-]+$", lines[0]), block  # a path
            assert header.match(lines[1]), block
            real_labels = _labels(reports["text"])
            assert _labels(block.text) == real_labels, block


# Rule ids --------------------------------------------------------------------------------


def _mentioned_rule_ids() -> set[str]:
    ids: set[str] = set()
    for listed in re.findall(r"jwtscan:allow ([a-z0-9,-]+)", README):
        ids.update(listed.split(","))
    for block in _of("yaml", "yml"):
        document = yaml.safe_load(block.text)
        ids.update(document.get("disable", ()) if isinstance(document, dict) else ())
    for block in _of("json"):
        ids.update(re.findall(r'"rule": "([a-z0-9-]+)"', block.text))
    for block in _of(*PLAIN):
        ids.update(re.findall(r"\[([a-z0-9]+(?:-[a-z0-9]+)+)\]$", block.text, re.MULTILINE))
        ids.update(re.findall(r"title=jwtscan ([a-z0-9-]+)::", block.text))
    return ids


def test_every_rule_id_the_readme_names_exists() -> None:
    defined = {
        rule["id"]
        for block in _of("yaml", "yml")
        if _yaml_kind(block) == "rules"
        for rule in yaml.safe_load(block.text)["rules"]
    }
    known = {r.id for r in load_ruleset().rules} | set(BUILTIN_CHECKS) | defined
    mentioned = _mentioned_rule_ids()
    assert mentioned, "no rule id found: the patterns above no longer see the README"
    assert sorted(mentioned - known) == []


# Architecture ----------------------------------------------------------------------------


def test_architecture_maps_every_subpackage_and_names_real_modules() -> None:
    section = README.split("\n## Architecture\n", 1)[1].split("\n## ", 1)[0]
    subpackages = {p.parent.name for p in (ROOT / "scanner").glob("*/__init__.py")}
    assert set(re.findall(r"`scanner/(\w+)/`", section)) == subpackages
    modules = {p.name for p in (ROOT / "scanner").rglob("*.py")}
    assert set(re.findall(r"`(?:scanner/|filters/)?(\w+\.py)`", section)) - modules == set()


def test_help_is_written_for_users(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "the only place that prints verdicts" not in out
    assert "JWT" in out.split("positional arguments")[0]
