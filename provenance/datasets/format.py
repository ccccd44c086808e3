"""The dataset files people write by hand (YAML or JSON), as pydantic models.

A dataset file has four optional top-level lists: ``agents``, ``documents``, ``claims`` and
``statements``. Records refer to each other by id (a lowercase slug). The JSON Schema in
``schema/dataset.schema.json`` is generated from :class:`Dataset` (``provenance schema``).

Chains use a shorthand: a report with ``via: [mehr]`` says "this document reports what Mehr
reported the speaker said"; ``via: [breitbart-tv, mehr]`` reads outward-in (the document cites
breitbart-tv, which cites Mehr, which heard the speaker first-hand). The loader creates or reuses
the intermediaries' reports.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from provenance.store.vocabulary import (
    AffiliationRelation,
    AgentKind,
    ClaimRelationKind,
    ExpressiveAct,
    Method,
    Modality,
    Mode,
    Qualifier,
    ReporterStance,
    ReviewStatus,
    Stance,
    StatementKind,
)

ID_PATTERN = r"^[a-z0-9](?:[a-z0-9._-]{0,118}[a-z0-9])?$"

Id = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN),
    Field(description="A lowercase slug: letters a-z, digits, '.', '_' and '-'; at most 120."),
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100_000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1_000)]


class _Record(BaseModel):
    """Every input record rejects unknown fields, so a typo is an error, not a silent no-op."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)


class AffiliationIn(_Record):
    """The agent belongs to another agent: ``{to: judiciary-of-iran, relation: part_of}``."""

    to: Id = Field(description="The agent this one belongs to.")
    relation: AffiliationRelation = AffiliationRelation.member_of
    role: ShortText | None = Field(None, description="Role in words: 'city prosecutor'.")
    since: dt.date | None = None
    until: dt.date | None = None


class AgentIn(_Record):
    """Anyone who can say or report something, including anonymous sources."""

    id: Id
    name: ShortText
    kind: AgentKind
    aliases: list[ShortText] = Field(default_factory=list, description="Other names and spellings.")
    country: ShortText | None = None
    description: Text | None = None
    wikidata: Annotated[str, StringConstraints(pattern=r"^Q[1-9][0-9]*$")] | None = None
    state_media: bool = Field(False, description="For outlets: run or controlled by a state.")
    ownership: ShortText | None = Field(None, description="For outlets: who owns it.")
    affiliations: list[AffiliationIn] = Field(default_factory=list)


DocumentField = Literal["outlet", "published", "authors", "title"]


class RepublicationIn(_Record):
    """A copy of the document outside the corpus: ``{url: https://..., outlet: some-blog}``."""

    url: ShortText
    outlet: Id | None = Field(None, description="The agent that published the copy.")
    published: dt.date | None = None


class DocumentIn(_Record):
    """A published text. Give its text in a file (relative to the dataset file) or inline."""

    id: Id
    file: ShortText | None = Field(None, description="Path of the UTF-8 text, relative to this file.")
    text: str | None = Field(None, description="The text itself, instead of a file.")
    outlet: Id | None = Field(None, description="The agent that published it.")
    authors: list[ShortText] = Field(default_factory=list)
    title: ShortText | None = None
    url: ShortText | None = None
    published: dt.date | None = None
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")] = "en"
    republishes: Id | None = Field(None, description="The document this one is a copy of.")
    republishes_url: ShortText | None = Field(
        None, description="The URL of a document outside the corpus that this one is a copy of."
    )
    republished_at: list[RepublicationIn] = Field(
        default_factory=list, description="Copies of this document outside the corpus, by URL."
    )
    inferred: list[DocumentField] = Field(
        default_factory=list, description="Fields inferred by the curator rather than shown."
    )

    @model_validator(mode="after")
    def _one_text_source(self) -> DocumentIn:
        if (self.file is None) == (self.text is None):
            raise ValueError("give exactly one of 'file' or 'text'")
        if self.republishes and self.republishes_url:
            raise ValueError("give 'republishes' (a document of the corpus) or 'republishes_url'"
                             " (one outside it), not both")
        return self


class QuantityIn(_Record):
    """The numeric part of a claim: ``{key: kerman-killed, value: 84, qualifier: at_least}``."""

    key: Id = Field(description="What is counted; claims with one key form a timeline.")
    value: float
    qualifier: Qualifier = Qualifier.exact
    unit: ShortText | None = None


class ClaimRelationIn(_Record):
    """This claim contradicts, supports, refines or is the same as another claim."""

    relation: ClaimRelationKind
    claim: Id
    note: Text | None = None


class ClaimIn(_Record):
    """A proposition in neutral words."""

    id: Id
    text: Text
    tags: list[Id] = Field(default_factory=list)
    quantity: QuantityIn | None = None
    about_date: dt.date | None = Field(None, description="When the event the claim is about began.")
    relations: list[ClaimRelationIn] = Field(default_factory=list)


class HopIn(_Record):
    """An intermediary of ``via`` the text does not name: ``{agent: irna, inferred: true}``."""

    agent: Id
    inferred: bool = Field(
        False, description="The hop to this intermediary is the curator's inference, not the text's."
    )


