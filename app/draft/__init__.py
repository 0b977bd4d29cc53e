"""Drafting a reply to a new parliamentary question from earlier answers, and its export."""

from .drafter import Drafter, parse_new_question
from .export import to_dict, to_markdown, write_docx, write_docx_from_markdown

__all__ = [
    "Drafter",
    "parse_new_question",
    "to_dict",
    "to_markdown",
    "write_docx",
    "write_docx_from_markdown",
]
