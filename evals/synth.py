"""A deterministic synthetic archive for measuring the product at scale.

`generate(count, out_dir, seed)` writes `count` Dutch documents (`out_dir/docs/synth_00001.txt` ...)
in the layouts of the bundled corpus: written parliamentary questions with numbered questions and
answers (most of them, many with a flattened table), question-and-answer texts without a header,
committee exchanges with speaker turns, SERV advice and letters. It also writes known-answer
questions (`out_dir/questions.jsonl`, the format of ../shared/EVAL_FORMAT.md) for every 25th
document.

All text comes from the generator's own word lists and templates (`synth_words.json`). Document i
depends only on (seed, i), so a small archive is a prefix of a larger one with the same seed. Each
document is about one invented project or programme whose name is unique in the archive (for the
first 10,000 documents), so a question that names it, with a table's row and column, has one answer.
"""

from __future__ import annotations

import datetime
import json
import random
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

VERSION = 4
WORDS_PATH = Path(__file__).with_name("synth_words.json")
SAMPLE_EVERY = 25  # documents with a known-answer question: synth_00025, synth_00050, ...
WIDTH = 88  # line width of the wrapped prose, as in text extracted from a PDF
GENRES = (("written", 0.55), ("plain", 0.15), ("exchange", 0.12), ("advice", 0.10), ("letter", 0.08))
PASSAGE_FACTS = ("start", "lead", "delay", "evaluator")  # facts stated in words (see synth_words.json)
FIGURE_FACTS = ("budget", "partners", "target", "waiting")  # facts stated as one figure
SERV_SECRETARY = "Marc Wijnants"  # invented, like every name here
SERV_CHAIRS = ("Ann Deroover", "Luk Vertongen")  # by the parity of the year
MONTHS = "januari februari maart april mei juni juli augustus september oktober november december".split()
WEEKDAYS = "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag".split()
MARKER_RE = re.compile(r"^(\d{1,2}\.|[a-h]\))$")  # what the ingester reads as an item marker
BARE_NUMBER_RE = re.compile(r"^\d[\d.,]*%?$(?<![.,])")
SLOT_RE = re.compile(r"\{(\w+)\}")
LOOSE_SLOTS = ("{any_", "{n}", "{pct}", "{past_year}")  # drawn anew for every sentence


@dataclass(frozen=True)
class SynthSummary:
    documents: Path  # the folder of documents
    questions: Path  # questions.jsonl
    count: int
    total_chars: int
    question_count: int


@dataclass(frozen=True)
class Known:
    """A question a document answers: a figure as printed, or a phrase of the answering sentence."""

    kind: str  # "table" or "passage"
    question: str
    answer: str


@dataclass
class Writer:
    """One document being written: its random stream, its fixed choices and what it answers."""

    rng: random.Random
    words: dict
    slots: dict[str, str]  # per-document fillers: entity, subject, group, org, city, ...
    year: int
    cells: list[Known] = field(default_factory=list)  # figures in tables
    figures: list[Known] = field(default_factory=list)  # figures in sentences
    passages: list[Known] = field(default_factory=list)
    unused: dict[str, list[str]] = field(default_factory=dict)  # per template pool

    def pick(self, items: Sequence[T]) -> T:
        return items[self.rng.randrange(len(items))]


# --- the archive ---------------------------------------------------------------------------------


