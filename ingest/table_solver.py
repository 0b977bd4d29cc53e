"""Place the numbers of flattened table rows into columns so that the totals add up.

PDF-to-text flattening keeps each row's numbers in order but drops empty cells,
glues neighbouring numbers (`9` and `100` printed as `9100`) and mixes row labels
with digits (`West 7`). Each data line therefore has several readings; this
module searches for the cheapest combination of readings that satisfies the
table's constraints:

- a total column: the other cells of a row add up to it;
- total rows: `Totaal X` closes group X (its leaf rows add up to it), `Totaal` or
  `Eindtotaal` adds up all leaves (or all group totals); an external totals row
  (a one-row table with the same columns printed before) works the same way.

Cells on which all cheapest solutions agree are `reconstructed`; cells that
differ between them are `uncertain`. A table with no consistent solution is
returned in its cheapest reading with `consistent=False`.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal

from .numbers import is_number, is_year, looks_numeric, parse_number

MAX_COST = 4  # per line
MAX_TOTAL_COST = 12  # per table
MAX_SOLUTIONS = 24
MAX_STEPS = 40_000
GRAND_TOTAL_RE = re.compile(r"^(eind)?totaal$", re.IGNORECASE)
GROUP_TOTAL_RE = re.compile(r"^totaal\s+(.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Value:
    text: str  # as printed (glued digits split, a value broken over a line end joined)
    start: int
    end: int
    number: Decimal


@dataclass(frozen=True)
class Option:
    """One reading of a data line."""

    cost: int
    label: tuple[Token, ...]
    cells: tuple[tuple[int, Value], ...]  # (column index, value)
    label_only: bool = False  # the whole line belongs to the next row's label


@dataclass(frozen=True)
class SolvedRow:
    label: str
    label_tokens: tuple[Token, ...]
    cells: tuple[tuple[int, Value], ...]
    kind: str  # "leaf", "group_total", "grand_total"
    group: str | None = None


@dataclass
class Solution:
    rows: list[SolvedRow]
    cost: int


@dataclass
class Solved:
    rows: list[SolvedRow]
    uncertain: set[tuple[int, int]] = field(default_factory=set)  # (row index, column)
    consistent: bool = True
    constrained: bool = True


# --- readings of one line -------------------------------------------------------------


def split_glued(token: Token) -> list[list[Token]]:
    """Ways to read a numeric token as two numbers printed without a space between them."""
    text = token.text
    ways = []
    for cut in range(1, len(text)):
        left, right = text[:cut], text[cut:]
        if left.endswith(("-", ".", ",")) or right.startswith((".", ",")):
            continue
        if (right.startswith("0") and len(right) > 1 and not right.startswith("0,")) or not (
            is_number(left) and is_number(right)
        ):
            continue
        ways.append([Token(left, token.start, token.start + cut), Token(right, token.start + cut, token.end)])
    return ways


def line_options(
    tokens: list[Token], n_columns: int, total_column: bool, decimals: int | None
) -> list[Option]:
    """All readings of a data line with cost <= MAX_COST, cheapest first.

    Costs: 1 for each glued token split; 1 for each leading number taken into the row
    label (free for a year that is the whole label, or that follows a total word);
    2 for reading a line that ends in a number as part of the next row's label (free
    for a line without numbers: a wrapped label). A glued split is a reading
    even where the row keeps empty cells (`Limburg 1 10` is `Limburg 1` with 1 and 0);
    its cost keeps the line as printed first."""
    trailing = _trailing_numbers(tokens)
    words = tokens[: len(tokens) - len(trailing)]
    options: list[Option] = []
    natural = natural_count(tokens)
    sequences = _token_sequences(trailing) if natural <= n_columns else [(0, list(trailing))]
    for glue_cost, numbers in sequences:
        for absorbed in range(0, min(len(numbers), 3)):
            if not all(is_number(t.text) for t in numbers):
                continue  # a glued token must be split before it is a value
            values = [_value(t) for t in numbers[absorbed:]]
            if any(re.match(r"^-?0\d", v.text) for v in values):
                continue  # `00`, `012`: no number is printed with a leading zero, so these were glued
            if decimals and any(not re.search(r"[.,]", v.text) for v in values):
                continue  # amounts carry a decimal comma or thousands dots: 7881 is a label, not an amount
            cost = glue_cost + _label_cost(words, numbers[:absorbed])
            if cost > MAX_COST:
                continue
            label = tuple(words) + tuple(numbers[:absorbed])
            for cells in _placements(values, n_columns, total_column):
                options.append(Option(cost, label, cells))
    options.append(Option(2 if trailing else 0, tuple(tokens), (), label_only=True))
    options.sort(key=lambda o: o.cost)
    return options


def natural_count(tokens: list[Token]) -> int:
    """How many values the line holds when read as printed (a leading year label not counted)."""
    trailing = _trailing_numbers(tokens)
    words = tokens[: len(tokens) - len(trailing)]
    if trailing and _label_cost(words, trailing[:1]) == 0 and len(trailing) > 1 and is_year(trailing[0].text):
        return len(trailing) - 1
    return len(trailing)


def _label_cost(words: list[Token], absorbed: list[Token]) -> int:
    """Cost of taking `absorbed` numbers into the row label; a total row takes none but a year."""
    if not absorbed:
        return 0
    if words and words[0].text.lower() in ("totaal", "eindtotaal") and len(words) == 1:
        return 0 if len(absorbed) == 1 and is_year(absorbed[0].text) else MAX_COST + 1
    if (
        len(absorbed) == 1
        and is_year(absorbed[0].text)
        and (not words or words[-1].text.lower() in ("totaal", "eindtotaal"))
    ):
        return 0
    return len(absorbed)


def _trailing_numbers(tokens: list[Token]) -> list[Token]:
    run: list[Token] = []
    for token in reversed(tokens):
        if not looks_numeric(token.text):
            break
        run.insert(0, token)
    return run


def _token_sequences(numbers: list[Token]) -> list[tuple[int, list[Token]]]:
    """(glue cost, tokens): as printed, then with one or two glued tokens split."""
    sequences = [(0, list(numbers))]
    for i, token in enumerate(numbers):
        for way in split_glued(token):
            sequences.append((1, numbers[:i] + way + numbers[i + 1 :]))
    for i, j in itertools.combinations(range(len(numbers)), 2):
        for way_i in split_glued(numbers[i]):
            for way_j in split_glued(numbers[j]):
                sequences.append((2, numbers[:i] + way_i + numbers[i + 1 : j] + way_j + numbers[j + 1 :]))
    return sequences


def _value(token: Token) -> Value:
    number = parse_number(token.text)
    assert number is not None
    return Value(token.text, token.start, token.end, number)


def _placements(
    values: list[Value], n_columns: int, total_column: bool
) -> list[tuple[tuple[int, Value], ...]]:
    """Order-preserving placements of the values in the columns; a row's total is always printed."""
    if len(values) > n_columns or not values:
        return []
    if total_column:
        *parts, total = values
        result = []
        for columns in itertools.combinations(range(n_columns - 1), len(parts)):
            if sum((v.number for v in parts), Decimal(0)) == total.number:
                result.append(tuple(zip(columns, parts)) + ((n_columns - 1, total),))
        return result
    return [tuple(zip(columns, values)) for columns in itertools.combinations(range(n_columns), len(values))]


