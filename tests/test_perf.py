"""The speed benchmarks' own logic: workload selection, the findings check, hooks, the table;
the scaling check's rows.

Timing the tools is the benchmark's job (``python -m benchmarks.perf``), not the suite's.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from benchmarks.perf import (
    WORKLOADS,
    Case,
    Command,
    Launcher,
    Result,
    Run,
    compare_fingerprints,
    identities,
    read_fingerprints,
    select,
    summary,
    write_fingerprints,
)
from benchmarks.scaling import NOTICEABLE, Row, measure
from benchmarks.stacks import APPENDED, STACKS, build_hook
from scanner.detect.loader import load_ruleset
from tests.conftest import commit_files, git


def finding(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "rule": "jwt-secret-assignment",
        "path": "src/config.js",
        "line": 3,
        "column": 7,
        "end_line": 3,
        "end_column": 40,
        "fingerprint": "f" * 16,
        "commit": {"sha": "a" * 40, "author": "A", "email": "a@example.invalid", "date": "x"},
        "context": "prod",
        "blocking": True,
        "at_head": True,
        "age_days": 10,
        "message": "a weak key, 10 days old",
        "occurrences": [],
    }
    return {**base, **changes}


def report(path: Path, *found: dict[str, Any], complete: bool = True) -> Path:
    path.write_text(json.dumps({"complete": complete, "findings": list(found)}))
    return path


def test_select_by_workload_stack_or_kind() -> None:
    assert [w.name for w in select(["java-tree"])] == ["java-tree"]
    assert {w.name for w in select(["traefik"])} == {"traefik-tree", "traefik-hook"}
    hooks = select(["hook"])
    assert {w.stack for w in hooks} == {w.stack for w in WORKLOADS}
    assert all(w.kind == "hook" for w in hooks)
    assert select(["worktree"]) == select(["tree"])  # the name before stacks
    assert select(None) == list(WORKLOADS)


def test_every_stack_has_a_measured_workload_and_a_hook() -> None:
    names = {w.name for w in WORKLOADS}
    for stack in STACKS:
        assert f"{stack.name}-hook" in names
        assert f"{stack.name}-{'history' if stack.history else 'tree'}" in names
        assert all(extension in APPENDED for extension in stack.extensions)


def test_identities_ignore_what_moves_with_the_date(tmp_path: Path) -> None:
    today = identities(report(tmp_path / "a.json", finding()))
    later = identities(report(tmp_path / "b.json", finding(age_days=400, message="old")))
    moved = identities(report(tmp_path / "c.json", finding(line=4, end_line=4)))
    assert today == later
    assert today != moved


def test_identities_refuse_an_incomplete_scan(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="incomplete"):
        identities(report(tmp_path / "a.json", finding(), complete=False))


def test_fingerprints_round_trip_and_show_a_difference(tmp_path: Path) -> None:
    path = tmp_path / "fingerprints.json"
    found = identities(report(tmp_path / "a.json", finding(), finding(path="b.js")))
    write_fingerprints(path, {"java-tree": list(found)})
    recorded = read_fingerprints(path)
    assert compare_fingerprints({"java-tree": found}, recorded) == []
    [problem] = compare_fingerprints({"java-tree": found[:1]}, recorded)
    assert problem.startswith("java-tree: findings differ")
    assert "  - jwt-secret-assignment" in problem
    [missing] = compare_fingerprints({"go-vendor-tree": found}, recorded)
    assert "no recorded findings" in missing


def test_the_committed_fingerprints_name_known_workloads() -> None:
    recorded = read_fingerprints(Path(__file__).parent.parent / "benchmarks/perf-fingerprints.json")
    assert recorded
    assert set(recorded) <= {w.name for w in WORKLOADS}


def test_build_hook_stages_five_own_files_outside_vendor(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    git(source, "init", "-q")
    body = "package x\n\n" + "// line of ordinary code\n" * 300  # about 7 KiB
    files = {f"pkg/file{i}.go": body for i in range(8)}
    files |= {f"vendor/dep/file{i}.go": body for i in range(8)}
    files |= {"pkg/tiny.go": "package x\n", "README.md": body}
    commit_files(source, files)
    staged = build_hook(source, tmp_path / "hook", None, (".go",))
    assert len(staged) == 5
    assert all(p.startswith("pkg/file") for p in staged)
    cached = git(tmp_path / "hook", "diff", "--cached", "--name-only").split()
    assert sorted(cached) == staged
    assert git(source, "status", "--porcelain") == ""  # the source is untouched
    again = build_hook(source, tmp_path / "hook", None, (".go",))
    assert again == staged  # the choice is stable


def test_summary_marks_each_target(tmp_path: Path) -> None:
    [tree] = select(["traefik-tree"])

    def result(tool: str, seconds: float, rss_mib: int) -> Result:
        command = Command(tool, (tool,), tmp_path, frozenset({0}))
        return Result(command, runs=[Run(seconds, rss_mib * 1024, 0)])

    results = [
        result("jwtscan", 1.0, 50),
        result("jwtscan, pure Python", 3.0, 50),
        result("gitleaks", 4.0, 100),
        result("kingfisher", 1.2, 40),
    ]
    table = summary([(Case(tree, tmp_path, tmp_path, ()), results)])
    row = table.splitlines()[-1]
    assert "0.25x ✓ (≤0.5)" in row  # gitleaks
    assert "0.83x ✗ (≤0.7)" in row  # Kingfisher
    assert "3.00x ✗ (≤2)" in row  # pure Python over Hyperscan
    assert "50 / 40 ✗" in row  # more memory than the leanest peer


def test_a_stopped_peers_memory_is_a_lower_bound(tmp_path: Path) -> None:
    # detect-secrets stopped at --timeout had not reached its peak: jwtscan above its figure is
    # not known to use more (the Go vendor tree: 66 MiB against 36 at the stop, 94 finished).
    [tree] = select(["go-vendor-tree"])

    def result(tool: str, rss_mib: int, stopped: bool = False) -> Result:
        command = Command(tool, (tool,), tmp_path, frozenset({0}))
        return Result(command, runs=[Run(1.0, rss_mib * 1024, 0, stopped)])

    def memory(*peers: Result) -> str:
        table = summary([(Case(tree, tmp_path, tmp_path, ()), [result("jwtscan", 66), *peers])])
        return table.splitlines()[-1].rsplit("|", 2)[-2].strip()

    assert memory(result("gitleaks", 92), result("detect-secrets", 36, True)) == (
        "66 / ≥36 (stopped) ?"
    )
    assert memory(result("gitleaks", 92), result("detect-secrets", 70, True)) == "66 / 70 ✓"
    assert memory(result("gitleaks", 60), result("detect-secrets", 36, True)) == "66 / 60 ✗"


def test_launcher_stops_a_run_at_its_limit_and_says_so(tmp_path: Path) -> None:
    sleep = shutil.which("sleep") or "/bin/sleep"
    with Launcher() as launcher:
        stopped = launcher.run([sleep, "30"], tmp_path, tmp_path / "o", tmp_path / "e", 0.3)
        finished = launcher.run([sleep, "0"], tmp_path, tmp_path / "o", tmp_path / "e", 5.0)
    assert stopped.timed_out
    assert 0.3 <= stopped.seconds < 10
    assert not finished.timed_out
    assert finished.exit_code == 0


def test_scaling_flags_a_cost_that_grows_faster_than_the_text() -> None:
    assert Row("r", "example 0", (0.02, 0.32)).superlinear  # 16x: a search per value
    assert not Row("r", "example 0", (0.02, 0.09)).superlinear  # 4.5x: linear
    assert not Row("r", "example 0", (0.001, 0.016)).superlinear  # too short to tell
    assert Row("r", "example 0", (NOTICEABLE / 10, NOTICEABLE)).ratio == pytest.approx(10)
    ruleset = load_ruleset()
    rule = next(r for r in ruleset.rules if r.id == "koa-jwt-literal-secret")
    rows = measure(ruleset, 2, [rule.id])
    assert {row.example for row in rows} == {
        *(f"example {i}" for i in range(len(rule.examples))),
        *(f"negative {i}" for i in range(len(rule.negative_examples))),
    }
    assert all(row.rule_id == rule.id and min(row.seconds) > 0 for row in rows)