def generate(count: int, out_dir: Path, seed: int = 0) -> SynthSummary:
    """Write `count` documents to `out_dir/docs` (replacing what that folder held) and their
    known-answer questions to `out_dir/questions.jsonl`; an archive already written there with the
    same settings (the stamp `out_dir/synth.json`) is reused as it is."""
    if count < 1:
        raise ValueError(f"count must be at least 1, not {count}")
    out_dir = Path(out_dir)
    docs, questions, stamp_path = out_dir / "docs", out_dir / "questions.jsonl", out_dir / "synth.json"
    stamp = {"count": count, "seed": seed, "version": VERSION}
    found = _reusable(stamp_path, stamp, docs, questions)
    if found is not None:
        return SynthSummary(docs, questions, count, found["total_chars"], found["question_count"])
    stamp_path.unlink(missing_ok=True)
    if docs.exists():
        shutil.rmtree(docs)
    docs.mkdir(parents=True)
    total, lines = 0, []
    for index in range(1, count + 1):
        text, writer = write_document(index, seed)
        (docs / file_name(index)).write_text(text, encoding="utf-8", newline="\n")
        total += len(text)
        if index % SAMPLE_EVERY == 0:
            lines.append(json.dumps(eval_question(index, seed, writer), ensure_ascii=False) + "\n")
    questions.write_text("".join(lines), encoding="utf-8", newline="\n")
    stamp |= {"total_chars": total, "question_count": len(lines)}
    stamp_path.write_text(json.dumps(stamp, indent=1) + "\n", encoding="utf-8")
    return SynthSummary(docs, questions, count, total, len(lines))


def file_name(index: int) -> str:
    return f"synth_{index:05d}.txt"


