"""Reading the files users hand us — dataset files and document texts — defensively.

Every failure is a :class:`~provenance.errors.Problem` naming the file and, where a parser knows
it, the line: empty, binary, not UTF-8, too large, malformed YAML or JSON, duplicate keys, YAML
aliases that would expand past a limit ("billion laughs") or nest too deep, and text files that
lie outside the dataset's folder.

A dataset's *folder* (its root) is the directory named on the command line, or the folder of a
file named there. A record remembers its origin as ``<root's name>/<path inside the root>``, so
the same dataset loaded from a clone elsewhere is the same source.
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
#: How many nodes YAML aliases may add beyond those written out (a legitimate file repeats a few
#: lists; a "billion laughs" bomb adds billions), and how deep collections may nest.
MAX_ALIAS_EXPANSION = 100_000
MAX_YAML_DEPTH = 64
BOM = "\ufeff"


@dataclass
class ParsedFile:
    """A dataset file that parsed and validated."""

    path: Path
    shown: str
    dataset: Dataset
    lines: Any = None  # callable(location tuple) -> line number, for YAML
    root: Path | None = None  # the dataset's folder; None: the file's own folder, absolute source

    @cached_property
    def source(self) -> str:
        """The origin its records remember: ``<root name>/<path in root>``, the same in any clone
        (the absolute path when the file came without a root, as ``ingest`` hands them)."""
        if self.root is None:
            return self.path.as_posix()
        return (Path(self.root.name) / self.path.relative_to(self.root)).as_posix()

    @property
    def legacy_source(self) -> str:
        """The origin earlier versions stored: the file's absolute path."""
        return self.path.as_posix()

    @property
    def folder(self) -> Path:
        """The folder that the files this dataset names must lie in."""
        return self.root if self.root is not None else self.path.parent

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
    found, problems = find_dataset_roots(paths)
    return list(found), problems


def find_dataset_roots(paths: list[Path], root: Path | None = None
                       ) -> tuple[dict[Path, Path], list[Problem]]:
    """Like :func:`find_dataset_files`, with each file's dataset folder: ``root`` when given
    (every file must be inside it), else the directory given that holds it, or the folder of a
    file given itself (the first path given wins)."""
    found: dict[Path, Path] = {}
    problems: list[Problem] = []
    if root is not None:
        if not root.is_dir():
            return {}, [Problem(str(root), "", "the dataset's folder (--root) is not a directory")]
        files, problems = find_dataset_roots(paths)
        folder = root.resolve()
        for file in files:
            if file.is_relative_to(folder):
                found[file] = folder
            else:
                problems.append(Problem(shown_path(file), "", "is outside the dataset's folder"
                                        f" {shown_path(folder)} (--root)"))
        return found, problems
    for path in paths:
        if path.is_dir():
            root = path.resolve()
            inside = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in DATASET_SUFFIXES
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not inside:
                problems.append(Problem(str(path), "", "no dataset files (.yaml, .yml, .json) in it"))
            for file in inside:
                resolved = file.resolve()
                if not resolved.is_relative_to(root):
                    problems.append(Problem(shown_path(file), "", "is a link to a file outside"
                                            f" {shown_path(root)}; dataset files must be inside it"))
                    continue
                found.setdefault(resolved, root)
        elif path.is_file():
            resolved = path.resolve()
            found.setdefault(resolved, resolved.parent)
        else:
            problems.append(Problem(str(path), "", "no such file or directory"))
    return found, problems


def inside_folder(folder: Path, base: Path, name: str, *, shown_as: str) -> Path:
    """The file ``name`` (relative to ``base``) if it lies within ``folder``, else a problem.

    Absolute paths are refused, and so is any path that leaves ``folder`` once ``..`` and
    symbolic links are resolved: a dataset cannot make the loader read the machine's files.
    """
    relative = Path(name)
    if relative.is_absolute() or name.startswith("~"):
        raise FileProblem(Problem(shown_as, "", "is an absolute path; give a path relative to"
                                  " the dataset file, inside the dataset's folder"))
    target = (base / relative).resolve()
    if not target.is_relative_to(folder.resolve()):
        raise FileProblem(Problem(shown_as, "", "lies outside the dataset's folder"
                                  f" ({shown_path(folder)}); text files must be inside it"))
    return target


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
        text = data.decode("utf-8")
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
    return text.removeprefix(BOM)  # a byte-order mark is no part of the text (nor its offsets)


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
        except RecursionError:
            raise FileProblem(Problem(shown_as, "", "malformed JSON: nested too deep")) from None
    loader = _UniqueKeyLoader(text)
    try:
        root = loader.get_single_node()
        if root is not None:
            _check_expansion(root, shown_as)
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


def _check_expansion(root: yaml.Node, shown_as: str) -> None:
    """Refuse a node tree whose aliases would expand into too many nodes, that refers to itself,
    or that nests too deep — before anything is built from it.

    Aliases compose into shared nodes, so the tree is small; it is what reads it afterwards
    (construction, validation) that would walk every expansion. Each node's expanded size is
    counted once (iteratively: no recursion to exhaust).
    """
    sizes: dict[int, int] = {}
    distinct = 0
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        children = _children(node)
        if done:
            on_path.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in children)
            if sizes[key] - distinct > MAX_ALIAS_EXPANSION:
                raise FileProblem(Problem(
                    shown_as, "", "YAML aliases expand to more than"
                    f" {MAX_ALIAS_EXPANSION:,} extra values (an alias bomb?); write the values out",
                    line=node.start_mark.line + 1))
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise FileProblem(Problem(shown_as, "", "a YAML alias refers to the collection it is in",
                                      line=node.start_mark.line + 1))
        if depth > MAX_YAML_DEPTH:
            raise FileProblem(Problem(shown_as, "", f"nests deeper than {MAX_YAML_DEPTH} levels",
                                      line=node.start_mark.line + 1))
        distinct += 1
        on_path.add(key)
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in children if id(child) not in sizes)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


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
