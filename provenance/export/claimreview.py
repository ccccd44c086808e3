"""Fact-check verdicts in: schema.org ``ClaimReview`` JSON-LD into the ``verdict`` table.

A file holds one ``ClaimReview``, a list of them, an ``@graph`` (other nodes in it are skipped)
or a Data Commons feed (``{"dataFeedElement": [{"item": [ClaimReview, ...]}]}``). Each review
needs an ``author`` with a name, a ``reviewRating`` (``alternateName`` or ``ratingValue``) and
the claim's wording (``claimReviewed``, or ``itemReviewed``'s ``name`` / ``text``). The claim is
found by :mod:`.matching` (or directly, when ``itemReviewed`` has the ``@id`` of one of ours,
``urn:provenance:claim:<id>``, as our schema.org export writes it).

Every file is read and checked first; any problem (located: file, the path inside the JSON,
the field) and nothing is written. Then the verdicts are written in one transaction: a review
already stored the same way is left alone, so importing a file again changes nothing. A review
whose claim cannot be matched confidently is not stored: it is *proposed*, with its closest
claims, and :func:`write_proposals` can write the proposals as a draft dataset of new claims
to review and load (after which importing the reviews again matches them).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from sqlalchemy import Engine, bindparam, select, text
from sqlalchemy.engine import Connection

from provenance.datasets.files import FileProblem, read_text, shown_path
from provenance.errors import DatasetError, Problem
from provenance.export.matching import ClaimMatcher, confident, percent
from provenance.names import normalize
from provenance.store import database
from provenance.store.claim_index import ClaimMatch
from provenance.store.models import Verdict

SUFFIXES = (".json", ".jsonld")
CLAIM_IRI = "urn:provenance:claim:"
SCHEMA_PREFIXES = ("", "schema:", "http://schema.org/", "https://schema.org/")
RESULT_COLUMNS = ["source", "reviewer", "rating", "claim", "score", "outcome", "candidates"]
COMPARED = ["claim_id", "reviewer", "reviewer_id", "rating_value", "best_rating", "worst_rating",
            "rating_alternate_name", "reviewed_on", "url", "claim_reviewed", "match_score", "source"]
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass
class Review:
    """One ClaimReview as read from a file, before matching."""

    source: str
    texts: list[str]
    item_claim: str | None
    reviewer: str
    rating_value: str | None
    best_rating: str | None
    worst_rating: str | None
    alternate_name: str | None
    reviewed_on: dt.date | None
    url: str | None

    @property
    def verdict_id(self) -> str:
        """Stable for one review: its URL, reviewer, wording and date (not the file)."""
        key = json.dumps([self.url, self.reviewer, self.texts[:1], str(self.reviewed_on)])
        return "verdict-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]

    @property
    def rating(self) -> str:
        """The verdict in words, else its value on its scale."""
        if self.alternate_name:
            return self.alternate_name
        scale = f"/{self.best_rating}" if self.best_rating else ""
        return f"{self.rating_value}{scale}"


@dataclass
class ImportResult:
    """What an import did: one row per review (:data:`RESULT_COLUMNS`), and the proposals."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    proposals: list[tuple[Review, list[ClaimMatch]]] = field(default_factory=list)

    def summary(self) -> str:
        """``3 reviews: 1 new, 0 changed, 1 unchanged, 1 proposed``."""
        counts = {name: sum(1 for row in self.rows if row["outcome"] == name)
                  for name in ("new", "changed", "unchanged", "proposed")}
        noun = "review" if len(self.rows) == 1 else "reviews"
        return f"{len(self.rows)} {noun}: " + ", ".join(f"{n} {name}" for name, n in counts.items())