def _reusable(stamp_path: Path, stamp: dict, docs: Path, questions: Path) -> dict | None:
    """The stamp of an archive written with these settings and holding exactly its files, else None."""
    try:
        found = json.loads(stamp_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(found, dict) or any(found.get(key) != value for key, value in stamp.items()):
        return None
    if not docs.is_dir() or not questions.is_file():
        return None
    expected = {file_name(i) for i in range(1, stamp["count"] + 1)}
    return found if {path.name for path in docs.iterdir()} == expected else None


@lru_cache(maxsize=1)
def load_words() -> dict:
    return json.loads(WORDS_PATH.read_text(encoding="utf-8"))


def write_document(index: int, seed: int = 0) -> tuple[str, Writer]:
    """Document `index` (from 1): its text, and the writer that holds what it answers."""
    rng = random.Random(f"{seed}:{index}")
    genre = _choose(rng, GENRES)
    writer = _writer(rng, index, seed, genre)
    target = int(min(38_000, max(1_800, rng.lognormvariate(8.45, 0.55))))  # characters, median ~4.7k
    if genre in ("written", "plain"):
        return written_question(writer, target, header=genre == "written"), writer
    if genre == "exchange":
        return exchange(writer, target), writer
    if genre == "advice":
        return advice(writer, target), writer
    return letter(writer, target), writer


def _choose(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    roll = rng.random()
    for name, weight in weighted:
        if roll < weight:
            return name
        roll -= weight
    return weighted[-1][0]


def entity_name(index: int, seed: int = 0) -> str:
    """An invented place-like name, unique per index for the first 10,000 documents of a seed
    (a shuffled order of the 25 x 20 x 20 combinations of the name parts)."""
    names = _entity_names(seed)
    name = names[(index - 1) % len(names)]
    series = (index - 1) // len(names)  # past 10,000 documents: a numbered next series
    return f"{name}-{series + 1}" if series else name


@lru_cache(maxsize=4)
def _entity_names(seed: int) -> list[str]:
    parts = load_words()["entity_parts"]
    names = [a + b + c for a in parts["first"] for b in parts["middle"] for c in parts["last"]]
    random.Random(f"names:{seed}").shuffle(names)
    return names


def _writer(rng: random.Random, index: int, seed: int, genre: str) -> Writer:
    words = load_words()
    year = rng.randint(2019, 2025)
    minister = next(m for m in words["ministers"] if m["from"] <= year <= m["to"])
    kind = "policy" if genre in ("advice", "letter") else "question"
    entity = f"{rng.choice(words['entity_kinds'][kind])} {entity_name(index, seed)}"
    topic = rng.choice(words["topics"])
    slots = {
        "entity": entity,
        "Entity": entity[0].upper() + entity[1:],
        "subject": topic["subject"],
        "title": topic["title"],
        "group": rng.choice(words["groups"]),
        "instrument": rng.choice(words["instruments"]),
        "org": rng.choice(words["organisations"]),
        "city": rng.choice(words["cities"]),
        "province": rng.choice(words["provinces"]),
        "minister": minister["name"],
        "minister_sex": minister["sex"],
        "function": minister["function"],
    }
    return Writer(rng, words, slots, year)


# --- text ------------------------------------------------------------------------------------------


def fill(template: str, slots: dict[str, str]) -> str:
    return SLOT_RE.sub(lambda m: slots[m.group(1)], template)


def sentences(writer: Writer, pools: str | tuple[str, ...], n: int) -> list[str]:
    """`n` sentences, each from one of the template pools; a pool's templates are used once each
    before any repeats."""
    out = []
    for _ in range(n):
        pool = pools if isinstance(pools, str) else writer.pick(pools)
        left = writer.unused.get(pool)
        if not left:
            left = list(writer.words["templates"][pool])
            writer.rng.shuffle(left)
            writer.unused[pool] = left
        template = left.pop()
        loose = any(slot in template for slot in LOOSE_SLOTS)
        out.append(fill(template, writer.slots | _loose_slots(writer) if loose else writer.slots))
    return out


def _loose_slots(writer: Writer) -> dict[str, str]:
    words, rng = writer.words, writer.rng
    return {
        "any_city": writer.pick(words["cities"]),
        "any_province": writer.pick(words["provinces"]),
        "any_group": writer.pick(words["groups"]),
        "n": str(rng.randint(3, 45)),
        "pct": str(rng.randint(8, 85)),
        "past_year": str(writer.year - rng.randint(1, 4)),
    }


def wrap(text: str, width: int = WIDTH) -> list[str]:
    """Greedy wrap; a line never starts with an item marker (`3.`, `b)`) and, inside a paragraph,
    never ends in a bare number (which would read as a row of a flattened table)."""
    lines: list[list[str]] = [[]]
    for word in text.split():
        line = lines[-1]
        if line and len(" ".join(line)) + 1 + len(word) > width and not MARKER_RE.match(word):
            lines.append([line.pop()] if len(line) > 1 and BARE_NUMBER_RE.match(line[-1]) else [])
        lines[-1].append(word)
    return [" ".join(line) for line in lines if line]


def dutch_number(value: float, decimals: int = 0) -> str:
    """1234 -> "1.234"; 27313.55 with decimals=2 -> "27.313,55"."""
    return f"{value:,.{decimals}f}".replace(",", "_").replace(".", ",").replace("_", ".")


def dutch_date(date: datetime.date) -> str:
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def random_date(rng: random.Random, year: int) -> datetime.date:
    return datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    sex: str  # "f" or "m"

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    def titled(self, full: bool = True) -> str:
        """`Mevrouw Anke Verbist`, or with full=False `Mevrouw Verbist`."""
        return f"{'Mevrouw' if self.sex == 'f' else 'De heer'} {self.name if full else self.last}"


def person(writer: Writer) -> Person:
    sex = writer.pick(["f", "m"])
    return Person(writer.pick(writer.words["first_names"][sex]), writer.pick(writer.words["surnames"]), sex)


def salutation(writer: Writer) -> str:
    return ("Mevrouw" if writer.slots["minister_sex"] == "f" else "Mijnheer") + " de minister"


# --- facts about the document's entity ---------------------------------------------------------------


def fact(writer: Writer, name: str, value: str, kind: str, **extra: str) -> str:
    """The sentence stating a fact; the question it answers is kept as a known answer."""
    spec = writer.words["facts"][name]
    slots = writer.slots | extra | {"value": value}
    known = Known(kind, fill(writer.pick(spec["ask"]), slots), value)
    (writer.figures if kind == "table" else writer.passages).append(known)
    return fill(spec["sentence"], slots)


def figure_facts(writer: Writer, names: tuple[str, ...]) -> list[str]:
    """Sentences with one figure each about the document's entity."""
    rng, out = writer.rng, []
    for name in names:
        year = writer.year + (rng.randint(1, 3) if name == "target" else 0)
        if name == "budget":
            value = dutch_number(rng.randrange(40, 2_400) * 500)
        elif name == "partners":
            value = str(rng.randint(3, 19))
        elif name == "target":
            value = str(rng.randint(20, 900))
        else:
            value = dutch_number(rng.randint(12, 1_400) if rng.random() < 0.8 else rng.randint(1_001, 4_000))
        out.append(fact(writer, name, value, "table", year=str(year)))
    return out


def passage_facts(writer: Writer, names: tuple[str, ...]) -> list[str]:
    """Sentences that answer a question about the document's entity in words."""
    rng, words, out = writer.rng, writer.words, []
    for name in names:
        if name == "start":
            date = dutch_date(random_date(rng, writer.year - rng.randint(1, 3)))
            out.append(fact(writer, name, date, "passage", date=date, end_year=str(writer.year + 2)))
        elif name == "lead":
            out.append(fact(writer, name, writer.slots["org"], "passage"))
        elif name in ("delay", "evaluator", "concern"):
            pool = {"delay": "reasons", "evaluator": "evaluators", "concern": "concerns"}[name]
            value = writer.pick(words[pool])
            out.append(fact(writer, name, value, "passage", reason=value, evaluator=value, concern=value))
        elif name == "extension":
            date = dutch_date(random_date(rng, writer.year + 1))
            out.append(fact(writer, name, date, "passage", date=date))
    return out


# --- tables ------------------------------------------------------------------------------------------

LAYOUTS = ("province_year", "province_year", "age_year", "province_instrument", "organisation_year")
DIMENSIONS = {  # what a question asking for the table splits by
    "province_year": "provincie",
    "age_year": "leeftijdscategorie",
    "province_instrument": "provincie en per maatregel",
    "organisation_year": "partnerorganisatie",
}


@dataclass(frozen=True)
class Grid:
    """A table before printing: labels and whole values (cents for money), totals left out."""

    caption: str
    header: str  # the label over the row labels ("Provincie"), printed before the column labels
    rows: list[str]
    columns: list[str]
    values: list[list[int]]
    money: bool


def table(writer: Writer, measure: dict, layout: str) -> list[str]:
    """A flattened table about the document's entity: caption, header line, rows with a total column,
    a total row. Two of its cells and one column total become known answers."""
    grid = _grid(writer, measure, layout)
    printed = [[_print(v, grid.money) for v in row] for row in grid.values]
    sums = [sum(column) for column in zip(*grid.values)]
    lines = [grid.caption, " ".join([grid.header, *grid.columns, "Totaal"]).strip()]
    for label, row, values in zip(grid.rows, printed, grid.values):
        lines.append(" ".join([label, *row, _print(sum(values), grid.money)]))
    lines.append(" ".join(["Totaal", *(_print(v, grid.money) for v in sums), _print(sum(sums), grid.money)]))
    for _ in range(2):
        r, c = writer.rng.randrange(len(grid.rows)), writer.rng.randrange(len(grid.columns))
        question = _cell_question(writer, measure, layout, grid, r, c)
        writer.cells.append(Known("table", question, printed[r][c]))
    c = writer.rng.randrange(len(grid.columns))
    if layout != "province_instrument":
        question = f"{_ask(writer, measure)} in {grid.columns[c]} in totaal?"
        writer.cells.append(Known("table", question, _print(sums[c], grid.money)))
    return lines


def _grid(writer: Writer, measure: dict, layout: str) -> Grid:
    rng, words = writer.rng, writer.words
    caption = fill(measure["caption"], writer.slots)
    years = [str(year) for year in range(writer.year - rng.randint(2, 4), writer.year)]
    if layout == "province_year":
        rows = list(words["provinces"]) + (["Brussel"] if rng.random() < 0.3 else [])
        caption, header, columns = f"{caption} per provincie en per jaar:", "Provincie", years
    elif layout == "age_year":
        rows = [band["label"] for band in words["age_bands"]]
        caption, header, columns = f"{caption} per leeftijdscategorie en per jaar:", "Leeftijd", years
    elif layout == "province_instrument":
        rows, columns = list(words["provinces"]), [c["label"] for c in words["instrument_columns"]]
        caption, header = f"{caption} in {writer.year - 1} per provincie en per maatregel:", ""
    else:
        rows = [re.sub(r"^(?:[a-z]+ )+", "", name) for name in rng.sample(words["organisations"], 4)]
        caption, header, columns = f"{caption} per partnerorganisatie en per jaar:", "Organisatie", years
    money = measure is words["money_measure"]
    scale = 4_000_000 if money else rng.choice((15, 40, 120, 400))
    values = []
    for _ in rows:
        base = rng.lognormvariate(0, 0.7) * scale
        values.append([max(1, round(base * rng.uniform(0.4, 1.6))) for _ in columns])
    return Grid(caption, header, rows, columns, values, money)


def _print(value: int, money: bool) -> str:
    return dutch_number(value / 100, 2) if money else dutch_number(value)


def _ask(writer: Writer, measure: dict) -> str:
    return fill(writer.pick(measure["ask"]), writer.slots)


def _cell_question(writer: Writer, measure: dict, layout: str, grid: Grid, r: int, c: int) -> str:
    """A question for one cell, naming the entity, the row and the column."""
    row, column = grid.rows[r], grid.columns[c]
    if layout == "province_year":
        forms = [f"in {row} in {column}", f"in {column} in {row}", f"in {column} in de provincie {row}"]
        where = writer.pick(forms) if row != "Brussel" else f"in {column} in Brussel"
    elif layout == "age_year":
        where = f"in {column} {writer.pick(writer.words['age_bands'][r]['ask'])}"
    elif layout == "province_instrument":
        where = f"in {writer.year - 1} in {row} {writer.words['instrument_columns'][c]['ask']}"
    else:
        where = writer.pick([f"in {column} bij {row}", f"bij {row} in {column}"])
    return f"{_ask(writer, measure)} {where}?"


# --- written questions -------------------------------------------------------------------------------


@dataclass
class Item:
    """A numbered question and its answer."""

    question: list[str]  # its text, then its parts (`a) ...`), unwrapped
    answer: list[list[str]] = field(default_factory=list)  # paragraphs (one per part), as sentences
    tables: list[list[str]] = field(default_factory=list)  # printed after the answer's first paragraph
    parts: int = 0


def written_question(writer: Writer, target: int, header: bool) -> str:
    """A written question with its answer: with the parliament's header block, or (header=False)
    a title, the question and the answer whose numbering restarts."""
    rng = writer.rng
    items = _items(writer, max(2, min(14, round(target / 1_100) + rng.randint(-1, 1))))
    facts = passage_facts(writer, tuple(rng.sample(PASSAGE_FACTS, rng.randint(2, 3))))
    facts += figure_facts(writer, tuple(rng.sample(FIGURE_FACTS, rng.randint(1, 2))))
    for sentence in facts:
        paragraph = rng.choice(rng.choice(items).answer)
        paragraph.insert(rng.randint(0, len(paragraph)), sentence)
    intro = [sentences(writer, "intro", rng.randint(3, 5)) for _ in range(rng.randint(1, 3))]
    _fill_to(writer, items, target - sum(len(" ".join(p)) for p in intro))
    title = "Sociale economie - " + writer.slots["title"]
    title += f" - {writer.slots['Entity']}" if rng.random() < 0.6 else ""
    if header:
        return _with_header(writer, title, intro, items)
    return _plain(title, intro, items)


def _items(writer: Writer, n: int) -> list[Item]:
    rng, words = writer.rng, writer.words
    n_tables = 0 if rng.random() < 0.25 else min(n, 1 + rng.randint(0, 1) + n // 7)
    measures = rng.sample([*words["measures"], words["money_measure"]], n_tables)
    with_table = set(rng.sample(range(n), n_tables))
    items = []
    for k in range(n):
        if k in with_table:
            items.append(_data_item(writer, measures.pop()))
        elif rng.random() < 0.15:
            parts = sentences(writer, "question", rng.randint(2, 3))
            lead = sentences(writer, "subquestion_lead", 1)
            question = lead + [f"{'abc'[i]}) {part}" for i, part in enumerate(parts)]
            items.append(Item(question, [sentences(writer, "answer", 1) for _ in parts], parts=len(parts)))
        else:
            answer = [sentences(writer, "answer", rng.randint(1, 2))]
            items.append(Item(sentences(writer, "question", 1), answer))
    return items


def _data_item(writer: Writer, measure: dict) -> Item:
    """A question asking for figures, answered with a lead sentence and a table."""
    layout = writer.pick(LAYOUTS) if measure is not writer.words["money_measure"] else "province_year"
    slots = writer.slots | {"measure": measure["noun"], "dimension": DIMENSIONS[layout]}
    question = fill(writer.pick(writer.words["templates"]["data_question"]), slots)
    lead = fill(writer.pick(writer.words["templates"]["table_lead"]), slots)
    return Item([question], [[lead]], [table(writer, measure, layout)])


def _fill_to(writer: Writer, items: list[Item], target: int) -> None:
    """Add answer sentences, in new or existing paragraphs, until the items are `target` characters."""
    rng = writer.rng
    size = sum(len(" ".join(block)) + 1 for item in items for block in (item.question, *item.answer))
    size += sum(len("\n".join(lines)) + 1 for item in items for lines in item.tables)
    while size < target:
        item = rng.choice(items)
        sentence = sentences(writer, "answer", 1)[0]
        if rng.random() < 0.3 and not item.parts:
            item.answer.append([sentence])
        else:
            rng.choice(item.answer).append(sentence)
        size += len(sentence) + 1


def _question_lines(item: Item, number: int, blank: bool) -> list[str]:
    gap = [""] if blank else []
    lines = wrap(f"{number}. {item.question[0]}")
    for part in item.question[1:]:
        lines += gap + wrap(part)
    return lines + gap


def _answer_lines(item: Item, number: int, blank: bool) -> list[str]:
    """The answer to question `number`: its paragraphs (lettered where the question has parts), the
    tables after the first one."""
    gap = [""] if blank else []
    lines: list[str] = []
    for i, paragraph in enumerate(item.answer):
        text = (f"{'abc'[i]}) " if item.parts else "") + " ".join(paragraph)
        lines += wrap(f"{number}. {text}" if i == 0 else text) + gap
        if i == 0:
            for table_lines in item.tables:
                lines += table_lines + gap
    return lines


def _with_header(writer: Writer, title: str, intro: list[list[str]], items: list[Item]) -> str:
    """The layout of the parliament's written questions: header block, question, ANTWOORD block."""
    member = person(writer).name.upper()
    asked = dutch_date(random_date(writer.rng, writer.year))
    number = writer.rng.randint(1, 950)
    minister, function = writer.slots["minister"].upper(), writer.slots["function"].upper()
    lines = [f"title: {title}", "thema: Sociale economie", "Werk", "SCHRIFTELIJKE VRAAG", f"nr. {number}"]
    lines += [f"van {member}", f"datum: {asked}", f"aan {minister}", function, title]
    for paragraph in intro:
        lines += wrap(" ".join(paragraph))
    for k, item in enumerate(items, 1):
        lines += _question_lines(item, k, blank=False)
    lines += [minister, function, "ANTWOORD", f"op vraag nr. {number} van {asked}", f"van {member}"]
    for k, item in enumerate(items, 1):
        lines += _answer_lines(item, k, blank=False)
    return "\n".join(lines) + "\n"


def _plain(title: str, intro: list[list[str]], items: list[Item]) -> str:
    """Title, question and answer in paragraphs, the answer's numbering restarting at 1."""
    lines = [title, ""]
    for paragraph in intro:
        lines += wrap(" ".join(paragraph)) + [""]
    for k, item in enumerate(items, 1):
        lines += _question_lines(item, k, blank=True)
    for k, item in enumerate(items, 1):
        lines += _answer_lines(item, k, blank=True)
    return "\n".join(lines).rstrip() + "\n"


# --- other genres ------------------------------------------------------------------------------------


def _paragraphs(writer: Writer, pools: tuple[str, ...], facts: list[str], target: int) -> list[list[str]]:
    """Paragraphs of sentences from the pools, about `target` characters, with the facts spread over
    the first two."""
    rng = writer.rng
    paragraphs = [sentences(writer, pools, rng.randint(2, 3)) for _ in range(2)]
    for sentence in facts:
        paragraph = rng.choice(paragraphs)
        paragraph.insert(rng.randint(0, len(paragraph)), sentence)
    size = sum(len(" ".join(p)) for p in paragraphs)
    while size < target:
        if rng.random() < 0.3:
            paragraphs.append([])
        sentence = sentences(writer, pools, 1)[0]
        paragraphs[-1].append(sentence)
        size += len(sentence) + 1
    return paragraphs


def exchange(writer: Writer, target: int) -> str:
    """A committee debate on a question for explanation: the chair gives the floor, the member asks,
    another member may join, the minister answers, the member replies."""
    rng, slots = writer.rng, writer.slots
    member, other = person(writer), person(writer)
    date = random_date(rng, writer.year)
    date += datetime.timedelta(days=rng.randint(1, 3) - date.weekday())  # committees meet Tuesday to Thursday
    minister = f"Minister {slots['minister']}"
    facts = passage_facts(writer, tuple(rng.sample(PASSAGE_FACTS, 2)))
    facts += figure_facts(writer, tuple(rng.sample(FIGURE_FACTS, 2)))
    heading = f"Vraag om uitleg van {member.titled()[0].lower()}{member.titled()[1:]} aan minister "
    lines = wrap(heading + f"{slots['minister']}, {slots['function']}, over {slots['subject']}")
    lines += ["", f"Commissievergadering van {WEEKDAYS[date.weekday()]} {dutch_date(date)}", ""]
    asked = sentences(writer, "member", 3) + sentences(writer, "question", 2)
    turns = [("De voorzitter", [[f"{member.titled(False)} heeft het woord."]])]
    turns.append((member.titled(), [asked[:3], asked[3:]]))
    if rng.random() < 0.4:
        turns.append(("De voorzitter", [[f"{other.titled(False)} heeft het woord."]]))
        turns.append((other.titled(), [sentences(writer, ("member", "intro"), 3)]))
    turns.append(("De voorzitter", [[f"Minister {slots['minister'].split()[-1]} heeft het woord."]]))
    answer = _paragraphs(writer, ("minister", "answer", "answer"), facts, int(target * 0.7))
    turns.append((minister, [sentences(writer, "minister_open", 1) + answer[0], *answer[1:]]))
    turns.append(("De voorzitter", [[f"{member.titled(False)} heeft het woord."]]))
    turns.append((member.titled(), [sentences(writer, "member_reply", 2)]))
    turns.append(("De voorzitter", [["Het incident is gesloten."]]))
    for speaker, paragraphs in turns:
        lines.append(speaker)
        for paragraph in paragraphs:
            lines += wrap(" ".join(paragraph))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def advice(writer: Writer, target: int) -> str:
    """A SERV advice in Markdown: banner, key/value block, addressee, recommendations, signatures."""
    rng, slots = writer.rng, writer.slots
    received = random_date(rng, writer.year)
    approved = received + datetime.timedelta(days=rng.randint(20, 45))
    chair = SERV_CHAIRS[writer.year % 2]
    ask = writer.pick(writer.words["facts"]["signature"]["ask"])
    writer.passages.append(Known("passage", fill(ask, slots), chair))
    title = f"{slots['Entity']}: {slots['title'].lower()}"
    addressee = ("Mevrouw" if slots["minister_sex"] == "f" else "De heer") + f" {slots['minister']}"
    lines = [
        "# ADVIES",
        "",
        title.upper(),
        "",
        "Advies van de Sociaal-Economische Raad van Vlaanderen (SERV)",
        "",
    ]
    lines += [f"Adviesvraag\tOntwerp van besluit van de Vlaamse Regering betreffende {slots['entity']}"]
    lines += [f"Adviesvrager\t{slots['minister']} - {slots['function']}"]
    lines += [f"Ontvangst adviesvraag\t{dutch_date(received)}", f"Goedkeuring raad\t{dutch_date(approved)}"]
    lines += [f"Contactpersoon\t{person(writer).name}", "", addressee, "", slots["function"], ""]
    lines += [f"## {title}", "", salutation(writer), ""]
    lines += [" ".join(sentences(writer, "advice", 3) + figure_facts(writer, ("budget",))), ""]
    if rng.random() < 0.3:
        lines += table(writer, writer.pick(writer.words["measures"]), writer.pick(LAYOUTS)) + [""]
    for paragraph in _paragraphs(writer, ("advice",), passage_facts(writer, ("concern",)), target - 1_200):
        lines.append("- " + " ".join(paragraph))
    lines += ["", "Hoogachtend", "", SERV_SECRETARY, "administrateur-generaal", "", chair, "voorzitter"]
    return "\n".join(lines) + "\n"


def letter(writer: Writer, target: int) -> str:
    """A letter of the SERV's social economy commission, or a minister's letter to parliament."""
    slots = writer.slots
    if writer.rng.random() < 0.5:
        facts = passage_facts(writer, ("extension", "delay")) + figure_facts(writer, ("partners",))
        lines = [f"Verlenging van {slots['entity']}", "", salutation(writer), ""]
        closing, pools = ["Hoogachtend", "", person(writer).name, "voorzitter"], ("letter",)
    else:
        facts = passage_facts(writer, ("start", "lead")) + figure_facts(writer, ("budget", "target"))
        lines = [f"Brief van de Vlaamse minister over {slots['entity']}", "", "Geachte voorzitter,", ""]
        closing, pools = ["Met vriendelijke groeten,", "", slots["minister"], slots["function"]], ("answer",)
    for paragraph in _paragraphs(writer, pools, facts, target - 300):
        lines += wrap(" ".join(paragraph)) + [""]
    return "\n".join(lines + closing) + "\n"


# --- known-answer questions --------------------------------------------------------------------------


def eval_question(index: int, seed: int, writer: Writer) -> dict:
    """One question for a sampled document, in the eval format: a figure (60%) or a passage."""
    rng = random.Random(f"{seed}:{index}:question")
    source = file_name(index)
    figures = writer.cells if writer.cells and rng.random() < 0.75 else writer.figures or writer.cells
    if figures and (rng.random() < 0.6 or not writer.passages):
        known = rng.choice(figures)
        expected: dict = {"value": known.answer, "source": source}
        return {
            "id": f"synth-{index:05d}-t1",
            "kind": "table",
            "question": known.question,
            "expected": expected,
        }
    known = rng.choice(writer.passages)
    phrase = re.sub(r"^(?:een|de|het|vzw|maatwerkbedrijf) ", "", known.answer)
    expected = {"contains": [phrase], "source": source}
    return {
        "id": f"synth-{index:05d}-p1",
        "kind": "passage",
        "question": known.question,
        "expected": expected,
    }
