"""Attributions read as a document: who really said it, through whom.

Built on hand-made spans (not on the extractor's output), so that these rules hold whatever
model finds the spans.
"""

from __future__ import annotations

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
