"""`extract_tables(document)`: rebuild the tables that PDF-to-text flattened into runs of numbers.

A table is found as: caption line(s) ending in ':' (or a header printed without
one), header lines with the column labels, then data lines that end in numbers,
with wrapped row labels in between. Columns come from the header: units split
at glued capitals (`LimburgOost-`), hyphenated line breaks joined
(`Oost-` + `Vlaanderen`), label phrases kept whole (`25 tot en met 59 jaar`),
and a line of years over a repeating group gives two-level labels (`2022 / CMW`).
The numbers are placed by `table_solver`, which uses the totals as constraints.

Flattening also interleaves tables: captions can stack up before their data
(each header-plus-data block takes the oldest waiting caption), and a short
table can land inside another one (a header glued to a data line starts it; a
row that does not fit its columns ends it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from .model import Cell, Document, Role, Row, Section, Table
from .numbers import is_number, is_year, looks_numeric, parse_number
from .table_solver import Solved, Token, natural_count, solve
from .textutil import Line, split_lines

TABLE_ROLES = (Role.ANSWER, Role.ADVICE, Role.LETTER, Role.TEXT)
GLUE_RE = re.compile(
    r"(?<=[a-z\)])(?=[A-Z][a-z])|(?<=[a-zA-Z\):])(?=\d)|(?<=\d)(?=[A-Za-z(])|(?<=:)(?=[A-Za-z])"
)
MONEY_PIECE_RE = re.compile(r"-?\d{1,3}(?:\.\d{3})*,\d{2}(?=-?\d)|-?\d{1,3}(?:\.\d{3})*,\d{1,2}$")
PHRASE_RE = re.compile(
    r"-\s?\d+ jaar|\d+\s*-\s*\d+ jaar|\d+ tot en met \d+ jaar|\d+ jaar en \+|"
    r"duurzaam \d+ maand(?:en)? of langer"
    r"|Buiten [A-Z]\w+(?:/\w+)?|[A-Z]\w+-[A-Z]\w+|[A-Z]{2,}-\d{4}",
)
TOTAL_WORDS = ("totaal", "eindtotaal")


@dataclass
class _Block:
    header_lines: list[list[Token]] = field(default_factory=list)
    data_lines: list[list[Token]] = field(default_factory=list)
    caption: list[Token] = field(default_factory=list)
    section: Section | None = None
    embedded_in: _Block | None = None


def tokens_of(text: str, line: Line) -> list[Token]:
    """Whitespace tokens with absolute offsets, split where the flattening glued a number to a word."""
    tokens: list[Token] = []
    for match in re.finditer(r"\S+", line.text):
        start = line.start + match.start()
        piece = match.group()
        cuts = [0] + [m.start() for m in GLUE_RE.finditer(piece)] + [len(piece)]
        for a, b in zip(cuts, cuts[1:]):
            if b > a:
                tokens += _money_pieces(Token(piece[a:b], start + a, start + b))
    return tokens


def _money_pieces(token: Token) -> list[Token]:
    """`25.704,0017.136,0` -> `25.704,00`, `17.136,0`: amounts printed without a space between them."""
    if is_number(token.text) or not re.match(r"^-?\d", token.text):
        return [token]
    pieces = list(MONEY_PIECE_RE.finditer(token.text))
    if len(pieces) < 2 or "".join(p.group() for p in pieces) != token.text:
        return [token]
    return [Token(p.group(), token.start + p.start(), token.start + p.end()) for p in pieces]


def extract_tables(document: Document) -> tuple[Table, ...]:
    blocks = _find_blocks(document)
    tables: list[Table] = []
    totals_by_section: dict[str, list[Table]] = {}
    for block in blocks:
        table = _build(document, block, totals_by_section)
        if table is None:
            continue
        tables.append(table)
        totals_by_section.setdefault(table.section or "", []).append(table)
    return tuple(sorted(tables, key=lambda t: t.start))


# --- finding blocks ------------------------------------------------------------------


def _is_data_line(tokens: list[Token]) -> bool:
    return bool(tokens) and looks_numeric(tokens[-1].text) and not _is_year_line(tokens)


def _is_year_line(tokens: list[Token]) -> bool:
    years = [t.text for t in tokens]
    return len(years) >= 2 and all(is_year(y) for y in years) and years == sorted(years)


def _is_caption(tokens: list[Token]) -> bool:
    return bool(tokens) and tokens[-1].text.endswith(":")


def _is_prose(tokens: list[Token]) -> bool:
    words = [t.text for t in tokens]
    if len(words) > 8 and words[-1].endswith((".", "?")):
        return True
    return len(words) > 9 and not _looks_like_header(tokens)


def _split_glued_header(tokens: list[Token]) -> tuple[list[Token], list[Token]]:
    """`2021 8 88 96CMW LDE` -> data `2021 8 88 96` and header `CMW LDE`; `... provincie:CMW LDE` likewise."""
    for i, token in enumerate(tokens):
        if token.text.endswith(":") and i + 1 < len(tokens) and _looks_like_header(tokens[i + 1 :]):
            return tokens[: i + 1], tokens[i + 1 :]
    tail = 0
    while tail < len(tokens) and tokens[-1 - tail].text.isupper() and tokens[-1 - tail].text.isalpha():
        tail += 1
    if 0 < tail <= 3 and tail < len(tokens) and is_number(tokens[-1 - tail].text):
        return tokens[:-tail], tokens[-tail:]
    return tokens, []


def _find_blocks(document: Document) -> list[_Block]:
    """Table regions, in reading order. Captions wait for the next header-plus-data block of
    their section; a caption left over at the end of its section goes to the next table
    that interrupts another one (page-break debris)."""
    text = document.text
    blocks: list[_Block] = []
    orphans: list[tuple[list[Token], Section]] = []
    for section in document.sections:
        if section.role not in TABLE_ROLES:
            continue
        waiting: list[list[Token]] = []
        current: _Block | None = None
        pending: list[list[Token]] = []
        section_lines = _section_lines(text, section)
        for index, line in enumerate(section_lines):
            tokens, glued_header = _split_glued_header(line)
            following = section_lines[index + 1] if index + 1 < len(section_lines) else []
            if _is_caption(tokens):
                current, pending = None, []
                waiting.append(tokens)
                if glued_header:
                    pending.append(glued_header)
                continue
            sentence = (current is None or _closed(current)) and len(
                [t for t in tokens if not is_number(t.text)]
            ) > 8
            continued = bool(following) and following[0].text[:1].islower() and not glued_header
            if _is_data_line(tokens) and not sentence and continued and current is not None:
                pending.append(
                    tokens
                )  # `Totaal 25 tot en met 59` + `jaar 49 87`: the number is part of a label
                continue
            if (
                _is_data_line(tokens)
                and not sentence
                and not continued
                and (current is not None or pending or waiting or natural_count(tokens) >= 2)
            ):
                starts_new = (
                    current is None or _closed(current) or any(_looks_like_header(p) for p in pending)
                )
                if (
                    current is not None
                    and not starts_new
                    and current.embedded_in is not None
                    and _values(tokens) > _columns_hint(current)
                ):
                    current = (
                        current.embedded_in
                    )  # the interrupting table ended: back to the one it interrupted
                if starts_new:
                    interrupted = current if current is not None and not _closed(current) else None
                    current = _Block(section=section)
                    current.header_lines = pending
                    if waiting:
                        current.caption = waiting.pop(0)
                    elif interrupted is not None and orphans:
                        current.embedded_in = interrupted
                        current.caption, current.section = orphans.pop(0)
                    blocks.append(current)
                else:
                    current.data_lines += pending  # wrapped row labels
                current.data_lines.append(tokens)
                pending = [glued_header] if glued_header else []
                continue
            if _is_prose(tokens):
                current, pending = None, []
                continue
            pending.append(tokens)
        orphans += [(caption, section) for caption in waiting]
    return [b for b in blocks if b.data_lines]


def _section_lines(text: str, section: Section) -> list[list[Token]]:
    lines = [line for line in split_lines(text[section.start : section.end]) if not line.blank]
    return [
        tokens_of(text, Line(section.start + line.start, section.start + line.end, line.text))
        for line in lines
    ]


def _closed(block: _Block) -> bool:
    """The block's last row is a grand total (`Totaal 7 92 ...`, `Eindtotaal ...`): nothing more belongs
    to it. `Totaal 2022 ...` and `Totaal ANTWERPEN ...` close a group, not the table."""
    last = block.data_lines[-1] if block.data_lines else []
    if len(last) < 2 or last[0].text.lower() not in TOTAL_WORDS:
        return False
    return all(is_number(t.text) for t in last[1:]) and not is_year(last[1].text)


def _looks_like_header(tokens: list[Token]) -> bool:
    """A line of years, of short capital codes (`CMW LDE`), or one ending in a total column."""
    if not tokens:
        return False
    if _is_year_line(tokens) or tokens[-1].text.lower() in TOTAL_WORDS:
        return True
    return len(tokens) <= 8 and all(t.text.isupper() and t.text.isalpha() for t in tokens)


def _values(tokens: list[Token]) -> int:
    count = 0
    for token in reversed(tokens):
        if not is_number(token.text):
            break
        count += 1
    return count


def _columns_hint(block: _Block) -> int:
    return max((_values(line) for line in block.data_lines), default=0)


# --- columns ---------------------------------------------------------------------------


def header_units(tokens: list[Token]) -> list[str]:
    """Column label units of a header: phrases kept whole, hyphenated breaks joined."""
    text = " ".join(t.text for t in tokens)
    text = re.sub(
        r"(\w)- (\w)", lambda m: m.group(1) + ("" if m.group(2).islower() else "-") + m.group(2), text
    )
    text = re.sub(r" -(\w)", r"\1", text) if re.search(r"\w -traject", text) else text
    units: list[str] = []
    pos = 0
    for match in PHRASE_RE.finditer(text):
        units += _word_units(text[pos : match.start()])
        units.append(match.group().replace("- ", "-"))
        pos = match.end()
    units += _word_units(text[pos:])
    return units


def _word_units(text: str) -> list[str]:
    """Words, with lowercase words joined to the capitalised word before them (`Opgestarte trajecten`)."""
    units: list[str] = []
    for word in text.split():
        if units and word[:1].islower() and units[-1][:1].isupper():
            units[-1] += " " + word
        else:
            units.append(word)
    return units


def columns_for(block: _Block, n_columns: int) -> list[str]:
    lines = block.header_lines
    year_lines = [line for line in lines if _is_year_line(line)]
    other = [t for line in lines if not _is_year_line(line) for t in line]
    units = header_units(other)
    if year_lines:
        years = [t.text for t in year_lines[-1]]
        if n_columns % len(years) == 0:
            per_year = n_columns // len(years)
            sub = units[-per_year:] if len(units) >= per_year else []
            if len(units) >= n_columns and units[-n_columns:] == sub * len(years):
                return [f"{year} / {label}" for year in years for label in sub]
        units = units + years
    if len(units) >= n_columns:
        return units[-n_columns:]
    return [f"kolom {i + 1}" for i in range(n_columns - len(units))] + units


# --- building a table --------------------------------------------------------------------


def _decimals(block: _Block) -> int | None:
    """2 when the numbers are money (`27.313,55`): those lines are re-tokenized on that pattern."""
    numbers = [t.text for line in block.data_lines for t in line if is_number(t.text)]
    money = sum(1 for n in numbers if re.search(r",\d{2}$", n))
    return 2 if numbers and money * 2 > len(numbers) else None


def _money_lines(block_lines: list[list[Token]]) -> list[list[Token]]:
    """Join an amount broken over a line end: `17.136,0` + `0 ...` on the next line -> `17.136,00`."""
    merged: list[list[Token]] = []
    for line in block_lines:
        previous = merged[-1] if merged else None
        if previous and line and re.search(r",\d$", previous[-1].text) and re.match(r"^\d", line[0].text):
            last, first = previous[-1], line[0]
            previous[-1] = Token(last.text + first.text[0], last.start, first.start + 1)
            rest = [Token(first.text[1:], first.start + 1, first.end)] if len(first.text) > 1 else []
            previous += rest + line[1:]
            continue
        merged.append(list(line))
    return merged


def _column_count(lines: list[list[Token]]) -> int:
    """Columns: as many values as the grand-total row holds (it is never missing a cell), else the fullest
    row."""
    for line in reversed(lines):
        words = [t.text.lower() for t in line if not is_number(t.text)]
        if words and words[0] in TOTAL_WORDS and len(words) == 1:
            return natural_count(line)
    return max(natural_count(line) for line in lines)


def _split_header(
    lines: list[list[Token]], n_columns: int, first_row: list[Token]
) -> tuple[list[list[Token]], list[list[Token]]]:
    """Header lines, then the first row's wrapped label lines. Only a first row whose label
    is a continuation (`(Stad Gent) 12 ...`, `Gent) Voltooid 1 ...`) has label lines above it;
    then the header runs at least to its last header-like line (years, capital codes, a total
    column) and on until it names enough columns without ending in a hyphenated break."""
    words = [t.text for t in first_row if not is_number(t.text)]
    if not words or not (
        words[0][:1].islower() or words[0].startswith("(") or (")" in words[0] and "(" not in words[0])
    ):
        return lines, []
    years = next((len(line) for line in lines if _is_year_line(line)), 0)
    needed = n_columns // years if years and n_columns % years == 0 else n_columns
    start = max((i + 1 for i, line in enumerate(lines) if _looks_like_header(line)), default=1)
    for k in range(start, len(lines) + 1):
        units = header_units([t for line in lines[:k] if not _is_year_line(line) for t in line])
        continued = k < len(lines) and lines[k][0].text[:1].islower()
        if len(units) >= needed and not units[-1].endswith("-") and not continued:
            return lines[:k], lines[k:]
    return lines, []


def _header_column_count(lines: list[list[Token]]) -> int:
    """k years over a group of p labels repeated k times (`2021 2022 2023` / `CMW LDE CMW LDE CMW LDE`):
    k*p."""
    years = next((len(line) for line in lines if _is_year_line(line)), 0)
    if years < 2:
        return 0
    units = header_units([t for line in lines if not _is_year_line(line) for t in line])
    for period in range(1, 5):
        span = period * years
        for start in range(0, len(units) - span + 1):
            if units[start : start + span] == units[start : start + period] * years:
                return span
    return 0


def _build(document: Document, block: _Block, totals_by_section: dict[str, list[Table]]) -> Table | None:
    text = document.text
    decimals = _decimals(block)
    data = _money_lines(block.data_lines) if decimals else block.data_lines
    n_columns = max(_column_count(data), _header_column_count(block.header_lines))
    if n_columns == 0:
        return None
    header, first_labels = _split_header(block.header_lines, n_columns, data[0])
    block = replace(block, header_lines=header)
    lines = first_labels + data
    columns = columns_for(block, n_columns)
    total_column = columns[-1].lower().split(" / ")[-1] in TOTAL_WORDS
    section_label = block.section.label if block.section else None
    external = _external_totals(totals_by_section.get(section_label or "", []), columns)
    solved = solve(lines, n_columns, total_column, decimals, external)
    header_tokens = [t for line in header for t in line]
    caption = (
        " ".join(t.text for t in block.caption)
        or _caption_from_header(header, columns)
        or _lead_in(text, block.section)
    )
    return _to_table(text, block, solved, columns, caption, section_label, header_tokens)


def _caption_from_header(header: list[list[Token]], columns: list[str]) -> str:
    """Without a caption line: a title printed above the column labels, if there is one."""
    lines = [line for line in header[:-1] if not _is_year_line(line)]
    title = " ".join(t.text for line in lines for t in line)
    title = re.split(r"(?<=[a-z])(?=[A-Z])", title)[
        0
    ]  # `doorstroomtrajectType Maatregel`: a column header glued on
    column_words = {w.lower() for c in columns for w in re.findall(r"[A-Za-z]{3,}", c)}
    if len(title.split()) < 2 or any(w.lower() in column_words for w in re.findall(r"[A-Za-z]{3,}", title)):
        return ""
    return title


def _lead_in(text: str, section: Section | None) -> str:
    """The first sentence of the table's section: what the answer says the table shows."""
    if section is None:
        return ""
    body = " ".join(text[section.start : section.end].split())
    match = re.match(r"(?:\d+\.\s*)?(?:[a-z](?:[+-][a-z])*\)\s*)?(.{10,300}?[.:])(?:\s|$)", body)
    return match.group(1) if match else body[:200]


