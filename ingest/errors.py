"""Domain exceptions. Messages are in Dutch: the CLI and UI show them to users as they are."""

from __future__ import annotations


class VraagbaakError(Exception):
    """Base class: a problem the user can act on (never a bug)."""


class IngestError(VraagbaakError):
    """A file cannot be ingested. `source` names it; the message says what to do."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.reason = message

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return type(self), (self.source, self.reason)  # raised in a parsing worker, re-raised here


class EmptyFileError(IngestError):
    pass


class UnreadableFileError(IngestError):
    pass


class FileTooLargeError(IngestError):
    pass


class UnsupportedFormatError(IngestError):
    pass
