"""Reporters: each turns a scan result into a string; a literal dict is the registry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scanner.report import github, html, json, junit, markdown, sarif, text

if TYPE_CHECKING:
    from scanner.scan import ScanResult


@dataclass(frozen=True, slots=True)
class ReportOptions:
    show_secrets: bool = False
    color: bool = False


Reporter = Callable[["ScanResult", bool, bool], str]

FORMATS: dict[str, Reporter] = {
    "text": text.render,
    "json": json.render,
    "sarif": sarif.render,
    "github": github.render,
    "junit": junit.render,
    "markdown": markdown.render,
    "html": html.render,
}


def render(name: str, result: ScanResult, options: ReportOptions) -> str:
    return FORMATS[name](result, options.show_secrets, options.color)
