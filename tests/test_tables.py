"""Tables rebuilt from the flattened corpus text: exact cells, checked by hand against the sources."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from ingest.load import load
from ingest.numbers import parse_number
from ingest.segment import segment


@pytest.fixture(scope="module")
def tables(corpus_dir):
    d1 = segment(load(corpus_dir / "001_b0f9d5d62dee0a8f.txt"))
    d2 = segment(load(corpus_dir / "002_fcbfb653e6343493.txt"))
    return d1, d2


def find(document, caption_start, section=None, nth=0):
    found = [
        t
        for t in document.tables
        if t.caption.startswith(caption_start) and (section is None or t.section == section)
    ]
    return found[nth]


def value(table, row, column):
    matches = [c for r in table.rows if r.label == row for c in r.cells if c.column == column]
    assert len(matches) <= 1
    if not matches:
        return None
    assert matches[0].status != "uncertain", (row, column)
    return matches[0].value


def test_outflow_2023_totals_per_province_and_age(tables):
    d, _ = tables
    totals = find(d, "Totalen doorstroom:")
    assert (value(totals, "", "CMW"), value(totals, "", "LDE")) == ("1010", "2320")
    province = find(d, "Doorstroom per provincie:")
    assert province.section == "antwoord 1" and province.complete
    assert value(province, "Antwerpen", "LDE") == "790"
    assert value(province, "Buiten Brussel/Vlaanderen", "CMW") == "5"
    age = find(d, "Doorstroom per leeftijd:")  # its rows were printed inside another table, in answer 2
    assert age.section == "antwoord 1" and age.complete
    assert value(age, "0-25 jaar", "CMW") == "168" and value(age, "60 jaar en +", "LDE") == "243"


def test_trajectories_per_start_year_and_province_with_empty_cells(tables):
    d, _ = tables
    t = find(d, "Per jaar en per provincie:")
    assert t.columns == (
        "Antwerpen",
        "Brussel",
        "Limburg",
        "Oost-Vlaanderen",
        "Vlaams-Brabant",
        "West-Vlaanderen",
        "Totaal",
    )
    # "2018 1 4 2 7": only the column totals say where these three numbers go
    assert [value(t, "2018", c) for c in t.columns] == [None, None, "1", None, "4", "2", "7"]
    assert value(t, "2020", "Brussel") is None and value(t, "2023", "Brussel") == "1"
    assert value(t, "Totaal", "Totaal") == "686"


def test_trajectories_per_start_year_and_age(tables):
    d, _ = tables
    t = find(d, "Per jaar en per leeftijd:")
    assert t.columns == ("-25 jaar", "25 tot en met 59 jaar", "60 jaar en +", "Totaal")
    assert [value(t, "2018", c) for c in t.columns] == [None, "7", None, "7"]
    assert [value(t, "2020", c) for c in t.columns] == ["9", "280", None, "289"]
    assert value(t, "2019", "60 jaar en +") == "1"


def test_trajectories_per_project_and_year_glued_digits(tables):
    d, _ = tables
    t = find(d, "Per jaar en organisatie/ESF:")
    vlaams_brabant = "7889 Doorstroom Vlaams-Brabant (consort. Emino Vlaams-Brabant)"
    assert (
        value(t, vlaams_brabant, "2023") == "9" and value(t, vlaams_brabant, "Totaal") == "100"
    )  # printed "9100"
    assert value(t, "7875 Argos consortium West 7", "2018") == "1"  # the 7 of "West 7" is no value
    assert value(t, "7738 Doorstroom Sociale Economie (Stad Gent)", "2018") is None
    assert value(t, "7738 Doorstroom Sociale Economie (Stad Gent)", "2019") == "12"


def test_screenings_per_province_and_age(tables):
    d, _ = tables
    totals = find(d, "Totalen:", section="antwoord 3")
    assert (value(totals, "", "CMW"), value(totals, "", "LDE")) == ("176", "48")
    province = find(d, "Aantal screeningen met oog op doorstroom richting NEC per provincie:")
    # one row has a single number: the totals table above says it is CMW
    assert value(province, "Buiten Brussel/Vlaanderen", "CMW") == "1"
    assert value(province, "Buiten Brussel/Vlaanderen", "LDE") is None
    assert value(province, "West-Vlaanderen", "CMW") == "41"
    age = find(d, "Aantal screeningen met oog op doorstroom richting NEC per leeftijd:")
    assert value(age, "0-25 jaar", "CMW") == "17" and value(age, "25-59 jaar", "LDE") == "48"


def test_sustainability_per_year_and_measure(tables):
    d, _ = tables
    t = next(t for t in d.tables if "duurzaam 3 maand of langer" in t.columns)
    assert t.section == "antwoord 4" and t.complete
    assert value(t, "2022 / CMW", "duurzaam 3 maand of langer") == "595"
    assert value(t, "Totaal 2023", "doorstroom") == "3330"
    assert value(t, "Eindtotaal", "duurzaam 12 maand of langer") == "2717"


def test_completed_trajectory_outflow_2022_2023(tables):
    d, _ = tables
    per_project, per_province, per_age = (
        find(d, "Doorstroom na evaluatie", nth=0),
        find(d, "Doorstroom na evaluatie", nth=1),
        find(d, "Doorstroom na evaluatie", nth=2),
    )
    assert value(per_project, "2022 / 7875 Argos consortium West 7", "CMW") is None
    assert value(per_project, "2022 / 7875 Argos consortium West 7", "LDE") == "7"
    assert (
        value(per_project, "2023 / 7889 Doorstroom Vlaams-Brabant (consort. Emino Vlaams-Brabant)", "Totaal")
        == "20"
    )
    assert (
        value(per_province, "2023 / Brussel", "LDE") == "2"
        and value(per_province, "2023 / Brussel", "CMW") is None
    )
    assert value(per_province, "Totaal 2022", "Totaal") == "116"
    # "-25 jaar 1 1" is CMW: 18 + 1 = 19 in "Totaal 2023 19 144 163"; "60 jaar en + 38 38" is LDE
    assert (
        value(per_age, "2023 / -25 jaar", "CMW") == "1" and value(per_age, "2023 / -25 jaar", "LDE") is None
    )
    assert value(per_age, "2023 / 60 jaar en +", "LDE") == "38"


def test_payments_in_dutch_money_format(tables):
    d, _ = tables
    first = next(t for t in d.tables if "VCF-2018" in t.columns)
    second = next(t for t in d.tables if "VCF-2022" in t.columns)
    assert (
        first.caption.startswith("middelen uit het Vlaams Cofinancieringsfonds")
        and first.section == "antwoord 2e"
    )
    assert (
        value(first, "7738 Doorstroom Sociale Economie (Stad Gent)", "ESF-2020") == "17.136,00"
    )  # broken over a line end
    assert value(first, "Totaal", "ESF-2020") == "43.344"
    assert (
        value(second, "7875 Argos consortium West 7", "VCF-2022") == "14.516,26"
    )  # printed "West 714.516,26"
    assert value(second, "7876 Buurtservice & Werkmmaat (Buurtservice)", "VCF-2023") == "-10.637,67"
    assert value(second, "Totaal", "VCF-2023") == "-7.193,98"


def test_older_esf_answer_province_tables(tables):
    _, d = tables
    started, referred = d.tables
    assert started.columns == ("Opgestarte trajecten", "Stopgezette trajecten")
    assert (
        value(started, "Limburg", "Stopgezette trajecten") == "0"
        and value(started, "Eindtotaal", "Opgestarte trajecten") == "43"
    )
    assert referred.columns == ("Toeleidingen naar trajecten",)
    assert value(referred, "Oost-Vlaanderen", "Toeleidingen naar trajecten") == "14"


def test_ambiguous_cells_are_marked_never_guessed(tables):
    d, _ = tables
    t = next(t for t in d.tables if t.rows and t.rows[0].label == "-25 jaar / Voltooid")
    # "Voltooid 3 1" / "Stopgezet 2 1" under totals "5 . 1 . 1 .": which 1 is 2022 and which 2023 is not
    # determined
    statuses = {(r.label, c.column): c.status for r in t.rows for c in r.cells}
    assert statuses[("-25 jaar / Voltooid", "2022 / CMW")] == "uncertain"
    assert not t.complete


def test_every_complete_table_adds_up_and_cells_point_at_their_text(tables):
    for document in tables:
        for table in document.tables:
            for row in table.rows:
                for cell in row.cells:
                    assert re.sub(r"\s", "", document.text[cell.start : cell.end]) == cell.value
            if table.complete:
                assert_adds_up(table)


def assert_adds_up(table):
    columns = table.columns
    grid = [{c.column: parse_number(c.value) for c in row.cells} for row in table.rows]
    if columns[-1].split(" / ")[-1] == "Totaal":
        for row, values in zip(table.rows, grid):
            assert (
                sum((values.get(c, Decimal(0)) for c in columns[:-1]), Decimal(0)) == values[columns[-1]]
            ), row.label
    leaves = [
        values
        for row, values in zip(table.rows, grid)
        if not row.label.lower().startswith(("totaal", "eindtotaal"))
    ]
    for row, values in zip(table.rows, grid):
        if row.label in ("Totaal", "Eindtotaal"):
            for column in columns:
                assert sum((v.get(column, Decimal(0)) for v in leaves), Decimal(0)) == values.get(
                    column, Decimal(0)
                ), (table.caption, column)
