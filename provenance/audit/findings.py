"""What an audit rule finds: one :class:`Finding` per problem, with its evidence."""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How much a finding matters: errors are wrong data, warnings weak sourcing, info context."""

    error = "error"
    warning = "warning"
    info = "info"

    @property
    def rank(self) -> int:
        """0 for errors, 1 for warnings, 2 for info: the order findings are listed in."""
        return list(Severity).index(self)

    def at_least(self, threshold: Severity) -> bool:
        """Whether this severity is ``threshold`` or more serious."""
        return self.rank <= threshold.rank


@dataclass(frozen=True)
class Finding:
    """One problem: the rule that found it, how serious, about what, in words, and the evidence.

    ``subject_kind`` is ``claim``, ``statement``, ``report``, ``document`` or ``quantity`` (a
    quantity key: figures given for one count). ``evidence`` holds ids, excerpts and figures,
    as plain JSON values.
    """

    rule: str
    severity: Severity
    subject_kind: str
    subject_id: str
    message: str
    evidence: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def subject(self) -> str:
        """``kind:id``, as shown in tables."""
        return f"{self.subject_kind}:{self.subject_id}"

    def sort_key(self) -> tuple[int, str, str, str, str]:
        """Severity first, then rule, subject and message: a stable, deterministic order."""
        return (self.severity.rank, self.rule, self.subject_kind, self.subject_id, self.message)

    def row(self, *, flat: bool = False, evidence: bool = True) -> dict[str, Any]:
        """The finding as an output row; ``flat`` puts the evidence in as a JSON string, and
        without ``evidence`` (a table, which does not show it) it is left out, unconverted."""
        row = {
            "severity": self.severity.value,
            "rule": self.rule,
            "subject": self.subject,
            "subject_kind": self.subject_kind,
            "subject_id": self.subject_id,
            "message": self.message,
        }
        if evidence:
            shown: Any = plain(self.evidence)
            row["evidence"] = json.dumps(shown, ensure_ascii=False, sort_keys=True) if flat else shown
        return row


def plain(value: Any) -> Any:
    """``value`` as plain JSON: dates as ISO strings, whole floats as ints, tuples as lists."""
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        items = [plain(item) for item in value]
        return sorted(items, key=str) if isinstance(value, set) else items
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        if math.isinf(value):
            return None
        return int(value) if value.is_integer() else value
    return value


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Findings in their reporting order (see :meth:`Finding.sort_key`)."""
    return sorted(findings, key=Finding.sort_key)


def on_claim(claim_id: str | None) -> str:
    """How a message names what a statement is on: "on claim X", or an expressive act."""
    return f"on claim {claim_id}" if claim_id else "in an expressive act (no claim)"


def subject(claim_id: str | None) -> str:
    """What a statement is about in a message: "claim X", or "an expressive act"."""
    return f"claim {claim_id}" if claim_id else "an expressive act"


def shorten(text: str | None, limit: int = 80) -> str:
    """One line of at most ``limit`` characters, for messages."""
    if text is None:
        return ""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def number(value: float | None) -> str:
    """A figure without a useless ``.0``."""
    if value is None:
        return "?"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