class ReportIn(_Record):
    """One appearance of the statement: in a document of the corpus, or an outside report."""

    id: Id | None = Field(None, description="Optional; needed only to point 'via_report' at it.")
    document: Id | None = None
    reporter: Id | None = Field(None, description="Defaults to the document's outlet.")
    via: list[Id | HopIn] = Field(
        default_factory=list,
        description="Intermediaries, outermost first; the last heard it first-hand. An item"
        " {agent: x, inferred: true} marks the hop to x as inferred.",
    )
    reporter_stance: ReporterStance | None = Field(
        None, description="The reporter's own stance on what it relays: 'Breitbart, disputing ...'."
    )
    via_report: Id | None = Field(None, description="The id of another report of this statement.")
    excerpt: Text | None = Field(None, description="Verbatim text of the document carrying it.")
    start: Annotated[int, Field(ge=0)] | None = Field(
        None, description="Offset of the excerpt, when it occurs more than once."
    )

    @model_validator(mode="after")
    def _consistent(self) -> ReportIn:
        if self.document is None:
            if self.reporter is None:
                raise ValueError("a report without a document needs a 'reporter'")
            if self.excerpt is not None or self.start is not None:
                raise ValueError("'excerpt' and 'start' need a 'document'")
        elif self.excerpt is None:
            raise ValueError("a report in a document needs the verbatim 'excerpt'")
        if self.via and self.via_report:
            raise ValueError("give 'via' or 'via_report', not both")
        return self

    def via_agents(self) -> list[str]:
        """The intermediaries' ids, outermost first."""
        return [hop if isinstance(hop, str) else hop.agent for hop in self.via]

    def via_inferred(self) -> list[bool]:
        """For each intermediary, whether the hop to it is inferred."""
        return [not isinstance(hop, str) and hop.inferred for hop in self.via]


class StatementIn(_Record):
    """An agent asserting, denying or questioning a claim, and every report of it; or an
    expressive act (``kind: expressive``, ``act: condolence``) that makes no claim."""

    id: Id
    speaker: Id
    speaker_as_stated: ShortText | None = Field(None, description="The words the text uses.")
    kind: StatementKind = StatementKind.claim
    claim: Id | None = Field(None, description="The claim made; none for an expressive act.")
    act: ExpressiveAct | None = Field(None, description="What an expressive act does.")
    about: Text | None = Field(None, description="What an expressive act is about, in words.")
    stance: Stance = Stance.asserts
    modality: Modality = Field(
        Modality.asserted,
        description="hedged: the speaker keeps a distance ('probably'); reported_unattributed:"
        " nobody is named ('reportedly', 'it is believed'), the speaker is an unattributed agent.",
    )
    hedge: ShortText | None = Field(None, description="The hedging words: 'reportedly'.")
    cue: ShortText | None = Field(None, description="'said', 'quoted ... as saying', 'according to'.")
    mode: Mode = Mode.paraphrase
    quote: Text | None = Field(None, description="The words attributed to the speaker.")
    quotes: list[Text] = Field(
        default_factory=list, description="More quotes of the same statement, after 'quote'."
    )
    said_on: dt.date | None = None
    venue: ShortText | None = None
    inferred: list[Literal["said_on"]] = Field(default_factory=list)
    method: Method = Method.curated
    review_status: ReviewStatus = ReviewStatus.reviewed
    note: Text | None = None
    reports: list[ReportIn] = Field(default_factory=list)

    @model_validator(mode="after")
    def _kind_shape(self) -> StatementIn:
        if self.kind == StatementKind.claim:
            if self.claim is None:
                raise ValueError("a statement needs a 'claim' (or kind: expressive and an 'act')")
            if self.act is not None or self.about is not None:
                raise ValueError("'act' and 'about' are for kind: expressive")
        else:
            if self.act is None:
                raise ValueError("an expressive statement needs its 'act' (condolence, ...)")
            if self.claim is not None:
                raise ValueError("an expressive statement makes no claim: drop 'claim'")
        if self.hedge is not None and self.modality == Modality.asserted:
            raise ValueError("a 'hedge' needs modality: hedged or reported_unattributed")
        return self

    def all_quotes(self) -> list[str]:
        """Every quote, ``quote`` first."""
        return list(dict.fromkeys([*([self.quote] if self.quote else []), *self.quotes]))


class Dataset(_Record):
    """A dataset file: agents, documents, claims and statements."""

    model_config = ConfigDict(
        extra="forbid",
        use_enum_values=True,
        json_schema_extra={
            "$id": "https://github.com/provenance/provenance/schema/dataset.schema.json",
        },
    )

    description: Text | None = None
    agents: list[AgentIn] = Field(default_factory=list)
    documents: list[DocumentIn] = Field(default_factory=list)
    claims: list[ClaimIn] = Field(default_factory=list)
    statements: list[StatementIn] = Field(default_factory=list)


def json_schema() -> dict:
    """The JSON Schema of dataset files, as written to ``schema/dataset.schema.json``."""
    schema = Dataset.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "provenance dataset"
    return schema
