"""provenance extract: drafts that load after a reviewer's edits, span jsonl, and stored documents."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import yaml
from sqlalchemy import text

from provenance.articles import drafts
from provenance.articles.agents import KnownAgents
from provenance.articles.mentions import split_mention
from provenance.datasets import loader
from tests.conftest import SEEDS, invoke

MEDIALINE = SEEDS / "articles" / "themedialine-2024-01-04-islamic-state-claims-responsibility.txt"


def test_draft_of_a_new_file_loads_after_a_reviewers_edit(db_url: str, engine, tmp_path: Path) -> None:
    article = tmp_path / "articles" / "Kerman Report.txt"
    article.parent.mkdir()
    article.write_text(
        "Kerman prosecutor speaks\n\n“Thirty-two people have been arrested,” Iran’s state-run Mehr News Agency"
        " quoted Bakhshi as saying.\n\nThe White House denied any role in the attack.\n",
        encoding="utf-8",
    )
    (tmp_path / "agents.yaml").write_text(
        "agents:\n  - {id: mehdi-bakhshi, name: Mehdi Bakhshi, kind: person, aliases: [Bakhshi]}\n"
        "  - {id: mehr, name: Mehr News Agency, kind: news_agency, aliases: [Mehr]}\n"
        "  - {id: daily, name: The Daily, kind: outlet}\n",
        encoding="utf-8",
    )
    loader.load(engine, [tmp_path / "agents.yaml"])
    draft_file = tmp_path / "review" / "draft.yaml"
    result = invoke(db_url, "extract", str(article), "--outlet", "daily", "--out", str(draft_file))
    assert result.exit_code == 0, result.stderr
    assert (
        result.stderr
        == f"wrote 2 draft statements to {draft_file}; review them, then:"
        f" provenance load --root {tmp_path} {draft_file}\n"  # the article is outside review/
    )
    draft = yaml.safe_load(draft_file.read_text(encoding="utf-8"))
    assert draft["documents"] == [
        {"id": "kerman-report", "file": "../articles/Kerman Report.txt", "outlet": "daily"}
    ]
    first, second = draft["statements"]
    assert (first["speaker"], first["mode"], first["method"], first["review_status"]) == (
        "mehdi-bakhshi",
        "direct",
        "extracted",
        "draft",
    )
    assert first["quote"] == "Thirty-two people have been arrested"
    assert first["reports"][0]["via"] == ["mehr"]
    assert second["stance"] == "denies"
    assert [a["id"] for a in draft["agents"]] == ["white-house"]

    # The reviewer names the White House's agent properly, rewrites the claim and marks both reviewed.
    draft["agents"][0].update(id="us-government", name="United States government", kind="government")
    second["speaker"] = "us-government"
    draft["claims"][1]["text"] = "The United States had a role in the Kerman bombing"
    for statement in draft["statements"]:
        statement["review_status"] = "reviewed"
    draft_file.write_text(yaml.safe_dump(draft, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = invoke(db_url, "load", str(draft_file))
    assert "'../articles/Kerman Report.txt' lies outside the dataset's folder" in result.stderr
    result = invoke(db_url, "load", "--root", str(tmp_path), str(draft_file))
    assert result.exit_code == 0, result.stderr
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT s.speaker_id, s.stance, s.review_status, r.reporter_id, r.via_id FROM statement s"
                " JOIN report r ON r.statement_id = s.id AND r.document_id IS NOT NULL ORDER BY s.id"
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        ("mehdi-bakhshi", "asserts", "reviewed", "daily", "kerman-report-s1~mehr"),
        ("us-government", "denies", "reviewed", "daily", None),
    ]


def test_stored_document_is_drafted_by_id_and_reuses_it(seeded_url: str, tmp_path: Path) -> None:
    result = invoke(
        seeded_url,
        "extract",
        "themedialine-2024-01-04-islamic-state-claims-responsibility",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    zelin = [r for r in rows if r["speaker"] == "aaron-y-zelin" and "Joker" in r["content"]]
    assert zelin and zelin[0]["cue"] == "says"
    # A file holding the same text as a stored document is drafted against that document.
    copy = tmp_path / "copy.txt"
    shutil.copy(MEDIALINE, copy)
    result = invoke(seeded_url, "extract", str(copy))
    draft = yaml.safe_load(result.stdout)
    # The draft restates the stored document whole (self-contained), text and all.
    [document] = draft["documents"]
    assert document["id"] == "themedialine-2024-01-04-islamic-state-claims-responsibility"
    assert document["text"] == MEDIALINE.read_text(encoding="utf-8")
    assert {s["reports"][0]["document"] for s in draft["statements"]} == {document["id"]}


def test_jsonl_spans_over_a_directory_without_a_database(tmp_path: Path) -> None:
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "one.txt").write_text("“We will win,” Smith said.\n", encoding="utf-8")
    (tmp_path / "texts" / "two.txt").write_text("No attribution here.\n", encoding="utf-8")
    result = invoke(str(tmp_path / "none.db"), "extract", str(tmp_path / "texts"), "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["doc"] for r in records] == ["one", "two"]
    [attribution] = records[0]["attributions"]
    assert (attribution["source"], attribution["cue"], attribution["content"]) == (
        [[15, 20]],
        [[21, 25]],
        [[0, 14]],
    )
    assert records[1]["attributions"] == []
    assert not (tmp_path / "none.db").exists()


def test_unknown_document_suggests_close_ids(seeded_url: str) -> None:
    result = invoke(seeded_url, "extract", "breitbart-2024-01-08")
    assert result.exit_code == 1
    assert "neither a file nor a stored document" in result.stderr
    assert "Did you mean: breitbart-2024-01-08-iran-claims-isis-arrests" in result.stderr


def test_unresolved_mentions_become_placeholders_scoped_by_document() -> None:
    known = KnownAgents()
    known.kinds.update({"islamic-state": "armed_group", "presstv": "outlet", "iran": "government"})
    for name, agent_id in [("islamic state", "islamic-state"), ("presstv", "presstv"), ("iranian", "iran")]:
        known.add_alias(name, agent_id)
    drafter = drafts.Drafter(known)
    assert drafter.agent(split_mention("the Iranian state-run outlet PressTV"), "doc")[0] == "presstv"
    assert drafter.agent(
        split_mention("The Islamic State (ISIS), a Sunni jihadist organization"), "doc")[0] == "islamic-state"
    assert drafter.agent(split_mention("he"), "doc")[0] == "unresolved-doc-he"
    assert drafter.agent(split_mention("the group"), "doc")[0] == "unresolved-doc-the-group"
    assert drafter.agent(split_mention("an unidentified source"), "doc")[0] == "doc-anonymous-unidentified-source"
    assert drafter.agent(split_mention("an unidentified source"), "other")[0] == "other-anonymous-unidentified-source"
    assert drafter.proposed["doc-anonymous-unidentified-source"]["kind"] == "anonymous"


def test_two_drafts_proposing_one_person_in_different_roles_load(seeded_copy: str,
                                                                   tmp_path: Path) -> None:
    texts = {"one": "State Department spokesperson Jane Doerr said the report was false.\n",
             "two": "Jane Doerr, a former diplomat, said the talks would resume in March.\n"}
    for name, body in texts.items():
        (tmp_path / f"{name}.txt").write_text(body, encoding="utf-8")
        result = invoke(seeded_copy, "extract", str(tmp_path / f"{name}.txt"), "--outlet", "breitbart",
                        "--out", str(tmp_path / f"{name}.yaml"))
        assert result.exit_code == 0, result.stderr
    one, two = (yaml.safe_load((tmp_path / f"{n}.yaml").read_text(encoding="utf-8")) for n in texts)
    proposed = [next(a for a in d["agents"] if a["id"] == "jane-doerr") for d in (one, two)]
    assert proposed[0] == proposed[1]  # the same record, whatever each article calls her
    assert "role as stated 'State Department spokesperson'" in one["statements"][0]["note"]
    assert "role as stated 'former diplomat'" in two["statements"][0]["note"]
    for name in texts:  # one after the other, then both again together: nothing refused
        result = invoke(seeded_copy, "load", str(tmp_path / f"{name}.yaml"))
        assert result.exit_code == 0, result.stderr
    result = invoke(seeded_copy, "load", *(str(tmp_path / f"{n}.yaml") for n in texts))
    assert result.exit_code == 0, result.stderr


def test_revised_figures_and_days_said(seeded_copy: str, tmp_path: Path) -> None:
    article = tmp_path / "rev.txt"
    article.write_text(
        "Kerman toll revised\n\nHealth Minister Bahram Einollahi on Wednesday revised the death toll from"
        " 103 to 95, state television reported.\n\nInterior Minister Ahmad Vahidi said on Thursday"
        " that 84 people were killed.\n", encoding="utf-8")
    assert invoke(seeded_copy, "ingest", str(article), "--outlet", "afp", "--published",
                  "2024-01-05").exit_code == 0
    result = invoke(seeded_copy, "extract", "rev")
    assert result.exit_code == 0, result.stderr
    draft = yaml.safe_load(result.stdout)
    figures = {c["id"]: c["quantity"]["value"] for c in draft["claims"] if "quantity" in c}
    rows = [(s["speaker"], figures.get(s["claim"], s["claim"]), s.get("said_on"),
             s["reports"][0].get("via")) for s in draft["statements"]]
    assert rows == [
        ("bahram-einollahi", 103.0, None, ["irib"]),  # an earlier figure: the reviewer dates it
        ("bahram-einollahi", 95.0, dt.date(2024, 1, 3), ["irib"]),
        ("ahmad-vahidi", "kerman-killed-84", dt.date(2024, 1, 4), None),
    ]
    assert "&id" not in result.stdout  # no YAML aliases for a reviewer to trip over


def test_it_is_believed_is_an_unattributed_source_that_loads(db_url: str, tmp_path: Path) -> None:
    article = tmp_path / "u.txt"
    article.write_text("For example, it is believed that the Islamic State group has become more"
                       " powerful in neighboring Afghanistan.\n", encoding="utf-8")
    result = invoke(db_url, "extract", str(article), "--outlet", "The Daily", "--out",
                    str(tmp_path / "d.yaml"))
    assert result.exit_code == 0, result.stderr
    draft = yaml.safe_load((tmp_path / "d.yaml").read_text(encoding="utf-8"))
    [statement] = draft["statements"]
    assert (statement["speaker"], statement["modality"], statement["hedge"]) == (
        "u-unattributed-it-is-believed", "reported_unattributed", "it is believed")
    agents = {a["id"]: a["kind"] for a in draft["agents"]}
    assert agents["u-unattributed-it-is-believed"] == "unattributed"
    result = invoke(db_url, "load", str(tmp_path / "d.yaml"))
    assert result.exit_code == 0, result.stderr
