"""A seeded synthetic provenance graph of N statements, as validated dataset files.

The shape follows a news cycle:

- speakers with Zipf-like popularity (Zipf–Mandelbrot, ``1 / (rank + 10)``: a head of busy
  officials, a long tail of people quoted once), most of them inside affiliation trees up to
  four levels deep (government → ministry → department → office → person);
- outlets and news agencies publishing documents of a few KB, each carrying about a dozen
  attributions whose excerpts are located in the text;
- two reports per statement on average (1–3), about 40% of which cite another report — an
  earlier report of the same statement (``via_report``) or a chain of intermediaries
  (``via: [...]``) — so citation chains of depth 1–8 form and converge;
- claims with tags, relations (contradicts, supports, refines, same as), about 10% numeric
  (figures under shared quantity keys), and some anonymous sources, as speakers and as hops.

:func:`stream` yields :class:`provenance.datasets.plan.ParsedFile` objects holding
:class:`provenance.datasets.format.Dataset` models validated by pydantic, as ``read_files`` would return
them, one chunk at a time: ``agents.yaml``, ``claims.yaml``, then ``part-NNN.yaml`` files of
:data:`STATEMENTS_PER_FILE` statements each with the documents that report them (every document
still open is finished at the end of a part, so a part refers only to itself and earlier files).
The benchmark hands the stream to :func:`provenance.datasets.loader.load_datasets`, so the whole graph is
never held in memory. :func:`generate` is the same as a list. Reading YAML is not part of what is
measured. The same seed always gives the same graph.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from provenance.datasets.files import ParsedFile
from provenance.datasets.format import Dataset

STATEMENTS_PER_FILE = 20_000
EXCERPTS_PER_DOCUMENT = 12
OPEN_DOCUMENTS = 400

WORDS = (
    "attack blast city officials security forces ministry spokesman crowd memorial ceremony "
    "province investigation suspects border police report victims hospital wounded killed "
    "government statement press conference agency sources claim responsibility group network "
    "intelligence operation arrested explosives vehicle road cemetery procession commander "
    "anniversary funeral rescue teams emergency services casualties toll figure earlier later "
    "morning evening week region international condemnation response retaliation warned "
    "evidence video footage witnesses local residents authorities announced confirmed denied "
    "questioned alleged reportedly according foreign minister president parliament council "
    "spokesperson analyst expert observers journalists correspondent bureau wire service "
    "tuesday wednesday thursday january capital southern eastern northern western regime "
    "militants cell faction supporters opponents backing funding weapons training camps "
    "sanctions talks negotiations envoy diplomats embassy consulate delegation summit"
).split()
FIRST = "ali mehdi hossein reza ahmad sara maryam zahra john emily david anna omar layla yusuf".split()
LAST = ("bakhshi rahimi karimi hosseini ahmadi moradi smith jones miller haddad nasser "
        "khalil brown taylor wilson").split()
CUES = ["said", "told reporters", "claimed", "stated", "insisted", "announced", "added"]
QUALIFIERS = ["exact", "exact", "exact", "about", "at_least", "more_than", "nearly"]
RELATIONS = ["contradicts", "contradicts", "supports", "refines", "same_as"]
ORG_RELATIONS = ["part_of", "controlled_by", "part_of", "member_of"]


@dataclass
class Stats:
    """What was generated, for the benchmark's output."""

    counts: dict[str, int] = field(default_factory=dict)
    hot_speaker: str = ""
    typical_speaker: str = ""
    cold_speaker: str = ""
    hot_org: str = ""
    hot_claim: str = ""
    cold_claim: str = ""
    hot_quantity: str = ""
    cold_quantity: str = ""
    max_chain_depth: int = 0


class _Zipf:
    """Draw ranks 0..n-1 with weight 1 / (rank + q) ** s."""

    def __init__(self, rng: random.Random, n: int, s: float = 1.0, q: float = 10.0) -> None:
        self.rng = rng
        self.cumulative = list(itertools.accumulate((rank + q) ** -s for rank in range(n)))

    def __call__(self) -> int:
        return bisect.bisect(self.cumulative, self.rng.random() * self.cumulative[-1])


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


