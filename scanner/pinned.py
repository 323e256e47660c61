"""Settings as a commit left them: a range is judged by its base's configuration and baseline,
so a pull request cannot switch its own gate off; what it changes in them is reported."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from scanner.config import FILENAMES, Config, ConfigError, config_in, load_config
from scanner.errors import GitError
from scanner.sources import git

_REGULAR = frozenset({b"100644", b"100755"})  # never a symlink: its target is not the settings


@dataclass(frozen=True, slots=True)
class Pinned:
    config: Config  # the base's configuration, its files written under a temporary folder
    changed: tuple[str, ...]  # settings files (repository paths) the range changes
    folder: Path  # where the base's files are: a repository path P is read from folder / P


def pinned_settings(
    repo: git.Repository,
    base: str | None,
    head: str,
    into: Path,
    *,
    config: str | None = None,
    named: Sequence[str] = (),
) -> Pinned:
    """The configuration at ``base`` (the defaults when the range has no base: the strictest),
    with its rule files, word lists and baseline read from ``base`` into ``into``; ``config``
    and ``named`` are repository paths the command line gave (read from ``base`` too). Also
    which of these files ``head`` has changed."""
    sides = {"base": base, "head": head}
    configs: dict[str, Config] = {}
    blobs: dict[str, dict[str, str]] = {}
    for side, commit in sides.items():
        folder = into / side
        folder.mkdir(parents=True)
        names = (*FILENAMES, *([config] if config else ()))
        blobs[side] = _materialise(repo, commit, names, folder) if commit else {}
        configs[side] = _load(folder, commit, config)
    referenced = {name for side in sides for name in _referenced(configs[side], into / side)}
    referenced.update(named)
    for side, commit in sides.items():
        if commit:
            blobs[side].update(_materialise(repo, commit, sorted(referenced), into / side))
    changed = {
        path
        for path in {*blobs["base"], *blobs["head"]}
        if blobs["base"].get(path) != blobs["head"].get(path)
        and (path != "pyproject.toml" or config == path or _settings_differ(configs, into))
    }
    return Pinned(configs["base"], tuple(sorted(changed)), into / "base")


def _load(folder: Path, commit: str | None, config: str | None) -> Config:
    if config is not None and not (folder / config).is_file():
        return Config()  # not in the base (or no base): the defaults, the strictest
    try:
        return load_config(folder / config if config else config_in(folder), folder)
    except ConfigError as exc:
        where = f"at commit {commit[:12]}: " if commit else ""
        raise ConfigError(where + str(exc).replace(f"{folder}/", "")) from None


def _settings_differ(configs: dict[str, Config], into: Path) -> bool:
    """pyproject.toml changes for many reasons: only its [tool.jwtscan] table counts."""
    return _relative(configs["base"], into / "base") != _relative(configs["head"], into / "head")


def _relative(config: Config, folder: Path) -> Config:
    """``config`` with its paths relative to ``folder``, to compare two sides."""

    def rel(paths: Iterable[Path]) -> tuple[Path, ...]:
        return tuple(p.relative_to(folder) for p in paths)

    return dataclasses.replace(
        config,
        source=None,
        rules=rel(config.rules),
        wordlists=rel(config.wordlists),
        baseline=None if config.baseline is None else config.baseline.relative_to(folder),
    )


def _referenced(config: Config, folder: Path) -> list[str]:
    """Repository paths of the files a configuration names (inside the repository only)."""
    baseline = () if config.baseline is None else (config.baseline,)
    paths = (*config.rules, *config.wordlists, *baseline)
    inside = folder.resolve()
    # A path outside the repository is not the range's to change.
    return [
        p.resolve().relative_to(inside).as_posix()
        for p in paths
        if p.resolve().is_relative_to(inside)
    ]


def _materialise(
    repo: git.Repository, commit: str, names: Iterable[str], into: Path
) -> dict[str, str]:
    """Write the files (and folders' files) ``names`` as ``commit`` has them under ``into``;
    returns repository path -> blob id."""
    wanted = list(names)
    if not wanted:
        return {}
    listing = git.run(["ls-tree", "-r", "-z", "--full-tree", commit, "--", *wanted], repo.cwd)
    blobs: dict[str, str] = {}
    for entry in listing.split(b"\0"):
        meta, _, name = entry.partition(b"\t")
        fields = meta.split()
        if len(fields) == 3 and fields[0] in _REGULAR and fields[1] == b"blob":
            blobs[name.decode("utf-8", "surrogateescape")] = fields[2].decode()
    contents = dict(git.ObjectReader(repo).read(sorted(set(blobs.values()))))
    for path, blob in blobs.items():
        data = contents[blob]
        if data is None:
            raise GitError(f"{path} at {commit[:12]}: object {blob} is missing from the repository")
        target = into / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return blobs
