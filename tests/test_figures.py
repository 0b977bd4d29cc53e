"""Figure lookup over the real corpus: the eval set, abstention, and uncertain cells."""

from __future__ import annotations

import pytest

from app.answer.figures import lookup_figure
from evals.scoring import load_questions
from index.stemming import stem
from ingest.load import load
from ingest.numbers import same_number
from ingest.segment import segment
from tests.conftest import REPO


@pytest.fixture(scope="module")
def documents(corpus_dir):
    return [segment(load(path)) for path in sorted(corpus_dir.glob("*.txt"))]


def test_figure_lookup_on_the_dev_table_questions_at_least_95_percent(documents):
    questions = [q for q in load_questions(REPO / "evals" / "sets" / "dev.jsonl") if q.kind == "table"]
    assert len(questions) >= 40
    wrong = []
    for question in questions:
        figure = lookup_figure(question.question, documents)
        if (
            figure is None
            or figure.status == "uncertain"
            or not same_number(figure.value, question.value or "")
        ):
            wrong.append((question.id, question.value, figure.value if figure else None))
    assert len(wrong) / len(questions) <= 0.05, wrong


def test_answer_carries_the_cell_and_where_it_is(documents):
    figure = lookup_figure("Hoeveel LDE-doorstromers woonden in 2023 in Antwerpen?", documents)
    assert figure is not None and figure.kind == "table"
    assert (figure.value, figure.row, figure.column) == ("790", "Antwerpen", "LDE")
    assert (figure.source, figure.section, figure.caption) == (
        "001_b0f9d5d62dee0a8f.txt",
        "antwoord 1",
        "Doorstroom per provincie:",
    )
    text = (REPO / "data" / "corpus" / figure.source).read_text(encoding="utf-8")
    assert text[figure.start : figure.end] == "790"


@pytest.mark.parametrize(
    "question",
    [
        # year not in that table: no neighbouring year
        "Hoeveel LDE-doorstromers woonden in 2019 in Antwerpen?",
        "Hoeveel screeningen waren er in 2023 in Henegouwen?",  # province not in the corpus
        "Hoeveel doorstroomtrajecten startten in 2016 bij 60-plussers?",
    ],
)
def test_abstains_rather_than_returning_a_neighbouring_cell(documents, question):
    assert lookup_figure(question, documents) is None


def test_an_uncertain_cell_is_returned_as_uncertain(documents):
    # "-25 jaar Voltooid 3 1": which of 2022 and 2023 (CMW) holds the 1 is not determined by the totals
    figure = lookup_figure(
        "Hoeveel trajecten van jongeren onder 25 bij CMW werden in 2022 voltooid?", documents
    )
    assert figure is not None and figure.status == "uncertain"


def test_figure_from_running_text(documents):
    figure = lookup_figure(
        "Hoeveel doelgroepwerknemers werden in 2023 gescreend op de mogelijkheid tot doorstroom?", documents
    )
    assert figure is not None and figure.kind == "text" and figure.value == "224"
    assert "224 doelgroepwerknemers gescreend" in figure.caption
    assert figure.row.startswith("doelgroepwerknemers")  # what the number counts


@pytest.mark.parametrize(
    ("question", "named"),
    [
        (
            "Hoeveel bedraagt de begeleidingsvergoeding bij individueel maatwerk?",
            "1",
        ),  # "(art. 1), naar analogie met ..."
        ("Hoeveel doorstroomtrajecten had oproep 380?", "432"),  # "... maar in oproep 432 ..."
    ],
)
def test_a_number_that_names_an_article_or_a_call_is_no_figure(documents, question, named):
    figure = lookup_figure(question, documents)
    assert figure is None or figure.value != named, figure


def test_an_age_band_written_out_with_a_hyphen_is_the_band(documents):
    figure = lookup_figure("Hoeveel 25- tot 59-jarigen werden in 2023 gescreend voor CMW?", documents)
    assert figure is not None and figure.value == "153" and "25-59" in figure.row


