"""Names as people type them: an agent, claim or quantity from its id, name, alias or words.

Matching is insensitive to case, accents and punctuation (:func:`provenance.names.normalize`;
``agent_alias.normalized`` holds the folded form of every name and alias). Transliterations
(Raisi / Raeisi) and other names (ISIS / Daesh) match through aliases. In order:

agents
    the id; a name or alias, folded; the id with its hyphens read as spaces; then whole words of
    a name or alias ("bakhshi" finds "Mehdi Bakhshi") when only one agent has them.
claims
    the id; the text, folded; then a part of the text, when only one claim contains it; then
    the claims' full-text index (:func:`provenance.store.claim_index.match_claims`), when one
    claim clearly wins ("ISIS is US-backed" finds "The Islamic State (ISIS) is backed by the
    United States").

Nothing found raises :class:`~provenance.errors.NotFoundError` with the closest names
(``rapidfuzz``); several found raise :class:`AmbiguousError` listing them. The fuzzy pass reads
every name, but only when nothing matched.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from provenance.errors import NotFoundError, ProvenanceError
from provenance.names import nfc, normalize
from provenance.store.claim_index import match_claims
from provenance.store.scope import Scope

MAX_SUGGESTIONS = 5
MAX_CANDIDATES = 10
SUGGESTION_CUTOFF = 65
CLEAR_SCORE = 0.6  # a claim found by the full-text index (words, not a substring) must score this
CLEAR_MARGIN = 0.1  # and beat the next one by this much


class AmbiguousError(ProvenanceError):
    """A name matches several records; ``candidates`` lists them as ``"Name (id)"``."""

    def __init__(self, what: str, typed: str, candidates: list[str]) -> None:
        self.candidates = candidates
        shown = candidates[:MAX_CANDIDATES]
        more = f"; and {len(candidates) - len(shown)} more" if len(candidates) > len(shown) else ""
        super().__init__(
            f"{what} {typed!r} is ambiguous; it matches {len(candidates)}: "
            + "; ".join(shown) + more + ". Give the id."
        )


@dataclass(frozen=True)
class AgentRef:
    """A resolved agent."""

    id: str
    name: str
    kind: str

    def __str__(self) -> str:
        return f"{self.name} ({self.id})"


@dataclass(frozen=True)
class ClaimRef:
    """A resolved claim."""

    id: str
    text: str

    def __str__(self) -> str:
        return f"{self.text} ({self.id})"


def _agents(connection: Connection, where: str, **params: object) -> list[AgentRef]:
    rows = connection.execute(
        text(
            "SELECT DISTINCT a.id, a.name, a.kind FROM agent a"
            " LEFT JOIN agent_alias al ON al.agent_id = a.id"
            f" WHERE {where} ORDER BY a.id"
        ),
        params,
    )
    return [AgentRef(*row) for row in rows]


def resolve_agent(connection: Connection, typed: str) -> AgentRef:
    """The one agent ``typed`` names (id, name or alias; forgiving), else an error."""
    wanted = nfc(typed.strip())
    folded = normalize(wanted)
    if not wanted or not folded:
        raise NotFoundError("no agent name given")
    steps: list[tuple[str, dict[str, object]]] = [
        ("a.id = :v", {"v": wanted}),
        ("a.id = :v", {"v": wanted.lower()}),
        ("al.normalized = :v", {"v": folded}),
        ("a.id = :v", {"v": folded.replace(" ", "-")}),
        (
            "(al.normalized LIKE :head OR al.normalized LIKE :tail OR al.normalized LIKE :inner)",
            {"head": f"{folded} %", "tail": f"% {folded}", "inner": f"% {folded} %"},
        ),
    ]
    for where, params in steps:
        found = _agents(connection, where, **params)
        if len(found) == 1:
            return found[0]
        if found:
            raise AmbiguousError("agent", typed, [str(agent) for agent in found])
    rows = connection.execute(
        text("SELECT a.id, a.name, al.normalized FROM agent a JOIN agent_alias al ON al.agent_id = a.id")
    ).all()
    choices = [(normalized, f"{name} ({agent_id})") for agent_id, name, normalized in rows]
    choices += [(normalize(agent_id), f"{name} ({agent_id})") for agent_id, name, _ in rows]
    raise NotFoundError(f"no agent named {typed!r}", suggest(folded, choices))


def resolve_agents(connection: Connection, typed: Iterable[str]) -> list[AgentRef]:
    """Each of several typed names, resolved (errors as :func:`resolve_agent`)."""
    return [resolve_agent(connection, name) for name in typed]


def _claims(connection: Connection, where: str, **params: object) -> list[ClaimRef]:
    rows = connection.execute(
        text(f"SELECT c.id, c.text FROM claim c WHERE {where} ORDER BY c.id"), params
    )
    return [ClaimRef(*row) for row in rows]


def like_pattern(typed: str) -> str:
    """``%typed%`` for ``LIKE ... ESCAPE '\\'``, with the wildcards in ``typed`` escaped."""
    escaped = typed.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def resolve_claim(connection: Connection, typed: str) -> ClaimRef:
    """The one claim ``typed`` names (id, text or a unique part of the text), else an error."""
    wanted = nfc(" ".join(typed.split()))
    if not wanted:
        raise NotFoundError("no claim given")
    for where, params in [
        ("c.id = :v", {"v": wanted}),
        ("c.id = :v", {"v": wanted.lower()}),
        ("lower(c.text) = lower(:v)", {"v": wanted}),
    ]:
        found = _claims(connection, where, **params)
        if found:
            return found[0]
    found = _claims(
        connection, "lower(c.text) LIKE lower(:p) ESCAPE '\\'", p=like_pattern(wanted)
    )
    if len(found) == 1:
        return found[0]
    if found:
        raise AmbiguousError("claim", typed, [str(claim) for claim in found])
    # Folded comparison (accents, punctuation: "U.S.-backed" = "US backed"), then suggestions.
    folded = normalize(wanted)
    everything = [ClaimRef(*row) for row in connection.execute(text("SELECT id, text FROM claim"))]
    exact = [c for c in everything if folded in (normalize(c.text), normalize(c.id))]
    partial = exact or [c for c in everything if folded and folded in normalize(c.text)]
    partial.sort(key=lambda claim: claim.id)
    if len(partial) == 1:
        return partial[0]
    if partial:
        raise AmbiguousError("claim", typed, [str(claim) for claim in partial])
    best = match_claims(connection, wanted, 2)
    if best and best[0].score >= CLEAR_SCORE and (
            len(best) == 1 or best[0].score - best[1].score >= CLEAR_MARGIN):
        return ClaimRef(best[0].id, best[0].text)  # one claim clearly wins on the full-text index
    choices = [(normalize(c.text), str(c)) for c in everything]
    choices += [(normalize(c.id), str(c)) for c in everything]
    raise NotFoundError(f"no claim matches {typed!r}", suggest(folded, choices))


def resolve_quantity(connection: Connection, typed: str) -> str:
    """A quantity key (``kerman-killed``) from its key, folded, or a unique part or words of it."""
    keys = [row[0] for row in connection.execute(
        text("SELECT DISTINCT quantity_key FROM claim WHERE quantity_key IS NOT NULL")
    )]
    folded = normalize(typed)
    exact = sorted(key for key in keys if key == typed.strip() or normalize(key) == folded)
    if exact:
        return exact[0]
    words = set(folded.split())
    partial = sorted(
        key for key in keys
        if folded and (folded in normalize(key) or words <= set(normalize(key).split()))
    )
    if len(partial) == 1:
        return partial[0]
    if partial:
        raise AmbiguousError("quantity", typed, partial)
    raise NotFoundError(
        f"no quantity named {typed!r}", suggest(folded, [(normalize(k), k) for k in keys])
    )


def resolve_scope(engine: Engine, *, claim: str | None = None, speaker: str | None = None,
                  document: str | None = None) -> Scope:
    """The :class:`~provenance.store.scope.Scope` of names as people type them (a claim's text,
    a speaker's alias; a document by its id)."""
    with engine.connect() as connection:
        return Scope(claim=resolve_claim(connection, claim).id if claim else None,
                     speaker=resolve_agent(connection, speaker).id if speaker else None,
                     document=document)


def _score(typed: str, candidate: str, **_: object) -> float:
    """How close a folded name is: the whole, or one of its words for a one-word query."""
    from rapidfuzz import fuzz

    best = fuzz.ratio(typed, candidate)
    if " " in typed:
        return max(best, fuzz.token_set_ratio(typed, candidate))
    return max([best, *(fuzz.ratio(typed, word) for word in candidate.split())])


def suggest(folded: str, choices: list[tuple[str, str]], limit: int = MAX_SUGGESTIONS) -> list[str]:
    """The labels of the ``choices`` (folded form, label) closest to ``folded``, best first."""
    from rapidfuzz import process

    if not folded or not choices:
        return []
    matches = process.extract(
        folded, [form for form, _ in choices], scorer=_score,
        score_cutoff=SUGGESTION_CUTOFF, limit=None,
    )
    ranked = sorted(matches, key=lambda match: (-match[1], choices[match[2]][1]))
    labels: list[str] = []
    for _, _, index in ranked:
        label = choices[index][1]
        if label not in labels:
            labels.append(label)
        if len(labels) == limit:
            break
    return labels


__all__ = [
    "AgentRef", "AmbiguousError", "ClaimRef", "like_pattern", "resolve_agent", "resolve_agents",
    "resolve_claim", "resolve_quantity", "suggest",
]
