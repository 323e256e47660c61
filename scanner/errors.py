"""One error family; every message is written for the person running the scan."""

from __future__ import annotations


class ScannerError(Exception):
    """Something prevented a verdict. ``main`` maps it to exit code 2."""


class UsageError(ScannerError):
    """The command line asks for something impossible."""


class RuleError(ScannerError):
    """A rule file is invalid: the message names the file and the rule id."""


class GitError(ScannerError):
    """Git could not answer a question the scan depends on."""