def _external_totals(previous: list[Table], columns: list[str]) -> dict[int, Decimal] | None:
    """A one-row table without a row label and with the same columns, printed before: the totals."""
    for table in reversed(previous):
        if tuple(table.columns) == tuple(columns) and len(table.rows) == 1 and not table.rows[0].label:
            values = {columns.index(c.column): parse_number(c.value) for c in table.rows[0].cells}
            if all(v is not None for v in values.values()):
                return {k: v for k, v in values.items() if v is not None}
    return None


def _to_table(
    text: str,
    block: _Block,
    solved: Solved,
    columns: list[str],
    caption: str,
    section: str | None,
    header_tokens: list[Token],
) -> Table:
    rows: list[Row] = []
    groups: dict[str, str] = {}
    leaves_since_group: list[int] = []
    for index, solved_row in enumerate(solved.rows):
        cells = []
        for column, value in solved_row.cells:
            status = (
                "uncertain"
                if (index, column) in solved.uncertain or not solved.consistent
                else "reconstructed"
            )
            cells.append(Cell(columns[column], value.text, status, value.start, value.end))
        label = " ".join(solved_row.label.replace("- ", "-").split()) if solved_row.label else ""
        label = re.sub(r"(\w)- (\w)", r"\1-\2", label)
        rows.append(Row(label, tuple(cells)))
        if solved_row.kind == "leaf":
            leaves_since_group.append(len(rows) - 1)
        elif solved_row.kind == "group_total" and solved_row.group:
            group = re.sub(r"(\w)- (\w)", r"\1-\2", " ".join(solved_row.group.split()))
            for leaf in leaves_since_group:
                groups[str(leaf)] = group
            leaves_since_group = []
    rows = [_grouped(row, groups.get(str(i))) for i, row in enumerate(rows)]
    starts = [t.start for t in block.caption + header_tokens] + [
        c.start for r in rows for c in r.cells if c.start is not None
    ]
    ends = [c.end for r in rows for c in r.cells if c.end is not None]
    start = min(starts)
    end = max(ends) if ends else start
    return Table(
        caption=caption,
        columns=tuple(columns),
        rows=tuple(rows),
        start=start,
        end=end,
        section=section,
        complete=solved.consistent and not solved.uncertain,
    )


def _grouped(row: Row, group: str | None) -> Row:
    """`ANTWERPEN Voltooid` in group ANTWERPEN -> `ANTWERPEN / Voltooid`; `Stopgezet` ->
    `ANTWERPEN / Stopgezet`."""
    if not group:
        return row
    label = row.label
    if label.upper().startswith(group.upper() + " "):
        label = label[len(group) + 1 :]
    return replace(row, label=f"{group} / {label}")
