"""One self-contained HTML page (inline CSS, JS and SVG) for audits: counts, timeline, table."""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from html import escape as _escape
from typing import TYPE_CHECKING

from scanner import __version__
from scanner.findings import CONTEXTS, KIND_FACTS, SECRET_KINDS, SEVERITIES, Finding, severity_rank
from scanner.report.wording import also, headline, location, public_message, scrub, shown

if TYPE_CHECKING:
    from scanner.findings import ScanResult

_STATES = {"head": "still in HEAD", "history": "history only", "unknown": "HEAD not checked"}
_CHART_WIDTH, _CHART_HEIGHT, _MARGIN = 960, 260, 44
_COLUMNS = (
    "severity",
    "kind",
    "location",
    "context",
    "rule",
    "commit",
    "author",
    "date",
    "HEAD",
    "verified",
    "key",
    "fix",
)
_MAX_MONTHS = 60  # beyond five years the timeline counts by year

_STYLE = """
:root { --critical: #b3261e; --high: #e8710a; --medium: #c79100; --low: #1a73e8;
  --head: #b3261e; --history: #f2a03d; --unknown: #8e8e93; --ink: #1f2328; --muted: #59636e;
  --line: #d1d9e0; --bg: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1400px; padding: 24px 32px 48px; color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 19px; margin: 32px 0 12px; }
.summary { color: var(--muted); margin: 0; } .warning { color: var(--critical); font-weight: 600; }
.cards { display: flex; flex-wrap: wrap; gap: 24px; }
.counts { border-collapse: collapse; min-width: 240px; }
.counts td, .counts th { padding: 4px 12px; border-bottom: 1px solid var(--line);
  text-align: left; }
.counts td.n { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; min-width: 64px; padding: 1px 8px; border-radius: 10px;
  color: #fff; font-size: 12px; font-weight: 600; text-align: center; }
.badge.critical { background: var(--critical); } .badge.high { background: var(--high); }
.badge.medium { background: var(--medium); } .badge.low { background: var(--low); }
.state-head { color: var(--head); font-weight: 600; } .state-history { color: #9a5b00; }
.chart { width: 100%; max-width: 960px; height: auto; background: var(--bg); border-radius: 6px; }
.chart text { font-size: 11px; fill: var(--muted); } .chart .grid { stroke: var(--line); }
.bar-head { fill: var(--head); } .bar-history { fill: var(--history); }
.bar-unknown { fill: var(--unknown); } .note { color: var(--muted); font-style: italic; }
#filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; margin: 0 0 8px; }
#filters[hidden] { display: none; }
table.findings { border-collapse: collapse; width: 100%; }
table.findings th { position: sticky; top: 0; background: var(--bg); text-align: left;
  border-bottom: 2px solid var(--line); padding: 6px 8px; white-space: nowrap; }
table.findings td { border-bottom: 1px solid var(--line); padding: 6px 8px; vertical-align: top;
  overflow-wrap: break-word; }
table.findings td.location, table.findings td.rule, table.findings td.fix {
  overflow-wrap: anywhere; }
table.findings tr[hidden] { display: none; }
.why { color: var(--muted); font-size: 12px; } code { font-size: 12px; word-break: break-all; }
.path { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px;
  overflow-wrap: anywhere; }
td.location { min-width: 110px; } td.rule { min-width: 160px; } td.fix { min-width: 220px; }
td.date, td.commit { white-space: nowrap; }
.checklist { list-style: none; padding: 0; } .checklist li { margin: 8px 0; }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
"""

_SCRIPT = """
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var table = document.getElementById("findings-table");
  if (form && table) {
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var shown = document.getElementById("shown");
    var apply = function () {
      var want = {
        severity: form.elements.severity.value,
        kind: form.elements.kind.value,
        context: form.elements.context.value,
        state: form.elements.state.value
      };
      var text = form.elements.text.value.toLowerCase();
      var count = 0;
      rows.forEach(function (row) {
        var keep = Object.keys(want).every(function (key) {
          return !want[key] || row.getAttribute("data-" + key) === want[key];
        }) && (!text || row.textContent.toLowerCase().indexOf(text) !== -1);
        row.hidden = !keep;
        count += keep ? 1 : 0;
      });
      shown.textContent = count + " of " + rows.length + " shown";
    };
    form.addEventListener("input", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
  }
  document.documentElement.setAttribute("data-ready", "true");
})();
"""


def _csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