@pytest.mark.parametrize(
    "question",
    [
        "Hoeveel mannen stroomden in 2022 door naar het NEC?",  # the tables count doorstromers, not men
        "Hoeveel maatwerkbedrijven zijn er in Limburg?",  # nor companies
        "Hoeveel LDE-ondernemingen waren er in 2023?",
    ],
)
def test_a_table_that_does_not_count_what_is_asked_gives_no_figure(documents, question):
    assert lookup_figure(question, documents) is None


@pytest.mark.parametrize(
    ("question", "value"),
    [
        (
            "Hoeveel LDE-doorstromers woonden in 2023 in Antwerpen?",
            "790",
        ),  # "LDE-" names the instrument, not what is counted
        (
            "Aantal gestarte trajecten in 2019 voor 60-plussers?",
            "1",
        ),  # the noun after the participle is what is counted
    ],
)
def test_what_is_counted_is_read_past_slot_prefixes_and_participles(documents, question, value):
    figure = lookup_figure(question, documents)
    assert figure is not None and figure.value == value, figure


def test_the_row_outside_brussels_and_flanders_is_not_flanders(documents):
    figure = lookup_figure("Hoeveel CMW-doorstromers woonden in Vlaanderen?", documents)
    assert figure is None or not figure.row.lower().startswith("buiten"), figure


def test_a_count_written_as_a_word_is_a_figure(documents):
    figure = lookup_figure(
        "Hoeveel ESF-oproepen werden er gedaan?", documents
    )  # "werden twee ESF- oproepen ... gedaan"
    assert figure is not None and figure.kind == "text" and figure.value == "2", figure
    text = (REPO / "data" / "corpus" / figure.source).read_text(encoding="utf-8")
    assert text[figure.start : figure.end] == "twee"


@pytest.mark.parametrize(
    ("question", "value"),
    [
        (
            "Hoeveel SEC-NEC-SEC-overgangen waren er binnen collectief maatwerk?",
            "1070",
        ),  # "1140 (1070 binnen CMW en 70 binnen LDE)"
        ("Hoeveel trajecten startten in 2019 bij 25-59 jarigen?", "90"),  # "jarigen" belongs to the age band
        (
            "Hoeveel mensen stroomden in 2023 vanuit de LDE in West-Vlaanderen door naar het NEC?",
            "271",
        ),  # "mensen" does not pick the screening table
    ],
)
def test_the_figure_the_question_qualifies(documents, question, value):
    figure = lookup_figure(question, documents)
    assert figure is not None and figure.value == value, figure


@pytest.mark.parametrize(
    ("question", "value"),
    [
        (
            "Hoeveel doorstroomtrajecten telde Limburg over alle jaren?",
            "129",
        ),  # "over alle jaren" asks the total
        (
            "Hoeveel mensen stroomden in 2022 door na een voltooid traject bij IN-Z?",
            "8",
        ),  # a hyphenated acronym names the project
        (
            "Hoeveel uur begeleiding haalde een doorstroompartner gemiddeld?",
            "140",
        ),  # "140 u. begeleiding": "u." ends no sentence
    ],
)
def test_totals_acronyms_and_abbreviations(documents, question, value):
    figure = lookup_figure(question, documents)
    assert figure is not None and figure.value == value, figure


@pytest.mark.parametrize(
    ("question", "value"),
    [
        (
            "Hoeveel bedroeg de VCF-betaling aan Argos consortium West in 2020?",
            "43.246,45",
        ),  # the column "VCF-2020"
        (
            "Hoeveel ESF-middelen ontving het IN-Z-project in 2021?",
            "16.365,60",
        ),  # "IN-Z" inside "IN-Z-project"
        ("Hoeveel bedroeg de totale VCF-betaling in 2019?", "163.881,30"),
    ],
)
def test_a_payment_asked_in_words_is_the_fund_column_of_its_year(documents, question, value):
    figure = lookup_figure(question, documents)
    assert figure is not None and figure.value == value, figure


