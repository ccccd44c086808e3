"""A statement's reports: excerpts anchored in their documents, the ``via`` shorthand expanded
into the intermediaries' reports (created once and shared), and citation cycles found.

Used by :mod:`provenance.datasets.plan` while it turns a statement record into rows; every problem is
located in its file (``statements[12].reports[0].excerpt``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from provenance.datasets import evidence
from provenance.datasets.files import ParsedFile
from provenance.datasets.format import ReportIn, StatementIn
from provenance.errors import Problem


class References(Protocol):
    """What a statement's reports need of the plan being built (the plan's builder is one)."""

    problems: list[Problem]
    defined: dict[str, set[str]]
    texts: dict[str, tuple[str, str | None]]

    def check_ref(self, file: ParsedFile, kind: str, ref: str | None, where: str,
                  steps: tuple[Any, ...]) -> bool: ...


class StatementReports:
    """The reports of one statement: excerpts located, ``via`` shorthand expanded, cycles found."""

    def __init__(self, builder: References, file: ParsedFile, index: int, statement: StatementIn):
        self.builder = builder
        self.file = file
        self.index = index
        self.statement = statement
        self.rows: dict[str, dict[str, Any]] = {}
        self.explicit: list[tuple[int, str, str]] = []  # (position, report id, via_report)
        self.places: set[tuple[str, int]] = set()

    def problem(self, position: int, field_name: str, message: str) -> None:
        where = f"statements[{self.index}].reports[{position}]"
        if field_name:
            where += f".{field_name}"
        steps = ("statements", self.index, "reports", position, *([field_name] if field_name else []))
        self.builder.problems.append(self.file.problem(where, message, steps))

    def _ref(self, position: int, kind: str, ref: str | None, field_name: str) -> bool:
        if ref is None or ref in self.builder.defined[kind]:
            return True  # the common case, without building the location of a problem
        steps = ("statements", self.index, "reports", position, field_name)
        return self.builder.check_ref(
            self.file, kind, ref,
            f"statements[{self.index}].reports[{position}].{field_name}", steps)

    def _intermediaries(self, position: int, via: list[str], inferred: list[bool]) -> str | None:
        """Create or reuse the reports of the ``via`` chain; returns the outermost one's id.

        ``inferred[i]`` marks the hop to ``via[i]``: it is kept on the report that relies on
        ``via[i]``'s (a shared report's hop stays inferred only while every chain says so).
        """
        if len(set(via)) != len(via):
            self.problem(position, "via", "the same agent appears twice in the chain: a citation"
                         " cycle (" + " → ".join(via) + ")")
            return None
        if not all(self._ref(position, "agent", agent, "via") for agent in via):
            return None
        report_id = None
        chain = self.statement.id
        for depth in reversed(range(len(via))):
            chain = f"{chain}~{via[depth]}"
            hop_inferred = report_id is not None and inferred[depth + 1]
            if chain not in self.rows:
                self.rows[chain] = self._row(chain, via[depth], None, report_id, None,
                                             via_inferred=hop_inferred)
            else:
                self.rows[chain]["via_inferred"] = self.rows[chain]["via_inferred"] and hop_inferred
            report_id = chain
        return report_id

    def _row(self, report_id: str, reporter: str, document: str | None, via: str | None,
             anchor: tuple[str, evidence.Anchor] | None, *, via_inferred: bool = False,
             reporter_stance: str | None = None) -> dict[str, Any]:
        excerpt, place = anchor if anchor else (None, None)
        return {
            "id": report_id, "statement_id": self.statement.id, "reporter_id": reporter,
            "document_id": document, "via_id": via, "excerpt": excerpt,
            "excerpt_start": place.start if place else None,
            "excerpt_end": place.end if place else None,
            "prefix": place.prefix if place else None, "suffix": place.suffix if place else None,
            "excerpt_sha256": evidence.sha256(excerpt) if excerpt is not None else None,
            "via_inferred": via_inferred, "reporter_stance": reporter_stance,
        }

    def _anchor(self, position: int, report: ReportIn) -> evidence.Anchor | None:
        text, _ = self.builder.texts[report.document]
        assert report.excerpt is not None
        try:
            return evidence.locate(text, report.excerpt, report.start)
        except evidence.ExcerptNotFound as error:
            hint = f": {error.hint}" if error.hint else ""
            self.problem(position, "excerpt", f"not found in document {report.document!r}{hint}")
        except evidence.ExcerptAmbiguous as error:
            places = "; ".join(
                f"start: {offset} («{evidence.context(text, offset, len(report.excerpt))}»)"
                for offset in error.offsets[:5]
            )
            self.problem(position, "excerpt",
                         f"occurs {len(error.offsets)} times in document {report.document!r};"
                         f" add 'start' to pick one, or lengthen the excerpt: {places}")
        except evidence.ExcerptMisplaced as error:
            self.problem(position, "start",
                         f"the excerpt is not at offset {report.start}; it occurs at "
                         + ", ".join(map(str, error.offsets[:10])))
        return None

    def add(self, position: int, report: ReportIn) -> None:
        reporter = report.reporter
        if report.document is not None:
            if not self._ref(position, "document", report.document, "document"):
                return
            if report.document not in self.builder.texts:
                return  # its own problems are reported where it is defined
            # The document's outlet was checked where the document is defined (or is held by
            # the database), so a reporter taken from it needs no check of its own.
            derived = reporter is None
            reporter = reporter or self.builder.texts[report.document][1]
            if reporter is None:
                self.problem(position, "reporter",
                             f"document {report.document!r} has no outlet; say who reports it")
                return
        else:
            derived = False
        if not derived and not self._ref(position, "agent", reporter, "reporter"):
            return
        via, inferred = report.via_agents(), report.via_inferred()
        if reporter in via:
            self.problem(position, "via", f"the reporter {reporter!r} cannot cite itself")
            return
        via_id = self._intermediaries(position, via, inferred) if via else None
        if via and via_id is None:
            return
        if report.document is None:
            chain_id = self.statement.id + "".join(f"~{a}" for a in [*reversed(via), reporter])
            report_id = report.id or chain_id
            anchor = None
        else:
            found = self._anchor(position, report)
            if found is None:
                return
            anchor = (report.excerpt, found)
            if (report.document, found.start) in self.places:
                self.problem(position, "excerpt", "the same excerpt is reported twice")
                return
            self.places.add((report.document, found.start))
            report_id = report.id or self._document_report_id(report.document)
        if report_id in self.rows and (report.id or report.document is not None):
            self.problem(position, "id", f"duplicate report id {report_id!r}")
            return
        self.rows[report_id] = self._row(report_id, reporter, report.document, via_id, anchor,
                                         via_inferred=bool(via) and inferred[0],
                                         reporter_stance=report.reporter_stance)
        if report.via_report:
            self.explicit.append((position, report_id, report.via_report))

    def _document_report_id(self, document: str) -> str:
        base = f"{self.statement.id}@{document}"
        candidate, number = base, 1
        while candidate in self.rows:
            number += 1
            candidate = f"{base}.{number}"
        return candidate

    def link_explicit(self) -> None:
        for position, report_id, target in self.explicit:
            if target not in self.rows:
                self.problem(position, "via_report",
                             f"unknown report {target!r} of statement {self.statement.id!r}")
                continue
            self.rows[report_id]["via_id"] = target
        if not self.explicit and not any(report.id for report in self.statement.reports):
            # Derived ids only: each via points to a strictly shorter chain, so no cycle.
            return
        edges = {rid: {row["via_id"]} for rid, row in self.rows.items() if row["via_id"]}
        for cycle in find_cycles(edges):
            self.builder.problems.append(self.file.problem(
                f"statements[{self.index}].reports",
                "via links form a citation cycle: " + " → ".join([*cycle, cycle[0]]),
                ("statements", self.index, "reports")))
            for report_id in cycle:
                self.rows[report_id]["via_id"] = None

    def ordered_rows(self) -> list[dict[str, Any]]:
        """Rows with every report after the one it relies on, so foreign keys hold row by row."""
        rows = self.rows
        ordered: list[dict[str, Any]] = []
        placed: set[str] = set()
        for report_id in rows:
            chain: list[dict[str, Any]] = []  # this report, then what it relies on, not placed yet
            while report_id and report_id not in placed:
                placed.add(report_id)
                row = rows[report_id]
                chain.append(row)
                report_id = row["via_id"]
            ordered.extend(reversed(chain))
        return ordered


def find_cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Each distinct cycle in a directed graph (iterative DFS), rotated to start at its least id."""
    found: dict[tuple[str, ...], list[str]] = {}
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for root in sorted(edges):
        if state.get(root):
            continue
        path: list[str] = []
        stack: list[tuple[str, Iterable[str]]] = [(root, iter(sorted(edges.get(root, ()))))]
        state[root] = 1
        path.append(root)
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
                state[node] = 2
            elif state.get(child) == 1:
                cycle = path[path.index(child):]
                pivot = cycle.index(min(cycle))
                rotated = cycle[pivot:] + cycle[:pivot]
                found.setdefault(tuple(rotated), rotated)
            elif not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append((child, iter(sorted(edges.get(child, ())))))
    return list(found.values())
