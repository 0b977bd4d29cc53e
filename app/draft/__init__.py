"""Drafting a reply to a new parliamentary question from earlier answers, and its export."""

from .drafter import Drafter, parse_new_question
from .export import checks_markdown, to_dict, to_markdown, write_docx
from .word import write_docx_from_markdown

__all__ = [
    "Drafter",
    "checks_markdown",
    "parse_new_question",
    "to_dict",
    "to_markdown",
    "write_docx",
    "write_docx_from_markdown",
]
