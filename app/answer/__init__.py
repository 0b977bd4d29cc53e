"""The answering core: everything that turns a question into an `Answer` (ingest.model):
filters, routes, figure lookup, vocabulary, sentence extraction, facts, abstention."""

from .answerer import Answerer, AnswerSettings

__all__ = ["AnswerSettings", "Answerer"]