def import_claimreviews(engine: Engine, paths: list[Path], proposals: Path | None = None) -> ImportResult:
    """Read every ClaimReview under ``paths``, match each to a claim and store the verdicts, in
    one transaction. Raises :class:`DatasetError` (nothing written) when any file has problems.
    With ``proposals``, the reviews that matched no claim confidently are written there as a
    draft dataset of new claims (see :func:`write_proposals`), when there are any."""
    reviews = read_reviews(paths)
    result = ImportResult()
    with database.writing(engine) as connection:
        database.ensure_schema(connection)
        matcher = ClaimMatcher(connection)
        reviewers = _reviewer_agents(connection, {review.reviewer for review in reviews})
        rows: dict[str, dict[str, Any]] = {}
        for review in reviews:
            candidates = _candidates(connection, matcher, review)
            chosen = confident(candidates)
            shown = {"source": review.source, "reviewer": review.reviewer, "rating": review.rating}
            if chosen is None:
                result.proposals.append((review, candidates))
                result.rows.append({**shown, "claim": None, "score": None, "outcome": "proposed",
                                    "candidates": _closest(candidates)})
                continue
            reviewer_id = reviewers.get(normalize(review.reviewer))
            rows.setdefault(review.verdict_id, _row(review, chosen, reviewer_id))
            result.rows.append({**shown, "claim": chosen.id, "score": percent(chosen),
                                "outcome": review.verdict_id, "candidates": None})
        outcomes = _write(connection, list(rows.values()))
        for row in result.rows:
            if row["outcome"] in outcomes:
                row["outcome"] = outcomes[row["outcome"]]
        existing: set[str] = set()
        if proposals is not None and result.proposals:  # ids the proposed claims must not take
            existing = set(connection.execute(text("SELECT id FROM claim")).scalars())
    if proposals is not None and result.proposals:
        write_proposals(result, existing, proposals)
    return result


def _closest(candidates: list[ClaimMatch]) -> str:
    """``isis-is-israels-creation (82.6), ...``: the three best (scores as percentages)."""
    return ", ".join(f"{c.id} ({percent(c):g})" for c in candidates[:3])


def _candidates(connection: Connection, matcher: ClaimMatcher, review: Review) -> list[ClaimMatch]:
    if review.item_claim is not None:
        found = connection.execute(text("SELECT text FROM claim WHERE id = :id"),
                                   {"id": review.item_claim}).scalar()
        if found is not None:
            return [ClaimMatch(review.item_claim, found, 1.0)]
    best: dict[str, ClaimMatch] = {}
    for wording in review.texts:
        for candidate in matcher.match(wording):
            if candidate.id not in best or best[candidate.id].score < candidate.score:
                best[candidate.id] = candidate
    return sorted(best.values(), key=lambda c: (-c.score, c.id))


def _reviewer_agents(connection: Connection, names: set[str]) -> dict[str, str]:
    """``{folded name: agent id}`` for reviewers known as agents (by name or alias)."""
    folded = sorted({normalize(name) for name in names})
    if not folded:
        return {}
    rows = connection.execute(text(
        "SELECT normalized, MIN(agent_id) FROM agent_alias WHERE normalized IN :names GROUP BY normalized"
    ).bindparams(bindparam("names", expanding=True)), {"names": folded})
    return dict(rows.all())


def _row(review: Review, chosen: ClaimMatch, reviewer_id: str | None) -> dict[str, Any]:
    return {
        "id": review.verdict_id, "claim_id": chosen.id, "reviewer": review.reviewer,
        "reviewer_id": reviewer_id, "rating_value": review.rating_value,
        "best_rating": review.best_rating, "worst_rating": review.worst_rating,
        "rating_alternate_name": review.alternate_name, "reviewed_on": review.reviewed_on,
        "url": review.url, "claim_reviewed": review.texts[0] if review.texts else None,
        "match_score": percent(chosen), "source": review.source,
    }


