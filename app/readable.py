"""Document text as reading text: Markdown and HTML markup taken out, the words kept.

Documents are stored as printed, so a Markdown document carries its `# headings`, `[links](…)`,
`**emphasis**`, `<sup>1</sup>` and `| table | rows |`. `readable` takes that markup out;
`readable_pieces` does the same for a text cut into pieces (a passage around a cited span), so
that markup that opens in one piece and closes in the next is still recognised, and each piece
stays exactly the text between its cuts.

The work is a list of edits (start, end, replacement) on the original text, found pass by pass;
each pass sees the text with what earlier passes took out masked, so a link's address is never
read as emphasis. Every pattern is bounded or possessive: cleaning is linear in the text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

Edit = tuple[int, int, str]

MASK = "\x00"  # stands for text an earlier pass already handled
SEPARATOR = " · "  # between the cells of a table row
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
HTML_TAGS = frozenset(
    "a abbr b big blockquote br caption center cite code col colgroup dd del div dl dt em figcaption "
    "figure font h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark nobr ol p pre q s small span strike strong "
    "sub sup table tbody td tfoot th thead tr tt u ul wbr".split()
)
BLOCK_TAGS = frozenset("br p div li tr td th table ul ol dd dt blockquote hr h1 h2 h3 h4 h5 h6".split())
RULE_CHARS = frozenset("-*_=")

ESCAPE_RE = re.compile(r"\\[!-/:-@\[-`{-~]")  # a Markdown backslash escape: "\*", "\_", "\|"
HEADING_RE = re.compile(r"[ \t]{0,3}+#{1,6}+(?:[ \t]++|$)")
INNER_HEADING_RE = re.compile(r"(?<=\s)#{2,6}+[ \t]++")  # "## 2. Situering" inside joined lines
SUB_SUP_RE = re.compile(r"<(su[bp])>[ \t]{0,3}+([0-9]{1,6}+)[ \t]{0,3}+</\1>", re.IGNORECASE)
TAG_RE = re.compile(r"</?([A-Za-z][A-Za-z0-9]{0,15}+)(?:[\s/][^<>]{0,500}+)?>")
AUTOLINK_RE = re.compile(
    r"<((?:https?|ftp)://[^\s<>]{1,2000}+|mailto:[^\s<>]{1,500}+|www\.[^\s<>]{1,2000}+)>"
)
LINK_RE = re.compile(r"(!?\[)[^\[\]\n]{0,1000}+(\]\([^()\s]{0,2000}+(?:[ \t]{1,20}+\"[^\"\n]{0,300}+\")?\))")
FOOTNOTE_RE = re.compile(r"\[\^([0-9]{1,6}+)\]:?")
RUN_RE = re.compile(r"\*++|_++")
ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}+|#[xX][0-9a-fA-F]{1,6}+|[A-Za-z][A-Za-z0-9]{1,31}+);")


def readable(text: str) -> str:
    """The text without its markup: heading markers, link syntax, HTML tags, emphasis markers,
    rules and table separator rows dropped, table cells separated by " · ", entities unescaped."""
    return readable_pieces(text, [0, len(text)])[0]


def readable_pieces(text: str, cuts: list[int]) -> list[str]:
    """The reading text of text[cuts[0]:cuts[1]], text[cuts[1]:cuts[2]], … (cuts ascending),
    cleaned as one text. A cut inside markup falls after what the markup becomes."""
    cleaned, positions = _apply(text, _edits(text), cuts)
    return [cleaned[a:b] for a, b in zip(positions, positions[1:])]


def _edits(text: str) -> list[Edit]:
    edits: list[Edit] = []
    masked = list(text)
    passes = (_escape_edits, _line_edits, _comment_edits, _sub_sup_edits, _autolink_edits, _tag_edits)
    for find in (*passes, _link_edits, _footnote_edits):
        found = list(find("".join(masked)))
        for start, end, _ in found:
            masked[start:end] = MASK * (end - start)
        edits += found
    masked_text = "".join(masked)
    edits += _emphasis_edits(masked_text)
    edits += _entity_edits(masked_text)
    return _disjoint(edits)


def _disjoint(edits: list[Edit]) -> list[Edit]:
    """The edits in text order, any that would overlap an earlier one left out."""
    kept: list[Edit] = []
    for edit in sorted(edits, key=lambda e: (e[0], e[1])):
        if edit[0] == edit[1] and not edit[2]:
            continue
        if not kept or edit[0] >= kept[-1][1]:
            kept.append(edit)
    return kept


def _apply(text: str, edits: list[Edit], cuts: list[int]) -> tuple[str, list[int]]:
    """The edited text, and where each cut lands in it."""
    parts: list[str] = []
    positions: list[int] = []
    length = done = k = 0
    for start, end, replacement in edits:
        while k < len(cuts) and cuts[k] <= start:
            positions.append(length + cuts[k] - done)
            k += 1
        parts += [text[done:start], replacement]
        length += start - done + len(replacement)
        while k < len(cuts) and cuts[k] < end:
            positions.append(length)
            k += 1
        done = end
    positions += [length + cut - done for cut in cuts[k:]]
    parts.append(text[done:])
    return "".join(parts), positions


def _escape_edits(text: str) -> Iterator[Edit]:
    """A backslash escape shows its character; the character is masked, so "\\*" is no emphasis."""
    for match in ESCAPE_RE.finditer(text):
        yield match.start(), match.start() + 1, ""
        yield match.start() + 1, match.end(), match.group()[1]


def _lines(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        yield start, end
        start = end + 1


def _line_edits(text: str) -> Iterator[Edit]:
    for start, end in _lines(text):
        line = text[start:end]
        body = line.strip()
        if len(body) >= 3 and len(set(body.replace(" ", ""))) == 1 and body[0] in RULE_CHARS:
            yield start, min(end + 1, len(text)), ""  # a horizontal rule or a heading underline
        elif body.count("|") >= 2 and (body.startswith("|") or body.endswith("|")):
            yield from _row_edits(text, start, end)
        else:
            yield from _heading_edits(line, start)
            if body.startswith("* "):
                bullet = start + line.index("*")
                yield bullet, bullet + 1, "•"


def _heading_edits(line: str, offset: int) -> Iterator[Edit]:
    match = HEADING_RE.match(line)
    if match:
        yield offset + match.start(), offset + match.end(), ""
        closing = line.rstrip()
        bare = closing.rstrip("#")
        if len(bare) < len(closing) and bare[-1:] in (" ", "\t") and len(bare) >= match.end():
            yield offset + len(bare.rstrip()), offset + len(closing), ""
    for inner in INNER_HEADING_RE.finditer(line, match.end() if match else 0):
        yield offset + inner.start(), offset + inner.end(), ""


def _row_edits(text: str, start: int, end: int) -> Iterator[Edit]:
    """A table row as its cells joined by SEPARATOR; a separator row ("|---|:--:|") goes."""
    cells: list[tuple[int, int]] = []
    left = start
    while left <= end:
        right = text.find("|", left, end)
        right = end if right < 0 else right
        cell = text[left:right]
        stripped = cell.strip()
        if stripped and not (set(stripped) <= set("-: ") and "-" in stripped):
            lead = len(cell) - len(cell.lstrip())
            cells.append((left + lead, left + lead + len(stripped)))
        left = right + 1
    if not cells:
        yield start, min(end + 1, len(text)), ""
        return
    body_start = start + len(text[start:end]) - len(text[start:end].lstrip())
    body_end = start + len(text[start:end].rstrip())
    yield body_start, cells[0][0], ""
    for (_, previous_end), (next_start, _) in zip(cells, cells[1:]):
        yield previous_end, next_start, SEPARATOR
    yield cells[-1][1], body_end, ""


def _comment_edits(text: str) -> Iterator[Edit]:
    """HTML comments, found with plain searches: once one is left open, none follows."""
    start = text.find("<!--")
    while start >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            return
        yield start, end + 3, ""
        start = text.find("<!--", end + 3)


def _sub_sup_edits(text: str) -> Iterator[Edit]:
    """A numeric <sup>/<sub> becomes a superscript or subscript number: "<sup>1</sup>" is "¹"."""
    for match in SUB_SUP_RE.finditer(text):
        table = SUPERSCRIPT if match.group(1).lower() == "sup" else SUBSCRIPT
        yield match.start(), match.end(), match.group(2).translate(table)


def _autolink_edits(text: str) -> Iterator[Edit]:
    """An autolink <https://…> shows its address, masked so that it is never read as emphasis."""
    for match in AUTOLINK_RE.finditer(text):
        yield match.start(), match.start() + 1, ""
        yield match.start() + 1, match.end() - 1, match.group(1)
        yield match.end() - 1, match.end(), ""