def test_synonyms_and_unit_words_do_not_hide_a_figure_in_running_text(documents):
    # the letter: "9% van de ondernemingen op de rand van een faillissement"
    figure = lookup_figure(
        "Hoeveel procent van de bedrijven dreigt volgens de commissie failliet te gaan?", documents
    )
    assert figure is not None and figure.value == "9%", figure


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("Hoeveel LDE-doorstromers tussen 25 en 59 jaar waren er in 2023?", "1933"),  # an age band in words
        ("In 2020, hoeveel trajecten startten er in West-Vlaanderen?", "40"),  # a year before a comma
        (
            "Hoeveel CMW-trajecten zonder stage werden in 2023 in Antwerpen voltooit?",
            "10",
        ),  # "voltooit": a common dt-typo
        (
            "Hoeveel ESF-middelen kreeg Argos consortium West 7 in 2021?",
            "20.844,40",
        ),  # a project name with a digit
        (
            "Hoeveel CMW-trajecten zonder stage werden in 2021 in totaal voltooid of stopgezet?",
            "54",
        ),  # not a province's total
    ],
)
def test_slot_words_as_staff_write_them(documents, question, value):
    figure = lookup_figure(question, documents)
    assert figure is not None and figure.status != "uncertain" and figure.value == value, figure


def test_a_number_that_names_a_level_is_no_quantity(documents):
    # "... in dienst blijven van het maatwerkbedrijf aan een WOP 40 Laag": 40 names the support level
    assert (
        lookup_figure("Hoeveel doelgroepwerknemers blijven in dienst van het maatwerkbedrijf?", documents)
        is None
    )


@pytest.mark.parametrize(
    ("question", "value"),
    [
        (
            "Hoeveel VCF ging er in 2021 naar Buurtservice?",
            "22.538,47",
        ),  # the VCF is only ever money: its column of that year
        ("Hoeveel ESF-geld ontving IN-Z in 2021?", "16.365,60"),
        (
            "Hoeveel LDE'ers jonger dan 25 vonden in 2023 de weg naar het NEC?",
            "144",
        ),  # "LDE'ers"; row and column pinned by slots
        (
            "Hoeveel trajecten telde het Gentse project 7738 met startjaar 2023?",
            "10",
        ),  # not the total of a table printed after the one naming 7738
    ],
)
def test_a_cell_pinned_by_its_slots_is_found_in_other_words(documents, question, value):
    figure = lookup_figure(question, documents)
    assert figure is not None and figure.status != "uncertain" and figure.value == value, figure


def test_the_stemmer_keeps_a_ge_of_a_words_root_and_drops_a_participles():
    # Snowball's Dutch stemmer made "begeleiding" "beleid" (policy) and "werkgever" "werkver"
    assert stem("begeleiding") != stem("beleid")
    assert stem("werkgevers") == stem("werkgever") != stem("werkver")
    assert stem("mogelijkheden") == stem("mogelijk")
    assert stem("gescreend") == stem("screeningen")
    assert stem("doorgestroomde") == stem("doorstroom")


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("CMW-doorstroom 2023, 25 t.e.m. 59 jaar?", "807"),  # "t.e.m." is "tot en met"
        ("Screenings LDE West-Vl. in 2023?", "6"),  # "West-Vl." as "Oost-Vl."
        (
            "Hoeveel ontving Buurtservice in 2021 uit het Vlaams Cofinancieringsfonds?",
            "22.538,47",
        ),  # the fund written out, after its year
        ("Som van de ESF-betalingen in 2021?", "177.025,39"),  # "som van" asks the total
        (
            "Hoeveel LDE-doorstromers van 2022 werkten minstens één jaar aaneensluitend?",
            "172",
        ),  # "minstens één jaar": 12 months
    ],
)
def test_abbreviations_funds_written_out_sums_and_durations_in_words(documents, question, value):
    figure = lookup_figure(question, documents)
    assert figure is not None and figure.value == value, figure


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("Hoeveel Oost-Vlaamse trajecten startten in 2021?", "19"),  # a province's adjective names it
        (
            "Hoeveel kreeg Argos consortium West 7 in 2021 via het ESF?",
            "20.844,40",
        ),  # the year before the fund
    ],
)
def test_a_province_adjective_and_a_fund_after_its_year_are_slots(documents, question, value):
    figure = lookup_figure(question, documents)
    assert figure is not None and same_number(figure.value, value), figure