# Nothing may load from anywhere: the page works offline and cannot leak what it shows.
_CSP = (
    f"default-src 'none'; style-src {_csp_hash(_STYLE)}; script-src {_csp_hash(_SCRIPT)}; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)


def escape(text: str) -> str:
    """HTML for repository text: markup escaped, control characters made visible."""
    return _escape(shown(text))


def render(result: ScanResult, show_secrets: bool, color: bool) -> str:
    del color
    findings = result.findings
    title = f"jwtscan report: {headline(result.findings)}"
    body = [
        f"<header><h1>{escape(title)}</h1>{_subtitle(result)}</header>",
        _counts(findings),
        _timeline(findings),
        _table(findings, show_secrets),
        _checklist(findings),
        _footer(show_secrets),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="jwtscan {escape(__version__)}">\n'
        f"<title>{escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + f"\n<script>{_SCRIPT}</script>\n</body>\n</html>\n"
    )


def _footer(show_secrets: bool) -> str:
    secrets = (
        "This report shows secret values (--show-secrets): keep it private."
        if show_secrets
        else "No secret value is in this report: lengths and kinds only."
    )
    return f"<footer>Generated by jwtscan {escape(__version__)}. {secrets}</footer>"


def _subtitle(result: ScanResult) -> str:
    stats = result.stats
    findings = result.findings
    commits = len({f.commit.sha for f in findings if f.commit is not None})
    scope = "History audit" if any(f.at_head is not None for f in findings) else "Scan"
    parts = [
        f"{scope}: {stats.files} file(s), {stats.bytes:,} bytes scanned in {stats.seconds:.2f}s",
    ]
    if commits:
        parts.append(f"secrets introduced by {commits} commit(s)")
    text = f'<p class="summary">{escape("; ".join(parts))}.</p>'
    if not result.complete:
        unreadable = ", ".join(u.path for u in stats.unreadable)
        text += (
            f'<p class="warning">Incomplete: cannot read {escape(unreadable)}; '
            "no verdict (exit 2).</p>"
        )
    return text


def _counts(findings: Sequence[Finding]) -> str:
    severities = Counter(f.severity for f in findings)
    kinds = Counter(f.kind for f in findings)
    by_severity = "".join(
        f'<tr><td><span class="badge {s}">{s}</span></td><td class="n">{severities[s]}</td></tr>'
        for s in reversed(SEVERITIES)
    )
    by_kind = (
        "".join(
            f'<tr><td title="{escape(KIND_FACTS[k].description)}">{escape(KIND_FACTS[k].title)}'
            f' <code>{escape(k)}</code></td><td class="n">{n}</td></tr>'
            for k, n in sorted(kinds.items())
        )
        or '<tr><td colspan="2" class="note">none</td></tr>'
    )
    return (
        '<section id="counts"><h2>Counts</h2><div class="cards">'
        '<table class="counts"><thead><tr><th>severity</th><th>findings</th></tr></thead>'
        f"<tbody>{by_severity}</tbody></table>"
        '<table class="counts"><thead><tr><th>kind</th><th>findings</th></tr></thead>'
        f"<tbody>{by_kind}</tbody></table></div></section>"
    )


def _state(finding: Finding) -> str:
    """Is the secret still in HEAD? Unknown outside history audits."""
    if finding.at_head is None:
        return "unknown"
    return "head" if finding.at_head else "history"


def _buckets(findings: Sequence[Finding]) -> tuple[list[str], Counter[tuple[str, str]]]:
    """Time buckets from the first to the last commit (months, or years over five years)."""
    dated = [(f.commit.date[:7], _state(f)) for f in findings if f.commit is not None]
    months = sorted({month for month, _ in dated})
    first_year, first_month = int(months[0][:4]), int(months[0][5:7])
    last_year, last_month = int(months[-1][:4]), int(months[-1][5:7])
    span = (last_year - first_year) * 12 + last_month - first_month + 1
    if span > _MAX_MONTHS:
        years = [str(year) for year in range(first_year, last_year + 1)]
        return years, Counter((month[:4], state) for month, state in dated)
    labels = []
    for index in range(span):
        year, month = divmod(first_month - 1 + index, 12)
        labels.append(f"{first_year + year:04d}-{month + 1:02d}")
    return labels, Counter(dated)


def _timeline(findings: Sequence[Finding]) -> str:
    heading = '<section id="timeline"><h2>When the secrets entered the code</h2>'
    if not any(f.commit is not None for f in findings):
        return (
            f'{heading}<p class="note">No dated findings: only scans of commits '
            "(jwtscan scan --history, or --range) know when a secret was committed.</p></section>"
        )
    labels, counts = _buckets(findings)
    states = [s for s in _STATES if any(k[1] == s for k in counts)]
    return f"{heading}{_chart(labels, counts, states)}{_legend(states)}</section>"


def _chart(labels: list[str], counts: Counter[tuple[str, str]], states: list[str]) -> str:
    plot_width = _CHART_WIDTH - 2 * _MARGIN
    plot_height = _CHART_HEIGHT - 2 * _MARGIN
    top = max(sum(counts[(label, s)] for s in states) for label in labels)
    slot = plot_width / len(labels)
    bar = max(min(slot * 0.7, 48.0), 1.0)
    parts = list(_axis(top, plot_width, plot_height))
    step = max(1, len(labels) // 12)
    for index, label in enumerate(labels):
        x = _MARGIN + index * slot + (slot - bar) / 2
        base = float(_MARGIN + plot_height)
        for state in states:
            n = counts[(label, state)]
            if not n:
                continue
            height = plot_height * n / top
            base -= height
            parts.append(
                f'<rect class="bar-{state}" x="{x:.1f}" y="{base:.1f}" width="{bar:.1f}" '
                f'height="{height:.1f}"><title>{escape(label)}: {n} {_STATES[state]}</title></rect>'
            )
        if index % step == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{_MARGIN + plot_height + 16}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    return (
        f'<svg class="chart" viewBox="0 0 {_CHART_WIDTH} {_CHART_HEIGHT}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="findings by commit date">'
        f"{''.join(parts)}</svg>"
    )


def _axis(top: int, plot_width: int, plot_height: int) -> Iterable[str]:
    ticks = sorted({0, top // 2, top}) if top > 1 else [0, top]
    for tick in ticks:
        y = _MARGIN + plot_height - plot_height * tick / top
        yield (
            f'<line class="grid" x1="{_MARGIN}" x2="{_MARGIN + plot_width}" '
            f'y1="{y:.1f}" y2="{y:.1f}"></line>'
            f'<text x="{_MARGIN - 8}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>'
        )


def _legend(states: list[str]) -> str:
    items = "".join(
        f'<span><svg width="12" height="12" aria-hidden="true"><rect class="bar-{s}" '
        f'width="12" height="12"></rect></svg> {_STATES[s]}</span> '
        for s in states
    )
    return f'<p class="legend">{items}</p>'


def _table(findings: Sequence[Finding], show_secrets: bool) -> str:
    heading = '<section id="findings-section"><h2>Findings</h2>'
    if not findings:
        return f'{heading}<p class="note">No findings.</p></section>'
    ordered = sorted(findings, key=lambda f: (-severity_rank(f.severity), f.path, f.line or 0))
    head = "".join(f"<th>{c}</th>" for c in _COLUMNS)
    rows = "\n".join(_row(f, findings, show_secrets) for f in ordered)
    return (
        f"{heading}{_filters(findings)}"
        f'<table class="findings" id="findings-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>\n{rows}\n</tbody></table></section>"
    )


def _filters(findings: Sequence[Finding]) -> str:
    def select(name: str, values: Iterable[str]) -> str:
        options = "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)
        return (
            f'<label>{name} <select name="{name}"><option value="">all</option>{options}'
            "</select></label>"
        )

    severities = [s for s in reversed(SEVERITIES) if any(f.severity == s for f in findings)]
    return (
        '<form id="filters" hidden>'
        + select("severity", severities)
        + select("kind", sorted({f.kind for f in findings}))
        + select("context", [c for c in CONTEXTS if any(f.context == c for f in findings)])
        + select("state", sorted({_state(f) for f in findings}))
        + '<label>text <input name="text" type="search"></label>'
        + '<span id="shown"></span></form>'
    )


def _row(finding: Finding, findings: Sequence[Finding], show_secrets: bool) -> str:
    commit = finding.commit
    state = _state(finding)
    cells = (
        f'<span class="badge {finding.severity}">{finding.severity}</span>',
        escape(finding.kind),
        _where(finding),
        escape(finding.context + ("" if finding.blocking else ", reported only")),
        f"{escape(finding.rule_id)}"
        f'<div class="why">{escape(public_message(finding, findings))}</div>',
        f"<code>{escape(commit.sha[:7])}</code>" if commit else "",
        escape(commit.author) if commit else "",
        escape(commit.date[:10]) if commit else "",
        f'<span class="state-{state}">{_STATES[state]}</span>{_age(finding)}'
        if state != "unknown"
        else "",
        escape(_verified(finding)),
        _key(finding, show_secrets),
        _fix(finding),
    )
    attributes = (
        f'data-severity="{finding.severity}" data-kind="{escape(finding.kind)}" '
        f'data-context="{finding.context}" data-state="{state}"'
    )
    listed = "".join(
        f'<td class="{column}">{cell}</td>' for column, cell in zip(_COLUMNS, cells, strict=True)
    )
    return f"<tr {attributes}>{listed}</tr>"


def _where(finding: Finding) -> str:
    where = f'<span class="path">{escape(location(finding))}</span>'
    if not finding.occurrences:
        return where
    seen = "".join(f"<li>{escape(line)}</li>" for line in also(finding))
    return (
        f"{where}<details><summary>also in {len(finding.occurrences)} other place(s)</summary>"
        f"<ul>{seen}</ul></details>"
    )


def _verified(finding: Finding) -> str:
    if finding.kind == "jwt-forgeable-token":
        return "forgeable: signature verified"
    if finding.signs:
        return f"signs {len(finding.signs)} token(s): verified"
    return ""


def _key(finding: Finding, show_secrets: bool) -> str:
    """The key's length and strength; its value only with --show-secrets."""
    strength = finding.strength
    if strength is not None:
        # A guessable key's exact length would help identify it: its size class only.
        size = finding.size_class if finding.guessable else f"{strength.length} bytes"
        text = f"{size}, about {strength.bits} bits"
        if not strength.meets_rfc7518:
            text += f" (under {strength.required_bits})"
    elif finding.secret:
        text = f"{len(finding.secret.encode())} bytes"
    else:
        text = ""
    described = escape(text)
    if show_secrets and finding.secret:
        value = _escape(finding.secret)  # exactly as found: asked for with --show-secrets
        described += f"<details><summary>value</summary><code>{value}</code></details>"
    return described


def _fix(finding: Finding) -> str:
    fix = finding.remediation
    more = "".join(
        f"<p><b>{label}</b> <code>{escape(scrub(text, finding.secret))}</code></p>"
        for label, text in (("code", fix.code), ("run", fix.command))
        if text
    )
    if fix.rotate:
        more += f"<p><b>rotate</b> {escape(scrub(fix.rotate, finding.secret))}</p>"
    summary = escape(scrub(fix.summary, finding.secret))
    return f"{summary}<details><summary>more</summary>{more}</details>" if more else summary


def _checklist(findings: Sequence[Finding]) -> str:
    items = [text for condition, text in _advice(findings) if condition]
    listed = "".join(f"<li><label><input type='checkbox'> {item}</label></li>" for item in items)
    return (
        '<section id="checklist"><h2>Remediation checklist</h2>'
        f'<ul class="checklist">{listed}</ul></section>'
    )


def _advice(findings: Sequence[Finding]) -> list[tuple[bool, str]]:
    kinds = {f.kind for f in findings}
    keys = [f for f in findings if f.kind in SECRET_KINDS or f.kind == "private-key"]
    gone = sum(1 for f in keys if f.at_head is False)
    history = f" ({gone} of them only in the history: deleting them was not enough)" if gone else ""
    return [
        (
            bool(keys),
            f"<b>Rotate every reported key</b> ({len(keys)}){escape(history)}: generate a new "
            "one, deploy it, then retire the old one. Tokens signed with a committed key stay "
            "valid until it is replaced, and rewriting git history does not revoke a key that "
            "was already cloned.",
        ),
        (
            "weak-secret" in kinds,
            "<b>Replace weak keys</b> with random ones of at least 256 bits (384/512 for "
            "HS384/HS512): <code>python -c 'import secrets; print(secrets.token_hex(64))'</code>.",
        ),
        (
            bool(keys),
            "<b>Move keys out of the code</b>: read them from an environment variable or a "
            "secret store, and refuse to start when they are missing.",
        ),
        (
            any(k.startswith("env-file") for k in kinds),
            "<b>Keep .env files out of git</b>: <code>git rm --cached .env</code>, add "
            "<code>.env</code>, <code>.env.*</code> and <code>!.env.example</code> to "
            ".gitignore, and commit a .env.example with the names only.",
        ),
        (
            bool(kinds & {"jwt-token", "jwt-unsigned-token", "jwt-forgeable-token"}),
            "<b>Revoke committed tokens</b>, and mint test tokens at run time with a key "
            "generated for the test.",
        ),
        (
            "jwt-insecure-verification" in kinds,
            "<b>Verify every token</b>: pass the key and an explicit algorithm list, never "
            "accept alg none, never decide on unverified claims.",
        ),
        (
            bool(gone),
            "<b>Then, optionally, purge the history</b> (git filter-repo) and ask everyone to "
            "re-clone: a clean-up after rotation, not a substitute for it.",
        ),
        (
            True,
            "<b>Stop new leaks</b>: <code>jwtscan install-hook</code> (or the pre-commit hook) "
            "on every clone, and <code>jwtscan scan --range auto</code> in CI.",
        ),
    ]


def _age(finding: Finding) -> str:
    """How long a key still in HEAD has been in use (history audits)."""
    if finding.age_days is None:
        return ""
    return f'<br><span class="age">in use {finding.age_days} days</span>'