# --- search -----------------------------------------------------------------------------


def row_kind(label: str) -> tuple[str, str | None]:
    label = " ".join(label.split())
    if GRAND_TOTAL_RE.match(label):
        return "grand_total", None
    match = GROUP_TOTAL_RE.match(label)
    if match:
        return "group_total", match.group(1)
    return "leaf", None


def solve(
    lines: list[list[Token]],
    n_columns: int,
    total_column: bool,
    decimals: int | None = None,
    external_total: dict[int, Decimal] | None = None,
) -> Solved:
    options = [line_options(tokens, n_columns, total_column, decimals) for tokens in lines]
    search = _Search(options, n_columns, external_total)
    spent = 0
    for bound in range(0, MAX_TOTAL_COST + 1):
        search.run(bound)
        spent += search.steps
        if search.solutions or spent > MAX_STEPS * 3:
            break
    if not search.solutions:
        fallback = _cheapest(options)
        return Solved(fallback, uncertain=_ambiguous_cells(fallback, n_columns), consistent=False)
    best = search.solutions[0].rows
    uncertain = _disagreements(search.solutions)
    if len(search.solutions) >= MAX_SOLUTIONS:  # not every solution was seen: agreement is unproven
        uncertain |= _ambiguous_cells(best, n_columns)
    return Solved(best, uncertain=uncertain, constrained=search.constrained)