def test_a_count_is_not_answered_with_a_percentage(documents):
    # "10% van de zittende maatwerkers" shares "start" and "doorstroomtraject" with the question
    figure = lookup_figure(
        "Wat is het totale aantal gestarte doorstroomtrajecten over alle startjaren heen?", documents
    )
    assert figure is None or not figure.value.endswith("%"), figure


@pytest.mark.parametrize(
    ("question", "value"),
    [
        (
            "Hoeveel uur begeleiding per individueel doorstroomtraject was het gemiddelde?",
            "140",
        ),  # "140 u.", not "3440 euro"
        ("Welk gemiddeld aantal begeleidingsuren werd zelden gehaald?", "140"),  # the hours of "begeleiding"
        ("Binnen hoeveel maanden kan een mislukte doorstromer terug naar zijn CMW-werkgever?", "18"),
    ],
)
def test_a_duration_asked_in_a_unit_is_a_number_printed_with_that_unit(documents, question, value):
    figure = lookup_figure(question, documents)
    assert figure is not None and figure.value == value, figure


@pytest.mark.parametrize(
    ("question", "value"),
    [
        (
            "Limburg: alle startjaren samen, hoeveel gestarte trajecten?",
            "129",
        ),  # "Startjaar" heads the table's rows
        ("Startjaar 2021, 25 t/m 59 jaar: aantal trajecten?", "88"),  # "t/m" is "tot en met"
        (
            "Hoeveel zestigplussers stroomden in 2023 door vanuit CMW?",
            "35",
        ),  # an age band counted, written out
    ],
)
def test_the_row_header_an_abbreviated_age_band_and_an_age_band_counted(documents, question, value):
    figure = lookup_figure(question, documents)
    assert figure is not None and figure.value == value, figure


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("Hoeveel LDE-doorstromers telde Antwepren in 2023?", "790"),  # a place name typed one letter off
        ("Hoeveel CMW-doorstromers woonden in 2023 in West-Vlaandern?", "256"),
        ("Hoeveel ex-doorstromers dienden een nieuwe aanvraag in voor CMW of LDE?", "694"),
        (
            "Streefcijfer aan trajecten voor oproep 432?",
            "950",
        ),  # "beoogt 950", not the 33 referrals in its table
        (
            "Hoeveel moest Buurtservice in 2023 terugbetalen aan het VCF?",
            "-10.637,67",
        ),  # a refund: "aan het VCF"
    ],
)
def test_typed_place_names_parts_of_an_asked_whole_targets_and_refunds(documents, question, value):
    figure = lookup_figure(question, documents)
    assert figure is not None and figure.value == value, figure


def test_a_number_qualified_by_one_of_the_alternatives_asked_is_no_answer(documents):
    # "1140 (1070 binnen CMW en 70 binnen LDE)": "in CMW of LDE" asks the whole, not the LDE part
    figure = lookup_figure("Hoeveel doorgestroomden vroegen later opnieuw werk in CMW of LDE aan?", documents)
    assert figure is None or figure.value not in ("70", "1070"), figure


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("Hoeveel Vlaamse cofinanciering kreeg IN-Z in 2022?", "25.200,60"),  # the VCF written out
        (
            "Eindtotaal duurzame doorstroom van 12 maand of meer?",
            "2717",
        ),  # not the "3" of "(3 maand of langer/..."
    ],
)
def test_a_fund_in_words_and_a_duration_that_names_a_column(documents, question, value):
    figure = lookup_figure(question, documents)
    assert figure is not None and figure.value == value, figure
