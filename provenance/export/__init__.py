"""Standard interchange: provenance out to the formats other tools read, and verdicts in.

Out (``provenance export``): :class:`provenance.store.scope.Scope` picks the rows of one claim,
speaker or document (or everything) in a stable order, and one module per family of formats
writes them —
:mod:`.provgraph` (W3C PROV through the ``prov`` library: PROV-JSON, PROV-N and PROV-O Turtle via
rdflib), :mod:`.schemaorg` (schema.org ``Claim`` as JSON-LD), :mod:`.webannotation` (a W3C Web
Annotation collection of the excerpt evidence) and :mod:`.tables` (one CSV file per table).
:func:`export` is the one entry point. Every export is deterministic: the same database gives
byte-identical output (rows sorted by id in code-point order, no timestamps).

In (``provenance import claimreview``): :mod:`.claimreview` reads schema.org ``ClaimReview``
JSON-LD, :mod:`.matching` finds the claim each review is about, and the reviews become rows of
the ``verdict`` table in one transaction.

Modules here may import ``provenance.store``, ``provenance.queries``, ``provenance.datasets``
(safe file reading) and the top-level shared modules; nothing but the CLI imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from sqlalchemy import Engine

from provenance.errors import ProvenanceError
from provenance.store.scope import Scope

__all__ = ["FORMATS", "STREAMED", "Scope", "export", "export_to"]

#: The formats ``provenance export`` writes, and whether each goes to a folder.
FORMATS = ("prov-json", "prov-o", "prov-n", "schema-org", "annotations", "csv")
#: Formats written as they are read, row by row (PROV is built whole by the ``prov`` library).
STREAMED = ("schema-org", "annotations", "csv")


def export(engine: Engine, fmt: str, scope: Scope, *, out: TextIO | None = None,
           folder: Path | None = None) -> list[str]:
    """Write ``scope`` of the database in ``fmt`` to ``out`` (or, for CSV, into ``folder``).

    Returns what was written, for a summary: the CSV file names, or the counts of records.
    """
    from provenance.export import provgraph, schemaorg, tables, webannotation

    if fmt == "csv":
        if folder is None:
            raise ProvenanceError("--format csv writes one file per table: give a folder with --out")
        with engine.connect() as connection:
            scope.check(connection)
            return tables.write_tables(connection, scope, folder)
    if out is None:
        raise ProvenanceError(f"--format {fmt} writes one file: give --out FILE or read stdout")
    writers: dict[str, Callable] = {
        "prov-json": provgraph.write_json, "prov-o": provgraph.write_turtle,
        "prov-n": provgraph.write_provn, "schema-org": schemaorg.write,
        "annotations": webannotation.write,
    }
    if fmt not in writers:
        raise ProvenanceError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")
    with engine.connect() as connection:
        scope.check(connection)
        return writers[fmt](connection, scope, out)


def export_to(engine: Engine, fmt: str, scope: Scope, out: Path | None, stdout: TextIO) -> list[str]:
    """:func:`export` to ``stdout``, to the file ``out`` (written whole, then moved into place,
    so a failed export leaves no half-written file) or, for CSV, into the folder ``out``."""
    import os
    import tempfile

    if fmt == "csv" or out is None:
        return export(engine, fmt, scope, out=stdout, folder=out)
    if out.is_dir():
        raise ProvenanceError(f"{out}: is a folder; give a file name for --format {fmt}")
    handle, temporary = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent or Path("."))
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
            written = export(engine, fmt, scope, out=file)
        os.replace(temporary, out)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return written
