"""Reading the files users hand us — dataset files and document texts — defensively.

Every failure is a :class:`~provenance.errors.Problem` naming the file and, where a parser knows
it, the line: empty, binary, not UTF-8, too large, malformed YAML or JSON, duplicate keys.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from provenance.datasets.format import Dataset
from provenance.errors import Problem

DATASET_SUFFIXES = (".yaml", ".yml", ".json")
MAX_DATASET_BYTES = 50 * 1024 * 1024
MAX_TEXT_BYTES = 20 * 1024 * 1024


@dataclass
class ParsedFile:
    """A dataset file that parsed and validated."""

    path: Path
    shown: str
    dataset: Dataset
    lines: Any = None  # callable(location tuple) -> line number, for YAML

    @cached_property
    def source(self) -> str:
        return self.path.as_posix()

    def problem(self, location: str, message: str, steps: tuple[Any, ...] = ()) -> Problem:
        line = self.lines(steps) if self.lines and steps else None
        return Problem(self.shown, location, message, line=line)


class FileProblem(Exception):
    """Raised inside this module; carries the :class:`Problem` to report."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def find_dataset_files(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """Expand files and directories (recursively) into dataset files, in a stable order."""
    found: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in DATASET_SUFFIXES
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not inside:
                problems.append(Problem(str(path), "", "no dataset files (.yaml, .yml, .json) in it"))
            found.extend(inside)
        elif path.is_file():
            found.append(path)
        else:
            problems.append(Problem(str(path), "", "no such file or directory"))
    unique = list(dict.fromkeys(p.resolve() for p in found))
    return unique, problems


def shown_path(path: Path) -> str:
    """A path as the user should see it: relative to the working directory when inside it."""
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def read_text(path: Path, *, shown_as: str, limit: int = MAX_TEXT_BYTES) -> str:
    """Read a UTF-8 text file whole, refusing empty, binary, oversized or mis-encoded files."""
    try:
        if path.is_dir():
            raise FileProblem(Problem(shown_as, "", "is a directory, not a file"))
        size = path.stat().st_size
        if size > limit:
            raise FileProblem(
                Problem(shown_as, "", f"is too large ({size:,} bytes; the limit is {limit:,})")
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise FileProblem(Problem(shown_as, "", "no such file")) from None
    except OSError as error:
        raise FileProblem(Problem(shown_as, "", f"cannot be read: {error.strerror}")) from None
    if not data.strip():
        raise FileProblem(Problem(shown_as, "", "is empty"))
    if b"\x00" in data:
        raise FileProblem(Problem(shown_as, "", "looks binary (it contains NUL bytes), not text"))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FileProblem(
            Problem(
                shown_as,
                "",
                f"is not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start});"
                " convert it, e.g. `iconv -f latin1 -t utf-8`",
                line=line,
            )
        ) from None


_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when available


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """A safe YAML loader that refuses duplicate keys instead of keeping the last one."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False):
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)


def _reject_duplicate_json_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def parse_dataset(text: str, *, shown_as: str, is_json: bool) -> tuple[Any, yaml.Node | None]:
    """Parse a dataset file; returns the data and, for YAML, its node tree (for line numbers)."""
    if is_json:
        try:
            return json.loads(text, object_pairs_hook=_reject_duplicate_json_keys), None
        except json.JSONDecodeError as error:
            raise FileProblem(
                Problem(shown_as, "", f"malformed JSON: {error.msg} (column {error.colno})",
                        line=error.lineno)
            ) from None
        except ValueError as error:
            raise FileProblem(Problem(shown_as, "", f"malformed JSON: {error}")) from None
    loader = _UniqueKeyLoader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
        return data, root
    except yaml.composer.ComposerError as error:
        if "expected a single document" in str(error):
            raise FileProblem(
                Problem(shown_as, "", "holds several YAML documents ('---'); use one per file")
            ) from None
        raise FileProblem(Problem(shown_as, "", f"malformed YAML: {error.problem}",
                                  line=error.problem_mark.line + 1 if error.problem_mark else None)) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        message = " ".join(str(part) for part in (error.context, error.problem) if part)
        raise FileProblem(Problem(shown_as, "", f"malformed YAML: {message}", line=line)) from None
    except yaml.YAMLError as error:
        raise FileProblem(Problem(shown_as, "", f"malformed YAML: {error}")) from None
    finally:
        loader.dispose()


def line_of(root: yaml.Node | None, location: tuple[Any, ...]) -> int | None:
    """The 1-based line of the deepest YAML node that ``location`` reaches, if known."""
    node = root
    line = node.start_mark.line + 1 if node is not None else None
    for step in location:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if getattr(k, "value", None) == step), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            node = node.value[step] if 0 <= step < len(node.value) else None
        else:
            node = None
        if node is None:
            break
        line = node.start_mark.line + 1
    return line
