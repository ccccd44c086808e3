"""Allowed values shared by the dataset format, the database constraints and the CLI.

Each enumeration is a ``StrEnum`` so that it validates input files (pydantic), becomes a
``CHECK`` constraint in the database (models) and a ``click.Choice`` on the command line from
one definition.
"""

from __future__ import annotations

from enum import StrEnum


class AgentKind(StrEnum):
    """What sort of agent says or reports something."""

    person = "person"
    government = "government"
    government_body = "government_body"
    outlet = "outlet"
    news_agency = "news_agency"
    organization = "organization"
    armed_group = "armed_group"
    international_organization = "international_organization"
    group = "group"
    anonymous = "anonymous"
    unattributed = "unattributed"  # no source at all: "reportedly", "it is believed"


class AffiliationRelation(StrEnum):
    """How an agent belongs to another agent."""

    member_of = "member_of"
    works_for = "works_for"
    controlled_by = "controlled_by"
    part_of = "part_of"
    affiliated_with = "affiliated_with"


class Stance(StrEnum):
    """What a statement does with its claim."""

    asserts = "asserts"
    denies = "denies"
    questions = "questions"


class StatementKind(StrEnum):
    """Whether a statement makes a claim, or is an expressive act without one."""

    claim = "claim"
    expressive = "expressive"


class ExpressiveAct(StrEnum):
    """What an expressive statement does: condolences, condemnations, ..."""

    condolence = "condolence"
    condemnation = "condemnation"
    sympathy = "sympathy"
    solidarity = "solidarity"
    praise = "praise"
    thanks = "thanks"
    warning = "warning"
    vow = "vow"
    appeal = "appeal"


class Modality(StrEnum):
    """How far the words commit to the claim.

    ``hedged``: the speaker keeps a distance ("probably", "allegedly"); ``reported_unattributed``:
    nobody is named ("reportedly", "it is believed that") and the speaker is an ``unattributed``
    agent.
    """

    asserted = "asserted"
    hedged = "hedged"
    reported_unattributed = "reported_unattributed"


class ReporterStance(StrEnum):
    """A reporter's own stance on the statement it relays ("Breitbart, disputing Mehr's claim")."""

    endorses = "endorses"
    disputes = "disputes"
    distances = "distances"


class Mode(StrEnum):
    """How the words are attributed: quoted verbatim, paraphrased, or partly quoted."""

    direct = "direct"
    paraphrase = "paraphrase"
    mixed = "mixed"


class Method(StrEnum):
    """Where a statement record came from."""

    curated = "curated"
    extracted = "extracted"


class ReviewStatus(StrEnum):
    """Whether a person has checked the record."""

    draft = "draft"
    reviewed = "reviewed"


class ClaimRelationKind(StrEnum):
    """How one claim bears on another."""

    contradicts = "contradicts"
    supports = "supports"
    refines = "refines"
    same_as = "same_as"


class Qualifier(StrEnum):
    """How a figure is hedged: "at least 84", "nearly 100", "more than 280"."""

    exact = "exact"
    about = "about"
    at_least = "at_least"
    more_than = "more_than"
    nearly = "nearly"
    at_most = "at_most"
    less_than = "less_than"


def values(enum: type[StrEnum]) -> list[str]:
    """The allowed values of an enumeration, in declaration order."""
    return [member.value for member in enum]