class _Search:
    def __init__(
        self, options: list[list[Option]], n_columns: int, external_total: dict[int, Decimal] | None
    ) -> None:
        self.options = options
        self.n = n_columns
        self.external_total = external_total
        self.solutions: list[Solution] = []
        self.steps = 0
        self.exhausted = False
        self.targets = external_total or _grand_total_targets(options, n_columns)
        self.min_rest, self.max_rest = _rest_bounds(options, n_columns)
        self.constrained = bool(external_total) or any(
            any(row_kind(" ".join(t.text for t in o.label))[0] != "leaf" for o in opts if not o.label_only)
            for opts in options
        )

    def run(self, bound: int) -> None:
        self.solutions = []
        self.steps = 0
        self.failed: set[tuple] = set()
        zero = (Decimal(0),) * self.n
        self._dfs(0, bound, 0, (), [], zero, zero)

    def _dfs(
        self,
        i: int,
        bound: int,
        cost: int,
        pending: tuple[Token, ...],
        rows: list[SolvedRow],
        leaf_sum: tuple[Decimal, ...],
        group_sum: tuple[Decimal, ...],
    ) -> bool:
        """Depth-first over the lines; True if a solution was found below. States that
        led nowhere are remembered, which keeps column-sum searches small."""
        key = (i, bound - cost, leaf_sum, group_sum, len(pending))
        if key in self.failed:
            return False
        self.steps += 1
        if self.steps > MAX_STEPS or len(self.solutions) >= MAX_SOLUTIONS:
            self.exhausted = True
            return False
        if i == len(self.options):
            if pending or not self._external_ok(leaf_sum):
                return False
            self.solutions.append(Solution(list(rows), cost))
            return True
        found = False
        for option in self.options[i]:
            if cost + option.cost > bound:
                break
            if option.label_only:
                found |= self._dfs(
                    i + 1, bound, cost + option.cost, pending + option.label, rows, leaf_sum, group_sum
                )
                continue
            if pending and option.label and option.label[0].text.lower() in ("totaal", "eindtotaal"):
                continue  # a total row does not continue another row's label
            label_tokens = pending + option.label
            label = " ".join(t.text for t in label_tokens)
            kind, group = row_kind(label)
            row = SolvedRow(label, label_tokens, option.cells, kind, group)
            values = tuple(_by_column(option.cells, self.n))
            if kind == "leaf":
                new_leaf = tuple(a + b for a, b in zip(leaf_sum, values))
                if not self._within_targets(new_leaf, i + 1):
                    continue
                new_group = tuple(a + b for a, b in zip(group_sum, values))
                found |= self._dfs(i + 1, bound, cost + option.cost, (), rows + [row], new_leaf, new_group)
            elif kind == "group_total":
                if values != group_sum:
                    continue
                found |= self._dfs(
                    i + 1, bound, cost + option.cost, (), rows + [row], leaf_sum, (Decimal(0),) * self.n
                )
            elif values == leaf_sum:
                found |= self._dfs(i + 1, bound, cost + option.cost, (), rows + [row], leaf_sum, group_sum)
        if not found and not self.exhausted:
            self.failed.add(key)
        return found

    def _within_targets(self, leaf_sum: tuple[Decimal, ...], rest_from: int) -> bool:
        """Can the remaining lines still bring each column to its known total?"""
        if not self.targets:
            return True
        low, high = self.min_rest[rest_from], self.max_rest[rest_from]
        return all(leaf_sum[c] + low[c] <= t <= leaf_sum[c] + high[c] for c, t in self.targets.items())

    def _external_ok(self, leaf_sum: tuple[Decimal, ...]) -> bool:
        if not self.external_total:
            return True
        return all(leaf_sum[c] == v for c, v in self.external_total.items())


