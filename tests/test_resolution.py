"""Attributions read as a document: who really said it, through whom.

Built on hand-made spans (not on the extractor's output), so that these rules hold whatever
model finds the spans.
"""

from __future__ import annotations

from provenance.articles.extract import extract_attributions
from provenance.articles.extraction import Attribution, Span
from provenance.articles.resolution import resolve_document


def _span(text: str, words: str, after: int = 0) -> Span:
    start = text.index(words, after)
    return Span(start, start + len(words))


def _attribution(text: str, source: str, cue: str, content: str, via: str = "",
                 stance: str = "asserts", after: int = 0) -> Attribution:
    return Attribution(
        source=(_span(text, source, after),) if source else (),
        cue=(_span(text, cue, after),),
        content=(_span(text, content, after),),
        via=(_span(text, via, after),) if via else (),
        stance=stance,
    )


def _who(text: str, attributions: list[Attribution]) -> list[tuple[str, list[str]]]:
    return [(item.speaker.name, [v.name for v in item.via])
            for item in resolve_document(text, attributions)]


def test_according_to_an_agency_is_the_chain_not_the_speaker() -> None:
    text = "Interior Minister Ahmad Vahidi revised the death toll to 84, according to ISNA."
    found = _who(text, [_attribution(text, "ISNA", "according to",
                                     "Interior Minister Ahmad Vahidi revised the death toll to 84")])
    assert found == [("Ahmad Vahidi", ["ISNA"])]


def test_quoted_by_and_told_make_chains() -> None:
    text = "Bakhshi was quoted by Mehr as saying 32 were arrested. Miadfar told the official news agency IRNA that 95 died."
    found = _who(text, [
        _attribution(text, "by Mehr", "quoted", "32 were arrested", via="Bakhshi"),
        _attribution(text, "Miadfar", "told", "95 died", via="the official news agency IRNA"),
    ])
    assert found == [("Bakhshi", ["Mehr"]), ("Miadfar", ["IRNA"])]


def test_citing_and_nested_according_to() -> None:
    text = ("Citing state media, the report said 84 people were killed. "
            "\u201cWe will respond,\u201d Raisi said, according to state television.")
    raisi = text.index("\u201cWe")
    found = _who(text, [
        _attribution(text, "", "Citing", "state media, the report said 84 people were killed"),
        _attribution(text, "the report", "said", "84 people were killed"),
        _attribution(text, "Raisi", "said", "\u201cWe will respond,\u201d", after=raisi),
        _attribution(text, "state television", "according to",
                     "\u201cWe will respond,\u201d Raisi said", after=raisi),
    ])
    assert found == [("state media", []), ("Raisi", ["state television"])]


def test_pointing_back_finds_the_nearest_compatible_mention() -> None:
    text = ("State Department spokesperson Matthew Miller said the US was not involved. "
            "Interior Minister Ahmad Vahidi spoke later. The minister blamed Israel, he said. "
            "Miller said there was no indication of that.")
    minister = text.index("The minister")
    found = resolve_document(text, [
        _attribution(text, "State Department spokesperson Matthew Miller", "said",
                     "the US was not involved"),
        _attribution(text, "The minister", "blamed", "Israel, he said", after=minister),
        _attribution(text, "he", "said", "The minister blamed Israel", after=minister),
        _attribution(text, "Miller", "said", "there was no indication of that",
                     after=text.rindex("Miller said")),
    ])
    assert [(item.speaker.name, item.speaker.role, item.stated) for item in found] == [
        ("Matthew Miller", "State Department spokesperson", "State Department spokesperson Matthew Miller"),
        ("Ahmad Vahidi", "Interior Minister", "The minister"),
        ("Matthew Miller", "State Department spokesperson", "Miller"),
    ]


def test_a_missing_source_is_the_sentence_subject() -> None:
    text = "Bakhshi, the Kerman official, also stated that 35 were held."
    assert _who(text, [_attribution(text, "", "stated", "35 were held")]) == [("Bakhshi", [])]


def test_a_family_name_that_comes_first_finds_its_full_name() -> None:
    text = ("Foreign Ministry spokesman Wang Wenbin said China does not spy from Cuba. "
            "Wang replied that he had no information. Vahidi said nothing.")
    found = _who(text, [
        _attribution(text, "Foreign Ministry spokesman Wang Wenbin", "said",
                     "China does not spy from Cuba"),
        _attribution(text, "Wang", "replied", "he had no information", after=60),
        _attribution(text, "Vahidi", "said", "nothing", after=100),
    ])
    # The family name first ("Wang Wenbin") is found; a name that fits nobody stays itself.
    assert found == [("Wang Wenbin", []), ("Wang Wenbin", []), ("Vahidi", [])]


def test_an_outlet_reporting_a_quote_that_names_its_speaker() -> None:
    text = ("“President Jane Roe says the cause can be traced back to a grudge,” the state-run"
            " outlet PressTV reported on Friday.")
    [item] = resolve_document(text, [_attribution(
        text, "the state-run outlet PressTV", "reported",
        "“President Jane Roe says the cause can be traced back to a grudge,”")])
    assert (item.speaker.name, [v.name for v in item.via]) == ("Jane Roe", ["PressTV"])
    assert item.content.startswith("the cause can be traced back")


