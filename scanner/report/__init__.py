"""Reporters: each turns a scan result into a string; ``scanner.report.<format>.render``."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scanner.findings import ScanResult


@dataclass(frozen=True, slots=True)
class ReportOptions:
    show_secrets: bool = False
    color: bool = False


Reporter = Callable[["ScanResult", bool, bool], str]

# Each format is the module of that name here, imported when used (the hook needs only text).
FORMATS = ("text", "json", "sarif", "github", "junit", "markdown", "html")


def render(name: str, result: ScanResult, options: ReportOptions) -> str:
    if name not in FORMATS:
        raise ValueError(f"unknown report format {name!r}")
    reporter: Reporter = importlib.import_module(f"scanner.report.{name}").render
    return reporter(result, options.show_secrets, options.color)