def _grand_total_targets(options: list[list[Option]], n: int) -> dict[int, Decimal] | None:
    """Column totals of a final grand-total line that reads only one way at no cost."""
    if not options:
        return None
    free = [o for o in options[-1] if o.cost == 0 and not o.label_only]
    if len(free) != 1 or row_kind(" ".join(t.text for t in free[0].label))[0] != "grand_total":
        return None
    values = _by_column(free[0].cells, n)
    return {c: values[c] for c in range(n)}


def _rest_bounds(options: list[list[Option]], n: int) -> tuple[list[list[Decimal]], list[list[Decimal]]]:
    """For each line index, the least and the most each column can still receive from that line on."""
    low = [[Decimal(0)] * n for _ in range(len(options) + 1)]
    high = [[Decimal(0)] * n for _ in range(len(options) + 1)]
    for i in range(len(options) - 1, -1, -1):
        least, most = [Decimal(0)] * n, [Decimal(0)] * n  # a line can always leave a column empty
        for option in options[i]:
            if option.label_only or row_kind(" ".join(t.text for t in option.label))[0] != "leaf":
                continue
            for column, value in option.cells:
                least[column] = min(least[column], value.number)
                most[column] = max(most[column], value.number)
        low[i] = [a + b for a, b in zip(low[i + 1], least)]
        high[i] = [a + b for a, b in zip(high[i + 1], most)]
    return low, high


def _by_column(cells: tuple[tuple[int, Value], ...], n: int) -> list[Decimal]:
    values = [Decimal(0)] * n
    for column, value in cells:
        values[column] = value.number
    return values


def _disagreements(solutions: list[Solution]) -> set[tuple[int, int]]:
    best = solutions[0].rows
    uncertain: set[tuple[int, int]] = set()
    for other in solutions[1:]:
        if [r.label for r in other.rows] != [r.label for r in best]:
            for index, row in enumerate(best):
                uncertain.update((index, column) for column, _ in row.cells)
            continue
        for index, (mine, theirs) in enumerate(zip(best, other.rows)):
            a = {c: (v.start, v.text) for c, v in mine.cells}
            b = {c: (v.start, v.text) for c, v in theirs.cells}
            uncertain.update((index, c) for c in set(a) | set(b) if a.get(c) != b.get(c))
    return uncertain


def _cheapest(options: list[list[Option]]) -> list[SolvedRow]:
    rows: list[SolvedRow] = []
    pending: tuple[Token, ...] = ()
    for opts in options:
        option = next((o for o in opts if not o.label_only), opts[0])
        if option.label_only:
            pending += option.label
            continue
        label_tokens = pending + option.label
        label = " ".join(t.text for t in label_tokens)
        kind, group = row_kind(label)
        rows.append(SolvedRow(label, label_tokens, option.cells, kind, group))
        pending = ()
    return rows


def _ambiguous_cells(rows: list[SolvedRow], n: int) -> set[tuple[int, int]]:
    """Without a consistent solution, or where there were more solutions than the search keeps,
    every cell of a row that misses cells is a guess."""
    return {(i, c) for i, row in enumerate(rows) if len(row.cells) < n for c, _ in row.cells}
