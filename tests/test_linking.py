"""Which claim a drafted statement makes: denials in positive form, counts as figures, links."""

from __future__ import annotations

from pathlib import Path

from provenance.articles.linking import ClaimLinker, actors, background_removed, figures, positive
from provenance.datasets import loader

CLAIMS = """\
claims:
  - {id: us-involved, text: The United States was involved in the Kerman bombing}
  - {id: killed-84, text: 84 people were killed in the Kerman bombing,
     quantity: {key: kerman-killed, value: 84}}
  - {id: killed-103, text: At least 103 people were killed in the Kerman bombing,
     quantity: {key: kerman-killed, value: 103, qualifier: at_least}}
"""


def test_positive_form_of_denials() -> None:
    assert positive("the United States was not involved") == ("the United States was involved", True)
    assert positive("there was no indication that Israel was involved") == ("Israel was involved", True)
    assert positive("Israel was involved") == ("Israel was involved", False)


def test_counts_become_figures() -> None:
    assert figures("at least 84 people were killed") == [("killed", 84.0, "at_least")]
    assert figures("nearly 300 were injured and 32 people were arrested") == [
        ("injured", 300.0, "nearly"), ("arrested", 32.0, "exact")]
    assert figures("the minister revised the death toll from 103 to 95 to 84") == [
        ("killed", 103.0, "exact"), ("killed", 95.0, "exact"), ("killed", 84.0, "exact")]
    assert figures("the minister visited Kerman") == []
    assert figures("Eleven people have died and no one was arrested") == [("killed", 11.0, "exact")]
    assert figures("90 people have been confirmed dead") == [("killed", 90.0, "exact")]
    assert figures("the death toll has risen to 33, officials said") == [("killed", 33.0, "exact")]
    # a number later in a sentence about the toll is not the toll
    assert figures("the death toll could still rise while doctors performed the autopsy of 82 people") == []


def test_links_to_known_claims_and_figures(engine, tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text(CLAIMS, encoding="utf-8")
    loader.load(engine, [tmp_path / "claims.yaml"])
    linker = ClaimLinker(engine)
    linker.read("US denies role in Kerman bombing\n\nThe blasts in Kerman killed many.")
    [denial] = linker.link("the United States was not involved in the bombing", "asserts", "d-c1")
    assert (denial.claim, denial.stance, denial.new_claim) == ("us-involved", "denies", None)
    first, second = linker.link("the toll was revised from 103 to 84", "asserts", "d-c2")
    assert first.new_claim["quantity"] == {"key": "kerman-killed", "value": 103.0,
                                           "qualifier": "exact", "unit": "people"}
    assert (second.claim, second.new_claim) == ("killed-84", None)
    [new] = linker.link("the bombers came from Tajikistan", "asserts", "d-c3")
    assert new.claim == "d-c3" and new.new_claim["text"] == "the bombers came from Tajikistan"
    linker.close()


def test_a_toll_of_another_story_keeps_its_own_quantity(engine, tmp_path: Path) -> None:
    (tmp_path / "claims.yaml").write_text(CLAIMS, encoding="utf-8")
    loader.load(engine, [tmp_path / "claims.yaml"])
    linker = ClaimLinker(engine)
    linker.read("Kabul blast toll rises\n\nThe death toll in the explosion has risen to 84.", "kabul")
    [figure] = linker.link("The death toll in the explosion has risen to 84", "asserts", "kabul-c1")
    assert (figure.claim, figure.new_claim["quantity"]["key"]) == ("kabul-c1", "kabul-killed")
    assert "kabul-killed is its own key" in figure.notes[0]
    linker.read("Kerman toll\n\nThe blasts in Kerman killed 84 people.", "kerman-doc")
    [known] = linker.link("84 people were killed", "asserts", "kerman-doc-c1")
    assert (known.claim, known.new_claim) == ("killed-84", None)
    linker.close()


ACTORS = """\
claims:
  - {id: us-involved, text: The United States was involved in (is to blame for) the Kerman bombing.}
  - {id: israel-involved, text: Israel was involved in (is to blame for) the Kerman bombing.}
  - {id: killed-84, text: 84 people were killed in the Kerman bombing.}
  - {id: houthi-ships-israel, text: The ships the Houthis attacked in the Red Sea have connections to Israel.}
"""


def test_actors_and_background(engine, tmp_path: Path) -> None:
    assert actors("The U.S. and the Zionist regime are behind it, Daesh said") == {
        "united states", "israel", "islamic state"}
    assert background_removed("Israel for twin blasts that killed at least 103 people") == (
        "Israel for twin blasts")
    (tmp_path / "claims.yaml").write_text(ACTORS, encoding="utf-8")
    loader.load(engine, [tmp_path / "claims.yaml"])
    linker = ClaimLinker(engine)
    linker.read("Kerman bombing: Iran blames the US and Israel; the US denies it\n\nText.")
    # The actor the statement names decides between two claims alike.
    [denial] = linker.link("The United States was not involved in any way", "asserts", "d-c1")
    assert (denial.claim, denial.stance) == ("us-involved", "denies")
    # Naming both: the claim about each.
    both = linker.link("the U.S. and Israel are behind the scenes of the twin bombing", "asserts", "d-c2")
    assert sorted(link.claim for link in both) == ["israel-involved", "us-involved"]
    # A blame is not the death toll of the attack it is about.
    [blame] = linker.link("Israel for twin blasts that killed 84 people in Kerman", "asserts", "d-c3")
    assert blame.claim == "israel-involved"
    # The speaker is one of the statement's actors; a participle naming the toll is background.
    [claimed] = linker.link("responsibility for the attack, leaving 84 people dead", "asserts", "d-c5",
                            speaker="The Islamic State group")
    assert claimed.new_claim is not None or claimed.claim != "killed-84"
    # The same names but not what the claim says of them: a new claim, the candidate listed.
    [new] = linker.link("the Houthis have launched drones and missiles 14 times at ships in the Red Sea",
                        "asserts", "d-c4")
    assert new.new_claim is not None and "houthi-ships-israel" in new.notes[0]
    linker.close()
