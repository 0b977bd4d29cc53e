"""Structure of SERV documents: a commission letter, and an advice in Markdown."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .model import Genre, Metadata, Role, Section
from .textutil import Line, dutch_date_to_iso, lines_section, split_lines, unique_links

SALUTATION_RE = re.compile(r"^\s*(mevrouw|mijnheer|geachte)\b.{0,40}$", re.IGNORECASE)
CLOSING_RE = re.compile(r"^\s*(hoogachtend|met (vriendelijke|beleefde) groet(en)?)\s*,?\s*$", re.IGNORECASE)
ADVICE_BANNER_RE = re.compile(r"^\s*#\s+ADVIES\s*$", re.IGNORECASE)
HEADING_RE = re.compile(r"^\s*##\s+(.+?)\s*$")
KEY_VALUE_RE = re.compile(r"^([A-Z][\w ]{2,40}?)\t+(.+?)\t*$")
BULLET_RE = re.compile(r"^- ")
COMMISSION_RE = re.compile(r"\b(Commissie(?: [A-Z][\w-]+)+)")
HTML_TAG_RE = re.compile(r"<[^>]+>")
FUNCTION_WORDS = ("voorzitter", "ondervoorzitter", "administrateur-generaal", "secretaris", "directeur")


@dataclass
class ServStructure:
    genre: Genre
    title: str
    metadata: Metadata
    sections: list[Section]


def parse_serv_advice(text: str) -> ServStructure | None:
    lines = split_lines(text)
    banner = next((i for i, line in enumerate(lines) if ADVICE_BANNER_RE.match(line.text)), None)
    pairs = [(i, m) for i, line in enumerate(lines) if (m := KEY_VALUE_RE.match(line.text))]
    if banner is None and not any(m.group(1).startswith("Advies") for _, m in pairs):
        return None
    extra = tuple((m.group(1).strip(), _clean_value(m.group(2))) for _, m in pairs)
    values = dict(extra)
    heading = next((i for i, line in enumerate(lines) if HEADING_RE.match(line.text)), None)
    if heading is not None:
        title = HEADING_RE.match(lines[heading].text).group(1)  # type: ignore[union-attr]
    else:
        title = next((line.stripped for line in lines[(banner or 0) + 1 :] if line.stripped), "")
    closing = _find_closing(lines)
    rule = next((i for i in range(closing or 0, len(lines)) if lines[i].stripped == "---"), len(lines))
    body_start = heading if heading is not None else (pairs[-1][0] + 1 if pairs else 0)
    body_end = closing if closing is not None else rule

    sections = [lines_section(text, lines, 0, body_start, Role.METADATA, heading="metadata")]
    sections += _advice_sections(text, lines, body_start, body_end)
    if closing is not None:
        sections.append(lines_section(text, lines, closing, rule, Role.SIGNATURE))
    if rule < len(lines):
        sections.append(lines_section(text, lines, rule + 1, len(lines), Role.TEXT, heading="voetnoten"))

    requester = values.get("Adviesvrager", "")
    metadata = Metadata(
        date=dutch_date_to_iso(values.get("Goedkeuring raad", "")),
        minister=requester.split(" - ")[0].strip() or None,
        signatories=_signatories(lines, closing, rule) if closing is not None else (),
        links=unique_links(text),
        extra=extra,
    )
    return ServStructure(Genre.SERV_ADVICE, title, metadata, [s for s in sections if s.end > s.start])


def _advice_sections(text: str, lines: list[Line], start: int, end: int) -> list[Section]:
    """The advice's introduction, then one numbered section per top-level recommendation."""
    bullets = [i for i in range(start, end) if BULLET_RE.match(lines[i].text)]
    bounds = bullets + [end]
    sections = [lines_section(text, lines, start, bounds[0], Role.ADVICE)]
    for number, (first, stop) in enumerate(zip(bullets, bounds[1:]), start=1):
        sections.append(lines_section(text, lines, first, stop, Role.ADVICE, number=str(number)))
    return sections


def parse_serv_letter(text: str) -> ServStructure | None:
    lines = split_lines(text)
    salutation = next((i for i, line in enumerate(lines[:30]) if SALUTATION_RE.match(line.text)), None)
    closing = _find_closing(lines)
    if salutation is None or closing is None or closing < salutation:
        return None
    title = " ".join(line.stripped for line in lines[:salutation] if line.stripped)
    commissions = Counter(m.group(1) for m in COMMISSION_RE.finditer(text))
    extra = (("afzender", commissions.most_common(1)[0][0]),) if commissions else ()
    extra += (("aanhef", lines[salutation].stripped),)
    sections = [
        lines_section(text, lines, 0, salutation, Role.METADATA, heading="titel"),
        lines_section(text, lines, salutation, closing, Role.LETTER),
        lines_section(text, lines, closing, len(lines), Role.SIGNATURE),
    ]
    metadata = Metadata(
        signatories=_signatories(lines, closing, len(lines)), links=unique_links(text), extra=extra
    )
    return ServStructure(Genre.SERV_LETTER, title, metadata, [s for s in sections if s.end > s.start])


def _find_closing(lines: list[Line]) -> int | None:
    return next((i for i in range(len(lines) - 1, -1, -1) if CLOSING_RE.match(lines[i].text)), None)


def _signatories(lines: list[Line], closing: int, end: int) -> tuple[str, ...]:
    """'Pieter Kerremans (voorzitter)' for each name line followed by a function line."""
    names = [line.stripped for line in lines[closing + 1 : end] if line.stripped]
    signed: list[str] = []
    i = 0
    while i < len(names):
        name = names[i]
        function = names[i + 1] if i + 1 < len(names) else ""
        if function.lower() in FUNCTION_WORDS:
            signed.append(f"{name} ({function})")
            i += 2
        else:
            if name.lower() not in FUNCTION_WORDS:
                signed.append(name)
            i += 1
    return tuple(signed)


def _clean_value(value: str) -> str:
    return " ".join(HTML_TAG_RE.sub(" ", value).replace("\t", " ").split())
