"""Safe markdown and Mermaid for reports: every value that comes from a source goes through here.

Text from sources (quotes, excerpts, names, titles, even ids written to the tables directly) may
hold ``|``, backticks, ``<script>``, brackets, ``$`` or newlines. :func:`text` makes any of it one
line of literal text wherever it is put (paragraph, list item, heading, table cell);
:func:`mermaid_label` does the same inside a quoted Mermaid label; :func:`file_name` turns an id
into a file name that cannot leave its directory. Links are built only from those file names and
from ``http(s)`` URLs, percent-encoded.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from provenance.names import show_controls
from provenance.output import escape_markdown

#: What a well-formed id looks like (the dataset validation pattern).
SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9._-]{0,118}[a-z0-9])?$")
#: Names some filesystems refuse, whatever the extension.
RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}

_ANYWHERE = {"$": "\\$", "~": "\\~"}
_LEADING = re.compile(r"^(?:([#=+-])|(\d+)([.)]))")
_MERMAID = {"#": "#35;", '"': "#34;", "<": "#60;", ">": "#62;", "&": "#38;", "`": "#96;"}


_SPACES = set("\t\n\r\x0b\x0c\x85\u2028\u2029")
#: The control characters (Unicode category Cc) and the line and paragraph separators.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_ANYWHERE_SPECIAL = re.compile("[$~]")


def _printable(value: str) -> str:
    """``value`` without control characters (line breaks and tabs become spaces)."""
    return _CONTROLS.sub(lambda match: " " if match.group() in _SPACES else "", value)


def text(value: Any) -> str:
    """One line of literal markdown text: no markup, no HTML, no table break (``None``: "")."""
    if value is None:
        return ""
    escaped = escape_markdown(_printable(str(value)))
    escaped = _ANYWHERE_SPECIAL.sub(lambda match: _ANYWHERE[match.group()], escaped)
    # A line starting with these would be a heading or a list item.
    return _LEADING.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", escaped)


def ident(value: str) -> str:
    """An id as inline code when it is a clean slug, else as escaped text."""
    return f"`{value}`" if SLUG.match(value) else text(value)


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A GitHub table. Cells are taken as markdown already made safe (see :func:`text`)."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    for row in rows:
        cells = [" ".join(str(cell if cell is not None else "").split()) for cell in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def link(label: Any, target: str) -> str:
    """``[label](target)``: ``target`` is a path built by :func:`report_path` or :func:`safe_url`."""
    shown = text(label) or text(target)
    return f"[{shown}]({target})"


def safe_url(url: str | None) -> str | None:
    """An ``http(s)`` URL percent-encoded so it cannot end a link early; ``None`` for others."""
    if not url:
        return None
    cleaned = url.strip()
    if not re.match(r"^https?://[^\s/?#]+", cleaned, re.IGNORECASE) or _printable(cleaned) != cleaned:
        return None
    return quote(cleaned, safe="/:?#@!$&'*+,;=%-._~")


def url_link(url: str | None, label: Any | None = None) -> str:
    """A link to an outside URL when it is a safe one, else the URL as plain text."""
    target = safe_url(url)
    if target is None:
        return text(url)
    return f"[{text(label if label is not None else url)}]({target})"


def blockquote(value: Any) -> str:
    """A one-line quotation block of literal text."""
    return "> " + (text(value) or "(empty)")


def heading(level: int, value: str) -> str:
    """A heading whose words are already safe markdown."""
    return "#" * level + " " + value


def anchor(name: str) -> str:
    """An HTML anchor to link to with ``#name`` (``name`` from :func:`file_name`)."""
    return f'<a id="{name}"></a>'