def test_nobody_named_is_an_unattributed_source() -> None:
    text = ("Experts said the message, which was reportedly shared online by jihadists, was real."
            " For example, it is believed that the group has become more powerful.")
    items = resolve_document(text, [
        _attribution(text, "Experts", "reportedly", "shared online by jihadists"),
        _attribution(text, "it", "believed", "the group has become more powerful")])
    assert [(i.speaker.kind, i.stated) for i in items] == [("unattributed", "reportedly"),
                                                          ("unattributed", "it is believed")]


def test_the_agent_of_a_passive_and_the_statement_a_relative_clause_follows() -> None:
    text = ("Soleimani, who is revered as a national hero by theocrats in the nation, died in 2020."
            " Iran's Intelligence Ministry said several men were held. State media published the"
            " statement on Friday, that claimed several men were identified.")
    items = resolve_document(text, [
        _attribution(text, "who", "is revered as", "a national hero by theocrats in the nation"),
        _attribution(text, "Iran's Intelligence Ministry", "said", "several men were held"),
        _attribution(text, "that", "claimed", "several men were identified")])
    assert [i.speaker.text for i in items] == ["theocrats in the nation", "Iran's Intelligence Ministry",
                                                "Iran's Intelligence Ministry"]
    assert items[2].stated == "the statement"


def test_a_verb_sharing_the_sentence_subject() -> None:
    text = ("The Iranian government maintains that the group is a proxy and has blamed both America"
            " and Israel. Following the incident, Iran launched missiles on targets in Iraqi"
            " Kurdistan, Syria and Pakistan, saying it was avenging a series of attacks.")
    items = resolve_document(text, [
        _attribution(text, "", "has blamed", "both America and Israel"),
        _attribution(text, "", "saying", "it was avenging a series of attacks")])
    assert [i.speaker.text for i in items] == ["The Iranian government", "Iran"]


def test_an_introductory_phrase_is_not_the_source() -> None:
    text = "Adhering to an extremist reading of Sunni Islam, the Islamic State opposes Iran’s clergy."
    [item] = resolve_document(text, [_attribution(
        text, "an extremist reading of Sunni Islam, the Islamic State", "opposes", "Iran’s clergy")])
    assert item.speaker.name == "Islamic State"


def test_an_honorific_surname_a_negated_subject_and_the_audience() -> None:
    text = ("President Vladimir Putin spoke on Saturday. Neither Putin nor the FSB presented any proof."
            " Mr Putin said the attackers had tried to escape. Spokesman Matthew Miller told reporters"
            " Wednesday that the claim was false.")
    items = resolve_document(text, [
        _attribution(text, "Neither Putin nor the FSB", "presented", "any proof"),
        _attribution(text, "Mr Putin", "said", "the attackers had tried to escape"),
        _attribution(text, "Spokesman Matthew Miller", "told", "the claim was false",
                     via="reporters Wednesday")])
    assert [(i.speaker.name, [v.name for v in i.via]) for i in items[1:]] == [
        ("Vladimir Putin", []), ("Matthew Miller", [])]


def test_a_participle_takes_a_subject_of_title_and_name_and_he_is_that_person() -> None:
    text = ("Eleven people have died, President Luis Abinader said Tuesday.\n"
            "Top emergencies official Juan Manuel Mendez released the updated death toll Tuesday"
            " evening, saying officials were working to identify more remains.\n"
            '"There are 11 (identified bodies), but there are more corpses," he said.\n')
    speakers = [r.speaker.name for r in resolve_document(text, extract_attributions(text))]
    assert speakers == ["Luis Abinader", "Juan Manuel Mendez", "Juan Manuel Mendez"]


def test_an_agency_after_the_speakers_name_is_a_hop_and_its_report_the_same_statement() -> None:
    text = ("The death toll has risen to 33, officials said. Besides, 55 others who sustained injuries were"
            " taken to different hospitals, according to Afghanistan's Interior Ministry's spokesman Tariq"
            " Arian, DPA news agency reported.\n")
    [_, only] = resolve_document(text, extract_attributions(text))
    assert (only.speaker.name, only.speaker.kind, [v.name for v in only.via]) == (
        "Tariq Arian", "person", ["DPA"])


def test_adding_is_said_by_whoever_said_it_and_a_source_cut_at_its_article_is_mended() -> None:
    text = ("More details will follow next week, the ministry said, adding that the arrests were made"
            " in several provinces.\n\nThe IS claimed responsibility on January 4 for the attack.\n")
    resolved = resolve_document(text, extract_attributions(text))
    adding = [r for r in resolved if r.content.startswith("that the arrests")]
    assert [r.speaker.name for r in adding] == ["ministry"]
    claimed = [r for r in resolved if r.content.startswith("responsibility")]
    assert [r.speaker.text for r in claimed] == ["The IS"]
