"""The database tables, as SQLModel classes.

Plain, readable tables: text slugs as primary keys (the ids people write in dataset files), one
row per fact, and foreign keys, uniqueness and allowed values enforced by the database itself
(``CHECK`` constraints built from :mod:`provenance.store.vocabulary`), so that a ``sqlite3`` or
``psql`` user who writes to the tables directly cannot break them either.

Every top-level record (agent, document, claim, statement) remembers the dataset file it was
loaded from (``source``) and a checksum of everything it wrote (``checksum``), which is how a
reload skips what is unchanged and updates or removes what that file used to say.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlmodel import Field, SQLModel

from provenance.store.migrations import SCHEMA_VERSION as MIGRATIONS_SCHEMA_VERSION
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
    values,
)

ID_LENGTH = 120
REPORT_ID_LENGTH = 400


def _one_of(column: str, enum: type[StrEnum], *, name: str | None = None,
            nullable: bool = False) -> CheckConstraint:
    allowed = ", ".join(f"'{value}'" for value in values(enum))
    condition = f"{column} IN ({allowed})"
    if nullable:
        condition = f"{column} IS NULL OR {condition}"
    return CheckConstraint(condition, name=name or f"ck_{column}_allowed")


def _server_default(value: str) -> dict:
    """A default the database fills in too (rows that existed before the column did)."""
    return {"server_default": value}


def _fk(target: str, *, nullable: bool = False, ondelete: str | None = None, length: int = ID_LENGTH):
    """A foreign-key column; deletions are refused unless ``ondelete`` says otherwise."""
    return Field(
        sa_column=Column(
            String(length), ForeignKey(target, ondelete=ondelete), nullable=nullable, index=True
        )
    )


class Agent(SQLModel, table=True):
    """Anyone who can say or report something: person, body, outlet, anonymous source."""

    __tablename__ = "agent"
    __table_args__ = (_one_of("kind", AgentKind),)

    id: str = Field(primary_key=True, max_length=ID_LENGTH)
    name: str = Field(max_length=1000)
    kind: str = Field(max_length=40)
    country: str | None = Field(default=None, max_length=1000)
    description: str | None = Field(default=None, sa_type=Text)
    wikidata: str | None = Field(default=None, max_length=20)
    state_media: bool = False
    ownership: str | None = Field(default=None, max_length=1000)
    source: str = Field(max_length=1000, index=True)
    checksum: str = Field(max_length=80)


class AgentAlias(SQLModel, table=True):
    """Another name of an agent; ``normalized`` is the folded form names are matched on."""

    __tablename__ = "agent_alias"

    agent_id: str = Field(
        sa_column=Column(
            String(ID_LENGTH), ForeignKey("agent.id", ondelete="CASCADE"), primary_key=True
        )
    )
    alias: str = Field(primary_key=True, max_length=1000)
    normalized: str = Field(max_length=1000, index=True)


class Affiliation(SQLModel, table=True):
    """Agent → agent: member of, works for, controlled by, part of, affiliated with."""

    __tablename__ = "affiliation"
    __table_args__ = (
        _one_of("relation", AffiliationRelation),
        CheckConstraint("agent_id <> parent_id", name="ck_affiliation_not_self"),
    )

    agent_id: str = Field(
        sa_column=Column(
            String(ID_LENGTH), ForeignKey("agent.id", ondelete="CASCADE"), primary_key=True
        )
    )
    parent_id: str = Field(
        sa_column=Column(String(ID_LENGTH), ForeignKey("agent.id"), primary_key=True, index=True)
    )
    relation: str = Field(max_length=40)
    role: str | None = Field(default=None, max_length=1000)
    since: dt.date | None = None
    until: dt.date | None = None


class Document(SQLModel, table=True):
    """A published text, stored whole with its content hash."""

    __tablename__ = "document"
    __table_args__ = (
        CheckConstraint("republishes_id IS NULL OR republishes_id <> id", name="ck_doc_not_self"),
    )

    id: str = Field(primary_key=True, max_length=ID_LENGTH)
    outlet_id: str | None = _fk("agent.id", nullable=True)
    title: str | None = Field(default=None, max_length=1000)
    url: str | None = Field(default=None, max_length=1000)
    published: dt.date | None = Field(default=None, index=True)
    language: str = Field(default="en", max_length=35)
    text: str = Field(sa_type=Text)
    sha256: str = Field(max_length=80, description="'sha256:<hex>' of the UTF-8 text.")
    republishes_id: str | None = _fk("document.id", nullable=True)
    outlet_inferred: bool = False
    published_inferred: bool = False
    authors_inferred: bool = False
    title_inferred: bool = False
    source: str = Field(max_length=1000, index=True)
    checksum: str = Field(max_length=80)
    republishes_url: str | None = Field(
        default=None, max_length=1000,
        description="A document outside the corpus, known by URL only, that this one republishes.",
    )


class DocumentAuthor(SQLModel, table=True):
    """An author of a document, in byline order."""

    __tablename__ = "document_author"

    document_id: str = Field(
        sa_column=Column(
            String(ID_LENGTH), ForeignKey("document.id", ondelete="CASCADE"), primary_key=True
        )
    )
    position: int = Field(primary_key=True)
    name: str = Field(max_length=1000)


class PassageFingerprint(SQLModel, table=True):
    """A winnowed hash of a document's text (see :mod:`provenance.store.passages`), written by the
    loader with the document and removed with it: what the audit joins to find shared passages.
    Keyed by hash first (the join's index; on SQLite a table without rowid, which is that index)."""

    __tablename__ = "passage_fingerprint"
    __table_args__ = (
        Index("ix_passage_fingerprint_document", "document_id"),
        {"sqlite_with_rowid": False},
    )

    hash: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    document_id: str = Field(
        sa_column=Column(
            String(ID_LENGTH), ForeignKey("document.id", ondelete="CASCADE"), primary_key=True
        )
    )


class Republication(SQLModel, table=True):
    """A copy of a corpus document published outside the corpus, known by its URL."""

    __tablename__ = "republication"

    document_id: str = Field(
        sa_column=Column(
            String(ID_LENGTH), ForeignKey("document.id", ondelete="CASCADE"), primary_key=True
        )
    )
    url: str = Field(primary_key=True, max_length=1000)
    outlet_id: str | None = _fk("agent.id", nullable=True)
    published: dt.date | None = None


class Claim(SQLModel, table=True):
    """A proposition in neutral words, with an optional numeric part."""

    __tablename__ = "claim"
    __table_args__ = (
        CheckConstraint(
            "qualifier IS NULL OR qualifier IN ("
            + ", ".join(f"'{v}'" for v in values(Qualifier))
            + ")",
            name="ck_qualifier_allowed",
        ),
        CheckConstraint(
            "(quantity_key IS NULL AND value IS NULL AND qualifier IS NULL)"
            " OR (quantity_key IS NOT NULL AND value IS NOT NULL AND qualifier IS NOT NULL)",
            name="ck_claim_quantity_complete",
        ),
        Index("ix_claim_quantity", "quantity_key", "value"),
    )

    id: str = Field(primary_key=True, max_length=ID_LENGTH)
    text: str = Field(sa_type=Text)
    quantity_key: str | None = Field(default=None, max_length=ID_LENGTH)
    value: float | None = None
    qualifier: str | None = Field(default=None, max_length=40)
    unit: str | None = Field(default=None, max_length=1000)
    about_date: dt.date | None = None
    source: str = Field(max_length=1000, index=True)
    checksum: str = Field(max_length=80)


class ClaimTag(SQLModel, table=True):
    """A tag on a claim."""

    __tablename__ = "claim_tag"

    claim_id: str = Field(
        sa_column=Column(
            String(ID_LENGTH), ForeignKey("claim.id", ondelete="CASCADE"), primary_key=True
        )
    )
    tag: str = Field(primary_key=True, max_length=ID_LENGTH, index=True)


class ClaimRelation(SQLModel, table=True):
    """Claim → claim: contradicts, supports, refines, same as."""

    __tablename__ = "claim_relation"
    __table_args__ = (
        _one_of("relation", ClaimRelationKind),
        CheckConstraint("claim_id <> other_id", name="ck_claim_relation_not_self"),
    )

    claim_id: str = Field(
        sa_column=Column(
            String(ID_LENGTH), ForeignKey("claim.id", ondelete="CASCADE"), primary_key=True
        )
    )
    other_id: str = Field(
        sa_column=Column(String(ID_LENGTH), ForeignKey("claim.id"), primary_key=True, index=True)
    )
    relation: str = Field(primary_key=True, max_length=40)
    note: str | None = Field(default=None, sa_type=Text)


class Statement(SQLModel, table=True):
    """An agent asserting, denying or questioning a claim, or an expressive act (condolences,
    condemnations) that makes no claim: then ``claim_id`` is empty and ``act`` says what it is.

    ``modality`` says how far the words commit (asserted, hedged, reported without a source);
    ``hedge`` keeps the hedging words ("reportedly"). ``quote`` is the first of the statement's
    quotes; ``statement_quote`` holds them all.
    """

    __tablename__ = "statement"
    __table_args__ = (
        _one_of("stance", Stance),
        _one_of("mode", Mode),
        _one_of("method", Method),
        _one_of("review_status", ReviewStatus),
        _one_of("kind", StatementKind, name="ck_statement_kind_allowed"),
        _one_of("act", ExpressiveAct, nullable=True),
        _one_of("modality", Modality),
        CheckConstraint(
            "(kind = 'claim' AND claim_id IS NOT NULL AND act IS NULL)"
            " OR (kind = 'expressive' AND claim_id IS NULL AND act IS NOT NULL)",
            name="ck_statement_kind_shape",
        ),
    )

    id: str = Field(primary_key=True, max_length=ID_LENGTH)
    speaker_id: str = _fk("agent.id")
    speaker_as_stated: str | None = Field(default=None, max_length=1000)
    claim_id: str | None = _fk("claim.id", nullable=True)
    stance: str = Field(max_length=20)
    cue: str | None = Field(default=None, max_length=1000)
    mode: str = Field(max_length=20)
    quote: str | None = Field(default=None, sa_type=Text)
    said_on: dt.date | None = Field(default=None, index=True)
    said_on_inferred: bool = False
    venue: str | None = Field(default=None, max_length=1000)
    method: str = Field(max_length=20)
    review_status: str = Field(max_length=20)
    note: str | None = Field(default=None, sa_type=Text)
    source: str = Field(max_length=1000, index=True)
    checksum: str = Field(max_length=80)
    kind: str = Field(default="claim", max_length=20, sa_column_kwargs=_server_default("claim"))
    act: str | None = Field(default=None, max_length=20)
    about: str | None = Field(default=None, sa_type=Text,
                              description="What an expressive act is about, in words.")
    modality: str = Field(default="asserted", max_length=30,
                          sa_column_kwargs=_server_default("asserted"))
    hedge: str | None = Field(default=None, max_length=200)


class StatementQuote(SQLModel, table=True):
    """The words attributed to the speaker, in order: a statement may have several quotes."""

    __tablename__ = "statement_quote"

    statement_id: str = Field(
        sa_column=Column(
            String(ID_LENGTH), ForeignKey("statement.id", ondelete="CASCADE"), primary_key=True
        )
    )
    position: int = Field(primary_key=True)
    quote: str = Field(sa_type=Text)


class Report(SQLModel, table=True):
    """One appearance of a statement: a reporter passing it on, in a document when we have one.

    ``via_id`` is the report this one relies on (none: first-hand). The excerpt evidence follows
    the W3C Web Annotation selectors: position (``excerpt_start``/``excerpt_end``, ``[start, end)``
    character offsets) and the exact text with a little prefix and suffix. ``via_inferred``: the
    hop to ``via_id`` is the curator's inference, not said by the text. ``reporter_stance``: the
    reporter's own stance on what it relays (endorses, disputes, distances).
    """

    __tablename__ = "report"
    __table_args__ = (
        _one_of("reporter_stance", ReporterStance, nullable=True),
        CheckConstraint("via_id IS NULL OR via_id <> id", name="ck_report_not_self"),
        CheckConstraint(
            "(document_id IS NULL AND excerpt IS NULL AND excerpt_start IS NULL"
            " AND excerpt_end IS NULL)"
            " OR (document_id IS NOT NULL AND excerpt IS NOT NULL"
            " AND excerpt_start >= 0 AND excerpt_end > excerpt_start)",
            name="ck_report_evidence",
        ),
        UniqueConstraint("statement_id", "document_id", "excerpt_start", name="uq_report_place"),
    )

    id: str = Field(primary_key=True, max_length=REPORT_ID_LENGTH)
    statement_id: str = Field(
        sa_column=Column(
            String(ID_LENGTH),
            ForeignKey("statement.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )
    reporter_id: str = _fk("agent.id")
    document_id: str | None = _fk("document.id", nullable=True)
    via_id: str | None = _fk("report.id", nullable=True, length=REPORT_ID_LENGTH)
    excerpt: str | None = Field(default=None, sa_type=Text)
    excerpt_start: int | None = None
    excerpt_end: int | None = None
    prefix: str | None = Field(default=None, max_length=200)
    suffix: str | None = Field(default=None, max_length=200)
    excerpt_sha256: str | None = Field(default=None, max_length=80)
    via_inferred: bool = Field(default=False, sa_column_kwargs=_server_default(false()))
    reporter_stance: str | None = Field(default=None, max_length=20)


# --- Fact-check verdicts (issue 16) -------------------------------------------------------------
class Verdict(SQLModel, table=True):
    """A fact-checker's verdict on a claim, as published in a schema.org ``ClaimReview``.

    ``id`` is stable for one review (a hash of its URL, reviewer, reviewed text and date), so
    importing the same file again rewrites nothing. ``rating_alternate_name`` is the verdict in
    words ("False", "Misleading"); ``rating_value`` with ``best_rating`` / ``worst_rating`` the
    numeric scale when the review gives one (kept as text, as published). ``claim_reviewed`` is
    the reviewer's own wording of the claim and ``match_score`` how closely it matched
    ``claim_id`` (0-100). ``source`` is the file and the place inside it the review came from.
    """

    __tablename__ = "verdict"

    id: str = Field(primary_key=True, max_length=ID_LENGTH)
    claim_id: str = Field(
        sa_column=Column(
            String(ID_LENGTH), ForeignKey("claim.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    reviewer: str = Field(max_length=1000)
    reviewer_id: str | None = _fk("agent.id", nullable=True, ondelete="SET NULL")
    rating_value: str | None = Field(default=None, max_length=100)
    best_rating: str | None = Field(default=None, max_length=100)
    worst_rating: str | None = Field(default=None, max_length=100)
    rating_alternate_name: str | None = Field(default=None, max_length=1000)
    reviewed_on: dt.date | None = Field(default=None, index=True)
    url: str | None = Field(default=None, max_length=2000)
    claim_reviewed: str | None = Field(default=None, sa_type=Text)
    match_score: float
    source: str = Field(max_length=1000, index=True)
# --- end of fact-check verdicts ------------------------------------------------------------------


class Meta(SQLModel, table=True):
    """Facts about the database itself: the schema version."""

    __tablename__ = "provenance_meta"

    key: str = Field(primary_key=True, max_length=100)
    value: str = Field(max_length=1000)


#: What ``provenance_meta.schema_version`` holds. Release 1 (before migrations) refuses any
#: other value; from then on Alembic's revision (``alembic_version``) says where a database is.
SCHEMA_VERSION = MIGRATIONS_SCHEMA_VERSION

#: Tables in the order rows must be written (parents before children).
TABLES_IN_WRITE_ORDER = [
    Agent,
    AgentAlias,
    Affiliation,
    Document,
    DocumentAuthor,
    PassageFingerprint,
    Republication,
    Claim,
    ClaimTag,
    ClaimRelation,
    Statement,
    StatementQuote,
    Report,
]
