"""The schema of release 1 (main before migrations), frozen as Core tables.

Revision 0001 creates exactly these; later revisions use them (``copy_from``) to rebuild a
SQLite table whose constraints change, without relying on reflection. Never edit this file to
follow the models: it describes databases that already exist.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

SCHEMA_VERSION = "1"

AGENT_KINDS = ("person", "government", "government_body", "outlet", "news_agency", "organization",
               "armed_group", "international_organization", "group", "anonymous")
AFFILIATIONS = ("member_of", "works_for", "controlled_by", "part_of", "affiliated_with")
QUALIFIERS = ("exact", "about", "at_least", "more_than", "nearly", "at_most", "less_than")
CLAIM_RELATIONS = ("contradicts", "supports", "refines", "same_as")


def one_of(column: str, allowed: tuple[str, ...], name: str | None = None) -> CheckConstraint:
    """``column IN (...)`` named like the models name it (``ck_<column>_allowed``)."""
    listed = ", ".join(f"'{value}'" for value in allowed)
    return CheckConstraint(f"{column} IN ({listed})", name=name or f"ck_{column}_allowed")


def _id(name: str, target: str | None = None, **kwargs) -> Column:
    args = [ForeignKey(target, ondelete=kwargs.pop("ondelete", None))] if target else []
    return Column(name, String(kwargs.pop("length", 120)), *args, **kwargs)


#: Single-column indexes, named as ``index=True`` names them but declared on their own:
#: Alembic's batch mode rebuilds a SQLite table with such indexes, not with column flags.
INDEXED = {
    "agent": ("source",), "agent_alias": ("normalized",), "affiliation": ("parent_id",),
    "document": ("outlet_id", "published", "republishes_id", "source"), "claim": ("source",),
    "claim_tag": ("tag",), "claim_relation": ("other_id",),
    "statement": ("speaker_id", "claim_id", "said_on", "source"),
    "report": ("statement_id", "reporter_id", "document_id", "via_id"),
}


def metadata() -> MetaData:
    """A fresh MetaData holding the release-1 tables."""
    meta = MetaData()
    Table(
        "agent", meta,
        _id("id", primary_key=True), Column("name", String(1000), nullable=False),
        Column("kind", String(40), nullable=False), Column("country", String(1000)),
        Column("description", Text), Column("wikidata", String(20)),
        Column("state_media", Boolean, nullable=False), Column("ownership", String(1000)),
        Column("source", String(1000), nullable=False),
        Column("checksum", String(80), nullable=False),
        one_of("kind", AGENT_KINDS),
    )
    Table(
        "agent_alias", meta,
        _id("agent_id", "agent.id", ondelete="CASCADE", primary_key=True),
        Column("alias", String(1000), primary_key=True),
        Column("normalized", String(1000), nullable=False),
    )
    Table(
        "affiliation", meta,
        _id("agent_id", "agent.id", ondelete="CASCADE", primary_key=True),
        _id("parent_id", "agent.id", primary_key=True),
        Column("relation", String(40), nullable=False), Column("role", String(1000)),
        Column("since", Date), Column("until", Date),
        one_of("relation", AFFILIATIONS),
        CheckConstraint("agent_id <> parent_id", name="ck_affiliation_not_self"),
    )
    Table(
        "document", meta,
               _id("id", primary_key=True), _id("outlet_id", "agent.id", nullable=True),
        Column("title", String(1000)), Column("url", String(1000)),
        Column("published", Date), Column("language", String(35), nullable=False),
        Column("text", Text, nullable=False), Column("sha256", String(80), nullable=False),
        _id("republishes_id", "document.id", nullable=True),
        *(Column(f"{field}_inferred", Boolean, nullable=False)
          for field in ("outlet", "published", "authors", "title")),
        Column("source", String(1000), nullable=False),
        Column("checksum", String(80), nullable=False),
        CheckConstraint("republishes_id IS NULL OR republishes_id <> id", name="ck_doc_not_self"),
    )
    Table(
        "document_author", meta,
        _id("document_id", "document.id", ondelete="CASCADE", primary_key=True),
        Column("position", Integer, primary_key=True, autoincrement=False),
        Column("name", String(1000), nullable=False),
    )
    Table(
        "claim", meta,
        _id("id", primary_key=True), Column("text", Text, nullable=False),
        Column("quantity_key", String(120)), Column("value", Float),
        Column("qualifier", String(40)), Column("unit", String(1000)), Column("about_date", Date),
        Column("source", String(1000), nullable=False),
        Column("checksum", String(80), nullable=False),
        CheckConstraint(
            "qualifier IS NULL OR qualifier IN (" + ", ".join(f"'{q}'" for q in QUALIFIERS) + ")",
            name="ck_qualifier_allowed",
        ),
        CheckConstraint(
            "(quantity_key IS NULL AND value IS NULL AND qualifier IS NULL)"
            " OR (quantity_key IS NOT NULL AND value IS NOT NULL AND qualifier IS NOT NULL)",
            name="ck_claim_quantity_complete",
        ),
        Index("ix_claim_quantity", "quantity_key", "value"),
    )
    Table(
        "claim_tag", meta,
        _id("claim_id", "claim.id", ondelete="CASCADE", primary_key=True),
        Column("tag", String(120), primary_key=True),
    )
    Table(
        "claim_relation", meta,
        _id("claim_id", "claim.id", ondelete="CASCADE", primary_key=True),
        _id("other_id", "claim.id", primary_key=True),
        Column("relation", String(40), primary_key=True), Column("note", Text),
        one_of("relation", CLAIM_RELATIONS),
        CheckConstraint("claim_id <> other_id", name="ck_claim_relation_not_self"),
    )
    statement(meta)
    report(meta)
    Table(
        "provenance_meta", meta,
        Column("key", String(100), primary_key=True), Column("value", String(1000), nullable=False),
    )
    for table, columns in INDEXED.items():
        for column in columns:
            Index(f"ix_{table}_{column}", meta.tables[table].c[column])
    return meta


def statement(meta: MetaData) -> Table:
    """The release-1 ``statement`` table."""
    return Table(
        "statement", meta,        _id("id", primary_key=True), _id("speaker_id", "agent.id", nullable=False),
        Column("speaker_as_stated", String(1000)),
        _id("claim_id", "claim.id", nullable=False),
        Column("stance", String(20), nullable=False), Column("cue", String(1000)),
        Column("mode", String(20), nullable=False), Column("quote", Text),
        Column("said_on", Date), Column("said_on_inferred", Boolean, nullable=False),
        Column("venue", String(1000)), Column("method", String(20), nullable=False),
        Column("review_status", String(20), nullable=False), Column("note", Text),
        Column("source", String(1000), nullable=False),
        Column("checksum", String(80), nullable=False),
        one_of("stance", ("asserts", "denies", "questions")),
        one_of("mode", ("direct", "paraphrase", "mixed")),
        one_of("method", ("curated", "extracted")),
        one_of("review_status", ("draft", "reviewed")),
    )


def report(meta: MetaData) -> Table:
    """The release-1 ``report`` table."""
    return Table(
        "report", meta,        _id("id", primary_key=True, length=400),
        _id("statement_id", "statement.id", ondelete="CASCADE", nullable=False),
        _id("reporter_id", "agent.id", nullable=False),
        _id("document_id", "document.id", nullable=True),
        _id("via_id", "report.id", nullable=True, length=400),
        Column("excerpt", Text), Column("excerpt_start", Integer), Column("excerpt_end", Integer),
        Column("prefix", String(200)), Column("suffix", String(200)),
        Column("excerpt_sha256", String(80)),
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
