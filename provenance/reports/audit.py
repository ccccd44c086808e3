"""``audit.md``: every audit finding, and the index that hands each report the findings about it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from provenance.audit import RULES, Finding, Severity, summary
from provenance.reports.gather import Catalog
from provenance.reports.markdown import anchor, file_name, ident, link, table, text
from provenance.reports.paths import Links


@dataclass
class FindingIndex:
    """Findings by the claim, document and quantity they concern (a finding may concern several)."""

    claims: dict[str, list[Finding]] = field(default_factory=lambda: defaultdict(list))
    documents: dict[str, list[Finding]] = field(default_factory=lambda: defaultdict(list))
    quantities: dict[str, list[Finding]] = field(default_factory=lambda: defaultdict(list))


def index_findings(findings: list[Finding], catalog: Catalog) -> FindingIndex:
    """Which claims, documents and quantities each finding is about."""
    found = FindingIndex()
    for finding in findings:
        claims: list[str] = []
        documents: list[str] = []
        kind, subject = finding.subject_kind, finding.subject_id
        if kind == "claim":
            claims.append(subject)
        elif kind == "statement":
            claims += catalog.claims_of_statements([subject])
        elif kind == "report":
            statement = catalog.report_statement.get(subject)
            claims += catalog.claims_of_statements([statement] if statement else [])
        elif kind == "document":
            documents.append(subject)
        elif kind == "quantity":
            found.quantities[subject].append(finding)
            claims += [c["id"] for c in catalog.claims.values() if c["quantity_key"] == subject]
        evidence_documents = finding.evidence.get("documents")
        if kind in ("document", "report") and isinstance(evidence_documents, list):
            documents += [d for d in evidence_documents if isinstance(d, str)]
        for claim in dict.fromkeys(claims):
            found.claims[claim].append(finding)
        for document in dict.fromkeys(documents):
            if document in catalog.documents:
                found.documents[document].append(finding)
    return found


def rule_anchor(rule: str) -> str:
    """The anchor of a rule's section in ``audit.md``."""
    return "rule-" + file_name(rule)


def subject_link(finding: Finding, catalog: Catalog, links: Links) -> str:
    """The finding's subject, linked to the report that shows it."""
    kind, subject = finding.subject_kind, finding.subject_id
    label = f"{kind}: {subject}"
    target = None
    if kind == "claim" and subject in catalog.claims:
        target = links.claim(subject)
    elif kind in ("statement", "report"):
        statement = subject if kind == "statement" else catalog.report_statement.get(subject)
        claims = catalog.claims_of_statements([statement] if statement else [])
        target = links.claim(claims[0]) if claims else None
    elif kind == "document" and subject in catalog.documents:
        target = links.document(subject)
    elif kind == "quantity" and subject in links.names["quantities"]:
        target = links.quantity(subject)
    return link(label, target) if target else text(label)


def findings_table(findings: list[Finding], catalog: Catalog, links: Links) -> str:
    """Severity, rule, subject (linked) and message of each finding."""
    return table(
        ["severity", "rule", "subject", "finding"],
        (
            [
                finding.severity.value,
                link(finding.rule, links.page("audit.md", rule_anchor(finding.rule))),
                subject_link(finding, catalog, links),
                text(finding.message),
            ]
            for finding in findings
        ),
    )


def render_audit(findings: list[Finding], catalog: Catalog, links: Links) -> str:
    """The whole audit: a summary by rule, then every finding grouped by rule."""
    lines = [
        "# Audit findings",
        "",
        f"[Index](index.md) · {text(summary(findings))}.",
        "",
        "Each rule checks the citation chains of the whole database (`provenance audit` lists the"
        " same findings). Errors are wrong data, warnings weak sourcing, info context.",
        "",
    ]
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_rule[finding.rule].append(finding)
    rows = []
    for rule in RULES.values():
        found = by_rule.get(rule.id, [])
        counts = ", ".join(
            f"{n} {severity.value}"
            for severity in Severity
            if (n := sum(1 for f in found if f.severity is severity))
        )
        label = link(rule.id, f"#{rule_anchor(rule.id)}") if found else ident(rule.id)
        rows.append([label, text(rule.summary), counts or "none"])
    lines += [table(["rule", "what it checks", "findings"], rows)]
    for rule in RULES.values():
        found = by_rule.get(rule.id, [])
        if not found:
            continue
        about = text(rule.summary)
        lines += [
            f"## {anchor(rule_anchor(rule.id))}{text(rule.id)}",
            "",
            about[:1].upper() + about[1:] + ".",
            "",
            findings_table(found, catalog, links),
        ]
    for rule, found in sorted(by_rule.items()):
        if rule not in RULES:  # a rule added later still shows
            lines += [
                f"## {anchor(rule_anchor(rule))}{text(rule)}",
                "",
                findings_table(found, catalog, links),
            ]
    return "\n".join(lines).rstrip("\n") + "\n"
