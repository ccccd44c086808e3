"""Where reports go: file names from ids, relative links between reports, and safe writing.

Every report path is built here from :func:`~provenance.reports.markdown.file_names`, so a link
and the file it points to always agree. :func:`write_tree` writes a set of reports into an output
directory, refusing any path that would land outside it (``..``, absolute paths, symlinks), and
keeps a manifest of what it wrote so that a later full run removes its own stale files — never a
file it did not write.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from provenance.errors import ProvenanceError
from provenance.reports.markdown import file_names

MANIFEST = ".provenance-reports"
_PART = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


class _Same(dict[str, str]):
    """File names of ids that are their own: each id names itself."""

    def __missing__(self, key: str) -> str:
        return key


class Links:
    """Relative paths from one report to the others (``prefix`` is "" or "../")."""

    def __init__(
        self,
        claims: Iterable[str],
        agents: Iterable[str],
        documents: Iterable[str],
        quantities: Iterable[str],
        prefix: str = "",
    ) -> None:
        self.names = {
            "claims": file_names(claims),
            "speakers": file_names(agents),
            "documents": file_names(documents),
            "quantities": file_names(quantities),
        }
        self.prefix = prefix

    @classmethod
    def of_slugs(cls, quantities: Iterable[str]) -> Links:
        """The links when every claim, agent and document id is a clean slug, so its own file
        name (:func:`~provenance.reports.markdown.file_name`): no id has to be read to name one."""
        links = cls([], [], [], quantities)
        for kind in ("claims", "speakers", "documents"):
            links.names[kind] = _Same()
        return links

    def at(self, prefix: str) -> Links:
        """The same links, seen from a report ``prefix`` away from the root."""
        other = Links([], [], [], [], prefix)
        other.names = self.names
        return other

    def path(self, kind: str, identifier: str) -> str:
        """The path of a report from the output directory: ``claims/<name>.md``."""
        return f"{kind}/{self.names[kind][identifier]}.md"

    def claim(self, identifier: str) -> str:
        """Link target of a claim report."""
        return self.prefix + self.path("claims", identifier)

    def speaker(self, identifier: str) -> str:
        """Link target of a speaker (agent) report."""
        return self.prefix + self.path("speakers", identifier)

    def document(self, identifier: str) -> str:
        """Link target of a document report."""
        return self.prefix + self.path("documents", identifier)

    def quantity_anchor(self, key: str) -> str:
        """The anchor of a quantity's section in ``figures.md``."""
        return "q-" + self.names["quantities"][key]

    def quantity(self, key: str) -> str:
        """Link target of a quantity's timeline."""
        return f"{self.prefix}figures.md#{self.quantity_anchor(key)}"

    def page(self, name: str, fragment: str | None = None) -> str:
        """Link target of a top-level page (``index.md``, ``audit.md``, ``figures.md``)."""
        return self.prefix + name + (f"#{fragment}" if fragment else "")


@dataclass
class WriteResult:
    """What :func:`write_tree` did, as paths relative to the output directory."""

    out_dir: Path
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def summary(self, shown_dir: Path) -> str:
        """``160 reports in reports: 3 written, 157 unchanged, 1 stale removed``."""
        total = len(self.written) + len(self.unchanged)
        message = (f"{total} report{'s' if total != 1 else ''} in {shown_dir}:"
                   f" {len(self.written)} written, {len(self.unchanged)} unchanged")
        if self.removed:
            message += f", {len(self.removed)} stale removed"
        return message


def _target(root: Path, relative: str) -> Path:
    """``root / relative`` after checking it is a plain path inside ``root`` (no symlink out)."""
    parts = relative.split("/")
    if not parts or any(not _PART.match(part) or ".." in part for part in parts):
        raise ProvenanceError(f"refusing to write report {relative!r}: not a plain relative path")
    target = root.joinpath(*parts)
    if target.is_symlink() or not target.resolve().is_relative_to(root):
        raise ProvenanceError(f"refusing to write report {relative!r}: it would land outside {root}")
    return target


def _write(target: Path, content: str) -> None:
    """Write ``content`` atomically (a temporary file in the same directory, then rename)."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".md")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(content)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _manifest(root: Path) -> list[str]:
    path = root / MANIFEST
    if not path.is_file() or path.is_symlink():
        return []
    return [
        line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")
    ]


def write_tree(out_dir: Path, files: Mapping[str, str], *, clean: bool) -> WriteResult:
    """Write ``files`` (relative path → text) under ``out_dir``; files whose text is unchanged
    are left alone. With ``clean``, files listed in the previous manifest and not in ``files``
    are removed; the manifest then lists exactly ``files`` (else it grows by them)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    root = out_dir.resolve()
    result = WriteResult(out_dir)
    for relative in sorted(files):
        target = _target(root, relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        target = _target(root, relative)  # again, now that the directory exists
        content = files[relative]
        if target.is_file() and target.read_text(encoding="utf-8", errors="replace") == content:
            result.unchanged.append(relative)
            continue
        _write(target, content)
        result.written.append(relative)
    previous = _manifest(root)
    if clean:
        for relative in sorted(set(previous) - set(files)):
            try:
                target = _target(root, relative)
            except ProvenanceError:
                continue  # a tampered manifest: never delete outside the output directory
            if target.is_file():
                target.unlink()
                result.removed.append(relative)
        listed = sorted(files)
    else:
        listed = sorted(set(previous) | set(files))
    manifest = "# written by `provenance report`; stale files listed here are removed\n"
    manifest += "".join(f"{relative}\n" for relative in listed)
    manifest_path = root / MANIFEST
    if manifest_path.is_symlink():
        raise ProvenanceError(f"refusing to write {manifest_path}: it is a symlink")
    if not manifest_path.is_file() or manifest_path.read_text(encoding="utf-8") != manifest:
        _write(manifest_path, manifest)
    return result
