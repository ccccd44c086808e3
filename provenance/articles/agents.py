"""Known agents for drafting: a mention ("Iran's interior minister Ahmad Vahidi", "IRNA", "Miller")
matched to the agents the database holds, with a recorded confidence.

Matching goes, in order: a Wikidata id; the id or a name/alias, folded
(:func:`provenance.names.normalize`); the longest known name ending the mention's head ("the
official news agency IRNA" → IRNA); a person's surname alone ("Vahidi"); then fuzzy similarity
of the whole mention to every name (``rapidfuzz``, 90 and up). Several agents equally close make
an ambiguous match: no agent, but the candidates, for the reviewer to choose from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import Engine, select, text

from provenance.names import normalize

FUZZY_CUTOFF = 90.0
_DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "iran s", "s"}


@dataclass(frozen=True)
class Match:
    """The agent a mention names (``id`` None when none or several), and how sure that is."""

    id: str | None
    confidence: float = 0.0
    method: str = "none"  # wikidata, alias, tail, surname, fuzzy, none
    candidates: tuple[str, ...] = ()


@dataclass
class KnownAgents:
    """Every agent the database holds, indexed for matching mentions."""

    aliases: dict[str, set[str]] = field(default_factory=dict)  # folded alias -> agent ids
    kinds: dict[str, str] = field(default_factory=dict)  # agent id -> kind
    names: dict[str, str] = field(default_factory=dict)  # agent id -> name
    wikidata: dict[str, str] = field(default_factory=dict)  # Q-id -> agent id
    surnames: dict[str, set[str]] = field(default_factory=dict)  # last word of a person -> ids
    documents: dict[str, set[str]] = field(default_factory=dict)  # anonymous agent -> its documents

    @classmethod
    def load(cls, engine: Engine | None) -> KnownAgents:
        """The agents of the database at ``engine`` (none without one)."""
        known = cls()
        if engine is None:
            return known
        from provenance.store.models import Agent, AgentAlias

        agent, alias = Agent.__table__, AgentAlias.__table__
        with engine.connect() as connection:
            for agent_id, name, kind, wikidata in connection.execute(
                select(agent.c.id, agent.c.name, agent.c.kind, agent.c.wikidata)
            ):
                known.kinds[agent_id], known.names[agent_id] = kind, name
                known.aliases.setdefault(agent_id, set()).add(agent_id)
                if wikidata:
                    known.wikidata[wikidata] = agent_id
            for folded, agent_id in connection.execute(select(alias.c.normalized, alias.c.agent_id)):
                known.add_alias(folded, agent_id)
            for agent_id, document in connection.execute(text(
                "SELECT DISTINCT s.speaker_id, r.document_id FROM statement s"
                " JOIN agent a ON a.id = s.speaker_id AND a.kind IN ('anonymous', 'unattributed')"
                " JOIN report r ON r.statement_id = s.id WHERE r.document_id IS NOT NULL"
            )):
                known.documents.setdefault(agent_id, set()).add(document)
        return known

    def add_alias(self, folded: str, agent_id: str) -> None:
        """Index one folded name of ``agent_id`` (people's surnames too)."""
        self.aliases.setdefault(folded, set()).add(agent_id)
        words = folded.split()
        if self.kinds.get(agent_id) == "person" and len(words) >= 2:
            self.surnames.setdefault(words[-1], set()).add(agent_id)

    def match(self, mention: str) -> Match:
        """The known agent ``mention`` names, if any (see the module's order of steps)."""
        wikidata = re.search(r"\bQ[1-9][0-9]*\b", mention)
        if wikidata and wikidata.group(0) in self.wikidata:
            return Match(self.wikidata[wikidata.group(0)], 1.0, "wikidata")
        words = normalize(mention).split()
        exact = self.aliases.get(" ".join(words))  # an alias may keep its article ("The commander …")
        if exact:
            return _pick(exact, 1.0, "alias")
        while words and words[0] in _DETERMINERS:
            words = words[1:]
        if not words:
            return Match(None)
        whole = " ".join(words)
        found = (self.aliases.get(whole) or self.aliases.get(whole.replace(" ", "-"))
                 or self.aliases.get(re.sub(r"\btv\b", "television", whole)))  # "state TV"
        if found:
            return _pick(found, 1.0, "alias")
        head = normalize(re.split(r"[,(]", mention, maxsplit=1)[0]).split() or words
        # English noun phrases end in their head: the known name ending rightmost, longest first.
        for end in range(len(head), 0, -1):
            for start in range(end):
                piece = " ".join(head[start:end])
                if len(piece) < 3 and start > 0:
                    continue
                found = self.aliases.get(piece)
                if found:
                    return _pick(found, 0.9 if end == len(head) else 0.8, "tail")
        if len(words) == 1 and words[0] in self.surnames:
            return _pick(self.surnames[words[0]], 0.85, "surname")
        return self._fuzzy(whole)

    def _fuzzy(self, whole: str) -> Match:
        if len(whole) < 5 or not self.aliases:
            return Match(None)
        from rapidfuzz import fuzz, process

        best = process.extract(whole, list(self.aliases), scorer=fuzz.ratio,
                               score_cutoff=FUZZY_CUTOFF, limit=5)
        if not best:
            return Match(None)
        top = best[0][1]
        ids = {agent for name, score, _ in best if score >= top - 1 for agent in self.aliases[name]}
        return _pick(ids, round(top / 100, 2), "fuzzy")


def anonymous_of(known: KnownAgents, mention: str, document: str) -> str | None:
    """The known anonymous source of ``document`` (and of no other) that ``mention`` is, if any.

    Anonymous sources belong to their document: one is reused only where a person recorded it.
    """
    from rapidfuzz import fuzz

    words = normalize(mention)
    best = max(((fuzz.token_set_ratio(words, normalize(known.names.get(agent_id, ""))), agent_id)
                for agent_id, documents in known.documents.items() if documents == {document}),
               default=(0.0, None))
    return best[1] if best[0] >= 60 else None


def _pick(ids: set[str], confidence: float, method: str) -> Match:
    if len(ids) == 1:
        return Match(next(iter(ids)), confidence, method)
    return Match(None, 0.0, "ambiguous", tuple(sorted(ids)))