class _Generator:
    def __init__(self, n: int, seed: int) -> None:
        self.n = n
        self.rng = random.Random(seed)
        self.stats = Stats()
        self.agents: list[dict[str, Any]] = []
        self.documents: list[dict[str, Any]] = []  # finished, not yet handed out
        self.opened = 0
        self.names: dict[str, str] = {}

    # -- agents ---------------------------------------------------------------------------
    def _agent(self, agent_id: str, name: str, kind: str, **extra: Any) -> str:
        self.agents.append({"id": agent_id, "name": name, "kind": kind, **extra})
        self.names[agent_id] = name
        return agent_id

    def make_agents(self) -> None:
        rng, n = self.rng, self.n
        n_outlets = max(12, min(600, n // 1500))
        self.outlets = [
            self._agent(f"outlet-{i}", f"Outlet {i} News", "news_agency" if i % 7 == 0 else "outlet",
                        state_media=i % 5 == 0, country=rng.choice(["IR", "US", "GB", "QA", "FR"]),
                        aliases=[f"ON{i}"])
            for i in range(n_outlets)
        ]
        self.anonymous = [
            self._agent(f"anon-{i}", f"an unidentified source {i}", "anonymous")
            for i in range(max(4, n // 20_000))
        ]
        # Affiliation trees up to depth 4: government → ministry → department → office.
        self.orgs: list[tuple[str, int]] = []  # (id, depth)
        n_roots = max(3, n // 40_000)
        for root in range(n_roots):
            root_id = self._agent(f"gov-{root}", f"Government {root}", "government",
                                  aliases=[f"G{root}"])
            self.orgs.append((root_id, 0))
            frontier = [(root_id, 0)]
            while frontier:
                parent, depth = frontier.pop()
                if depth >= 3:
                    continue
                for child in range(rng.randint(2, 4) if depth < 2 else rng.randint(1, 3)):
                    org_id = f"{parent}.{child}"
                    self._agent(org_id, f"Body {org_id}", "government_body", affiliations=[
                        {"to": parent, "relation": rng.choice(ORG_RELATIONS)}])
                    self.orgs.append((org_id, depth + 1))
                    frontier.append((org_id, depth + 1))
        n_people = max(20, n // 10)
        self.people = []
        for i in range(n_people):
            name = f"{FIRST[i % len(FIRST)].title()} {LAST[(i // len(FIRST)) % len(LAST)].title()} {i}"
            extra: dict[str, Any] = {}
            if rng.random() < 0.7:
                org, _ = rng.choice(self.orgs)
                extra["affiliations"] = [{"to": org, "relation": "works_for",
                                          "role": "spokesperson" if i % 3 == 0 else None}]
            if i % 4 == 0:
                extra["aliases"] = [name.replace(" ", "-")]
            self.people.append(self._agent(f"p-{i}", name, "person", **extra))
        # Speakers: people by popularity; a few organisations and anonymous sources speak too.
        self.speakers = self.people + [org for org, _ in self.orgs] + self.anonymous
        self.speaker_rank = _Zipf(rng, len(self.speakers))
        self.stats.hot_speaker = self.speakers[0]
        # The 100th most quoted speaker: a busy one, but not the single outlier at the top.
        self.stats.typical_speaker = self.speakers[min(99, len(self.speakers) - 1)]
        self.stats.cold_speaker = self.people[-1]
        self.stats.hot_org = self.orgs[0][0]

    # -- claims ---------------------------------------------------------------------------
    def make_claims(self) -> list[dict[str, Any]]:
        rng = self.rng
        n_claims = max(20, self.n // 5)
        n_keys = max(2, n_claims // 200)
        claims = []
        for i in range(n_claims):
            claim: dict[str, Any] = {
                "id": f"c-{i}", "text": f"Claim {i}: " + _sentence(rng, 8),
                "tags": [f"t-{rng.randrange(200)}" for _ in range(rng.randint(0, 2))],
            }
            if i % 10 == 3:
                key = int(n_keys * rng.random() ** 2)  # a few keys hold most figures
                claim["quantity"] = {"key": f"q-{key}", "value": rng.randint(50, 120),
                                     "qualifier": rng.choice(QUALIFIERS), "unit": "people"}
            if i > 0 and rng.random() < 0.1:
                claim["relations"] = [{"relation": rng.choice(RELATIONS),
                                       "claim": f"c-{rng.randrange(i)}"}]
            claims.append(claim)
        self.claim_rank = _Zipf(rng, n_claims, s=1.0, q=20.0)
        self.stats.hot_claim = "c-0"
        self.stats.cold_claim = f"c-{n_claims - 1}"
        self.stats.hot_quantity = "q-0"
        self.stats.cold_quantity = f"q-{n_keys - 1}"
        return claims

    # -- documents ------------------------------------------------------------------------
    def _open_document(self) -> dict[str, Any]:
        number = self.opened
        self.opened += 1
        outlet = self.outlets[int(len(self.outlets) * self.rng.random() ** 2)]
        doc = {"id": f"d-{number}", "outlet": outlet, "title": f"Report {number}: " +
               _sentence(self.rng, 6), "published": f"2024-01-{1 + number % 28:02d}",
               "authors": [f"{self.rng.choice(FIRST).title()} {self.rng.choice(LAST).title()}"],
               "_parts": [], "_statements": set()}
        return doc

    def _finish_document(self, doc: dict[str, Any]) -> None:
        parts: list[str] = [doc["title"] + "\n\n"]
        for excerpt in doc.pop("_parts"):
            parts.append(_sentence(self.rng, self.rng.randint(10, 25)).capitalize() + ". ")
            parts.append(excerpt + " ")
            parts.append(_sentence(self.rng, self.rng.randint(8, 20)).capitalize() + ".\n\n")
        doc["text"] = "".join(parts)
        del doc["_statements"]
        self.documents.append(doc)

    # -- statements -----------------------------------------------------------------------
    def statements(self) -> Any:
        """Statement dicts, one at a time; documents fill up as their excerpts are placed."""
        rng = self.rng
        open_docs = [self._open_document() for _ in range(OPEN_DOCUMENTS)]
        self.coldest_claim = 0
        reporters = self.outlets + self.anonymous
        for i in range(self.n):
            if i and i % STATEMENTS_PER_FILE == 0:
                # The end of a part: finish every open document, so the part holds them all.
                for slot, doc in enumerate(open_docs):
                    if doc["_parts"]:
                        self._finish_document(doc)
                        open_docs[slot] = self._open_document()
                yield None
            speaker = self.speakers[self.speaker_rank()]
            rank = self.claim_rank()
            self.coldest_claim = max(self.coldest_claim, rank)
            claim = f"c-{rank}"
            quote = _sentence(rng, rng.randint(8, 16))
            cue = rng.choice(CUES)
            said = self.names[speaker]
            statement: dict[str, Any] = {
                "id": f"s-{i}", "speaker": speaker, "claim": claim,
                "stance": "denies" if rng.random() < 0.12 else
                          ("questions" if rng.random() < 0.03 else "asserts"),
                "cue": cue, "mode": "direct", "quote": quote,
                "said_on": f"2024-01-{1 + i % 28:02d}", "speaker_as_stated": said,
            }
            reports: list[dict[str, Any]] = []
            depth: list[int] = []
            for position in range(rng.choices((1, 2, 3), (0.3, 0.4, 0.3))[0]):
                report: dict[str, Any] = {}
                if rng.random() < 0.85:
                    slot = rng.randrange(OPEN_DOCUMENTS)
                    doc = open_docs[slot]
                    while statement["id"] in doc["_statements"]:
                        slot = (slot + 1) % OPEN_DOCUMENTS
                        doc = open_docs[slot]
                    doc["_statements"].add(statement["id"])
                    excerpt = f'{said} {cue}: "{quote}" ({position})'
                    doc["_parts"].append(excerpt)
                    report["document"] = doc["id"]
                    report["excerpt"] = excerpt
                    reporter = doc["outlet"]
                    if len(doc["_parts"]) >= EXCERPTS_PER_DOCUMENT:
                        self._finish_document(doc)
                        open_docs[slot] = self._open_document()
                else:
                    reporter = rng.choice(reporters)
                    report["reporter"] = reporter
                hops = 1
                if rng.random() < 0.4:
                    cited = [k for k, r in enumerate(reports) if "document" in r and depth[k] < 8]
                    if "document" in report and cited and rng.random() < 0.5:
                        target = rng.choice(cited)
                        report["via_report"] = reports[target].setdefault(
                            "id", f"{statement['id']}.r{target}")
                        hops += depth[target]
                    else:
                        length = min(7, int(rng.expovariate(0.8)) + 1)
                        pool = [a for a in rng.sample(reporters, min(len(reporters), length + 1))
                                if a != reporter][:length]
                        report["via"] = pool
                        hops += len(pool)
                # Outside reports are identified by their chain; keep them distinct.
                if (report.get("document") is None and "via_report" not in report
                        and any(r.get("reporter") == reporter and r.get("via") == report.get("via")
                                for r in reports)):
                    continue
                depth.append(hops)
                reports.append(report)
                self.stats.max_chain_depth = max(self.stats.max_chain_depth, hops)
            statement["reports"] = reports
            yield statement
        for doc in open_docs:
            if doc["_parts"]:
                self._finish_document(doc)


def stream(n: int, seed: int = 7, root: Path = Path("synthetic")
           ) -> tuple[Iterator[ParsedFile], Stats]:
    """The graph of ``n`` statements as a stream of validated dataset files, and what it holds.

    ``Stats`` is complete once the stream is exhausted (its keys are known from the start).
    """
    generator = _Generator(n, seed)
    generator.make_agents()
    stats = generator.stats
    stats.counts = {"agents": len(generator.agents), "documents": 0, "claims": 0,
                    "statements": 0, "reports_written_in_files": 0, "document_text_bytes": 0}

    def parsed(name: str, data: dict[str, Any]) -> ParsedFile:
        path = root / name
        return ParsedFile(path=path, shown=path.as_posix(), dataset=Dataset.model_validate(data))

    def files() -> Iterator[ParsedFile]:
        yield parsed("agents.yaml", {"agents": generator.agents})
        generator.agents = []
        claims = generator.make_claims()
        stats.counts["claims"] = len(claims)
        yield parsed("claims.yaml", {"claims": claims})
        del claims
        statements: list[dict[str, Any]] = []
        part = 0

        def flush() -> ParsedFile:
            documents = generator.documents
            generator.documents = []
            stats.counts["documents"] += len(documents)
            stats.counts["document_text_bytes"] += sum(len(doc["text"]) for doc in documents)
            stats.counts["statements"] += len(statements)
            stats.counts["reports_written_in_files"] += sum(len(s["reports"]) for s in statements)
            return parsed(f"part-{part:03d}.yaml",
                          {"documents": documents, "statements": statements})

        for statement in generator.statements():
            if statement is not None:
                statements.append(statement)
                continue
            yield flush()
            statements = []
            part += 1
        if statements:
            yield flush()
        stats.cold_claim = f"c-{generator.coldest_claim}"  # the least popular one said

    return files(), stats


def generate(n: int, seed: int = 7, root: Path = Path("synthetic")) -> tuple[list[ParsedFile], Stats]:
    """The whole graph of ``n`` statements as a list of validated dataset files (small ``n``)."""
    files, stats = stream(n, seed, root)
    return list(files), stats