def _tag_edits(text: str) -> Iterator[Edit]:
    """HTML tags go; a block tag (<br>, <p>, <td>) leaves a space. "<25 jaar>" is no tag."""
    for match in TAG_RE.finditer(text):
        name = match.group(1).lower()
        if name in HTML_TAGS:
            yield match.start(), match.end(), " " if name in BLOCK_TAGS else ""


def _link_edits(text: str) -> Iterator[Edit]:
    """A link or image shows its text: "[www.serv.be](http://www.serv.be)" is "www.serv.be"."""
    for match in LINK_RE.finditer(text):
        yield match.start(1), match.end(1), ""
        yield match.start(2), match.end(2), ""


def _footnote_edits(text: str) -> Iterator[Edit]:
    """A footnote reference [^1] becomes ¹; its definition "[^1]: …" starts with "¹"."""
    for match in FOOTNOTE_RE.finditer(text):
        yield match.start(), match.end(), match.group(1).translate(SUPERSCRIPT)


def _emphasis_edits(text: str) -> Iterator[Edit]:
    """Paired emphasis markers on one line: *x*, **x**, ***x***, _x_, __x__, ___x___. A marker opens
    before a non-space and not after a letter or digit, and closes after a non-space and not before
    one, so "5 * 3", "file_name" and "a*b" keep theirs. One stack per kind of marker: linear."""
    for start, end in _lines(text):
        line = text[start:end]
        openers: dict[str, list[tuple[int, int]]] = {}
        for run in RUN_RE.finditer(line):
            marker = run.group()
            if len(marker) > 3:
                continue
            before = line[run.start() - 1] if run.start() else " "
            after = line[run.end()] if run.end() < len(line) else " "
            stack = openers.setdefault(marker, [])
            if stack and not before.isspace() and not after.isalnum():
                opened = stack.pop()
                yield start + opened[0], start + opened[1], ""
                yield start + run.start(), start + run.end(), ""
            elif not after.isspace() and not before.isalnum():
                stack.append(run.span())


def _entity_edits(text: str) -> Iterator[Edit]:
    for match in ENTITY_RE.finditer(text):
        character = html.unescape(match.group())
        if character != match.group():
            yield match.start(), match.end(), character