def _write(connection: Connection, rows: list[dict[str, Any]]) -> dict[str, str]:
    """Upsert the verdicts that are new or changed; ``{verdict id: new|changed|unchanged}``."""
    table = Verdict.__table__  # type: ignore[attr-defined]
    before: dict[str, dict[str, Any]] = {}
    ids = [row["id"] for row in rows]
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for found in connection.execute(select(table).where(table.c.id.in_(chunk))).mappings():
            before[found["id"]] = dict(found)
    outcomes, changed = {}, []
    for row in rows:
        old = before.get(row["id"])
        if old is not None and all(old[key] == row[key] for key in COMPARED):
            outcomes[row["id"]] = "unchanged"
            continue
        outcomes[row["id"]] = "new" if old is None else "changed"
        changed.append(row)
    database.upsert(connection, table, changed)
    return outcomes


def read_reviews(paths: list[Path]) -> list[Review]:
    """Every ClaimReview in the files (or folders) ``paths``; raises :class:`DatasetError` with
    every problem found, located by file, path inside the JSON and field."""
    files, problems = _files(paths)
    reviews: list[Review] = []
    for path in files:
        shown = shown_path(path)
        try:
            data = json.loads(read_text(path, shown_as=shown))
        except FileProblem as error:
            problems.append(error.problem)
            continue
        except json.JSONDecodeError as error:
            problems.append(Problem(shown, "", f"not valid JSON: {error.msg}", line=error.lineno))
            continue
        for where, node in _collect(data, "", shown, problems):
            review = _review(node, shown, where, problems)
            if review is not None:
                reviews.append(review)
    if problems:
        raise DatasetError(problems)
    return reviews


def _files(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    found: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file())
            if not inside:
                problems.append(Problem(str(path), "", "no ClaimReview files (.json, .jsonld) in it"))
            found.extend(inside)
        elif path.exists():
            found.append(path)
        else:
            problems.append(Problem(str(path), "", "no such file or directory"))
    return list(dict.fromkeys(found)), problems


def _is_claimreview(node: Any) -> bool:
    kinds = node.get("@type") if isinstance(node, dict) else None
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(kind, str) and kind in {p + "ClaimReview" for p in SCHEMA_PREFIXES}
               for kind in kinds)


def _collect(data: Any, where: str, file: str, problems: list[Problem]) -> Iterator[tuple[str, dict]]:
    """The ClaimReview objects of a parsed file, with their paths inside it."""
    if isinstance(data, list):
        for index, item in enumerate(data):
            yield from _collect(item, f"{where}[{index}]", file, problems)
    elif _is_claimreview(data):
        yield where or "(top level)", data
    elif isinstance(data, dict) and "@graph" in data:
        graph = data["@graph"]
        if not isinstance(graph, list):
            problems.append(Problem(file, _join(where, "@graph"), "must be a list of nodes"))
            return
        for index, node in enumerate(graph):
            if _is_claimreview(node):
                yield f"{_join(where, '@graph')}[{index}]", node
    elif isinstance(data, dict) and "dataFeedElement" in data:
        elements = data["dataFeedElement"]
        for index, element in enumerate(elements if isinstance(elements, list) else [elements]):
            place = f"{_join(where, 'dataFeedElement')}[{index}]"
            items = element.get("item") if isinstance(element, dict) else None
            if items is None:
                problems.append(Problem(file, place, "a feed element needs an 'item' (the ClaimReview)"))
                continue
            yield from _collect(items if isinstance(items, list) else [items], _join(place, "item"),
                                file, problems)
    else:
        kind = data.get("@type") if isinstance(data, dict) else type(data).__name__
        problems.append(Problem(file, where or "(top level)",
                                f"not a ClaimReview (found {kind!r}); expected a ClaimReview, a list of"
                                " them, an @graph or a DataFeed with dataFeedElement"))


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _review(node: dict, file: str, where: str, problems: list[Problem]) -> Review | None:
    """One ClaimReview checked field by field; None (and problems) when it cannot be used."""
    found: list[Problem] = []

    def problem(key: str, message: str) -> None:
        found.append(Problem(file, _join(where, key), message))

    reviewer = _name(node.get("author"))
    if reviewer is None:
        problem("author", "the reviewer is missing: give author.name (the fact-checking organization)")
    rating = node.get("reviewRating")
    rating = rating[0] if isinstance(rating, list) and rating else rating
    if not isinstance(rating, dict) or not (_text(rating.get("alternateName"))
                                            or _scalar(rating.get("ratingValue"))):
        problem("reviewRating", "the verdict is missing: give reviewRating.alternateName"
                " (e.g. \"False\") or reviewRating.ratingValue")
        rating = {}
    item = node.get("itemReviewed") if isinstance(node.get("itemReviewed"), dict) else {}
    texts = [t for t in (_text(node.get("claimReviewed")), _text(item.get("name")), _text(item.get("text")))
             if t]
    item_id = item.get("@id") if isinstance(item.get("@id"), str) else None
    item_claim = unquote(item_id[len(CLAIM_IRI):]) if item_id and item_id.startswith(CLAIM_IRI) else None
    if not texts and item_claim is None:
        problem("claimReviewed", "the claim is missing: give claimReviewed (or itemReviewed.name)")
    for key in ("claimReviewed", "url"):
        if node.get(key) is not None and not isinstance(node.get(key), str):
            problem(key, f"must be text, not {type(node.get(key)).__name__}")
    reviewed_on = _date(node.get("datePublished"))
    if node.get("datePublished") is not None and reviewed_on is None:
        problem("datePublished", f"not a date: {node.get('datePublished')!r} (expected YYYY-MM-DD)")
    if found:
        problems.extend(found)
        return None
    return Review(
        source=f"{file}#{where}", texts=texts, item_claim=item_claim, reviewer=reviewer or "",
        rating_value=_scalar(rating.get("ratingValue")), best_rating=_scalar(rating.get("bestRating")),
        worst_rating=_scalar(rating.get("worstRating")), alternate_name=_text(rating.get("alternateName")),
        reviewed_on=reviewed_on, url=node.get("url"),
    )