def file_name(identifier: str) -> str:
    """A file-name stem for ``identifier``: the id itself when it is a clean slug, else a slug
    of it plus a hash of the whole id. Never empty, never ``.`` or ``..``, no separators."""
    if SLUG.match(identifier) and ".." not in identifier and identifier not in RESERVED:
        return identifier
    folded = unicodedata.normalize("NFKD", identifier).encode("ascii", "ignore").decode().lower()
    stem = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:60] or "id"
    digest = hashlib.sha256(identifier.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"{stem}-{digest}"


def file_names(identifiers: Iterable[str]) -> dict[str, str]:
    """:func:`file_name` for each id, made unique (in code-point order of the ids)."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for identifier in sorted(set(identifiers)):
        name = file_name(identifier)
        candidate, n = name, 1
        while candidate in used:
            n += 1
            candidate = f"{name}-{n}"
        used.add(candidate)
        names[identifier] = candidate
    return names


def shorten(value: str | None, limit: int) -> str:
    """One line of at most ``limit`` characters."""
    flat = " ".join(_printable(value or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def mermaid_label(value: Any, limit: int = 80) -> str:
    """Text for inside a double-quoted Mermaid label: entity codes for ``" # < > & `` and
    backticks, one line, never empty."""
    flat = show_controls(shorten(str(value) if value is not None else "", limit)) or "?"
    return "".join(_MERMAID.get(ch, ch) for ch in flat)


#: Mermaid's defaults: it draws no flowchart of more arrows (``maxEdges``) or characters
#: (``maxTextSize``) than these, and shows an error instead.
MAX_EDGES = 500
MAX_TEXT = 50_000


@dataclass
class Flowchart:
    """A Mermaid flowchart built from safe parts: generated node ids, escaped labels.

    Node ids are ``n1``, ``n2`` … in the order nodes are added, so the same data gives the
    same diagram; keys (any hashable) name nodes for edges.
    """

    direction: str = "LR"
    nodes: dict[Any, tuple[str, list[str], str]] = field(default_factory=dict)
    edges: list[tuple[Any, Any, str | None, bool]] = field(default_factory=list)
    classes: dict[str, str] = field(default_factory=dict)

    def node(self, key: Any, lines: Sequence[Any], css: str = "", shape: str = "box") -> str:
        """Add a node (once per key) labelled with ``lines``; returns its id."""
        if key not in self.nodes:
            label = "<br/>".join(mermaid_label(line) for line in lines if line not in (None, "")) or "?"
            self.nodes[key] = (f"n{len(self.nodes) + 1}", [label, shape], css)
        return self.nodes[key][0]

    def edge(self, source: Any, target: Any, label: str | None = None, dotted: bool = False) -> None:
        """An arrow between two added nodes (once per pair and label)."""
        item = (source, target, label, dotted)
        if item not in self.edges:
            self.edges.append(item)

    def too_big(self) -> bool:
        """Whether Mermaid would refuse to draw it: more arrows than its ``maxEdges`` (500)."""
        return len(self.edges) > MAX_EDGES

    def render(self) -> str:
        """The fenced ```` ```mermaid ```` block (see :meth:`too_big` and :data:`MAX_TEXT`)."""
        shapes = {"box": ('["', '"]'), "round": ('("', '")'), "stadium": ('(["', '"])')}
        lines = ["```mermaid", f"flowchart {self.direction}"]
        for node_id, (label, shape), _ in self.nodes.values():
            opening, closing = shapes[shape]
            lines.append(f"  {node_id}{opening}{label}{closing}")
        for source, target, label, dotted in self.edges:
            arrow = "-.->" if dotted else "-->"
            middle = f'|"{mermaid_label(label, 40)}"|' if label else ""
            lines.append(f"  {self.nodes[source][0]} {arrow}{middle} {self.nodes[target][0]}")
        for name, style in sorted(self.classes.items()):
            lines.append(f"  classDef {name} {style}")
        by_class: dict[str, list[str]] = {}
        for node_id, _, css in self.nodes.values():
            if css:
                by_class.setdefault(css, []).append(node_id)
        for css, ids in sorted(by_class.items()):
            lines.append(f"  class {','.join(ids)} {css}")
        lines.append("```")
        return "\n".join(lines) + "\n"