def _name(author: Any) -> str | None:
    author = author[0] if isinstance(author, list) and author else author
    if isinstance(author, dict):
        return _text(author.get("name"))
    return _text(author)


def _text(value: Any) -> str | None:
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def _scalar(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return str(int(value)) if float(value).is_integer() else str(value)
    return _text(value)


def _date(value: Any) -> dt.date | None:
    if not isinstance(value, str) or not _DATE.match(value):
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


PROPOSALS_HEADER = """\
# Claims proposed by `provenance import claimreview`: fact-checks whose claim matched none of the
# database's claims confidently. For each: keep it as a new claim (fix its id, text and tags), or
# delete it and reword an existing claim; then `provenance load` this file and import the
# fact-checks again, which will match them.
"""


def write_proposals(result: ImportResult, existing: set[str], out: Path) -> int:
    """Write the proposed claims of ``result`` as a draft dataset file (YAML, with the review
    and the closest existing claims as comments); returns how many. Ids avoid ``existing``."""
    lines = [PROPOSALS_HEADER, "claims:"]
    taken = set(existing)
    for review, candidates in result.proposals:
        wording = review.texts[0] if review.texts else review.item_claim or ""
        claim_id = _new_id(wording, taken)
        taken.add(claim_id)
        lines.append(f"  # {review.source}: {review.reviewer} rated it {review.rating!r}"
                     + (f" ({review.url})" if review.url else ""))
        if candidates:
            lines.append("  # closest claims: " + _closest(candidates))
        lines += [f"  - id: {claim_id}", f"    text: {json.dumps(wording, ensure_ascii=False)}",
                  "    tags: [fact-checked]", ""]
    out.write_text("\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")
    return len(result.proposals)


def _new_id(wording: str, taken: set[str]) -> str:
    """A slug of the first words of ``wording`` that no claim has."""
    words = normalize(wording).split() or ["claim"]
    base = ""
    for word in words:
        if len(base) + len(word) + 1 > 60:
            break
        base = f"{base}-{word}" if base else word
    base = base or words[0][:60]
    claim_id, number = base, 2
    while claim_id in taken:
        claim_id, number = f"{base}-{number}", number + 1
    return claim_id
