"""The app's user-facing error: a Dutch message that names what to change."""

from __future__ import annotations

from ingest.errors import VraagbaakError


class UserError(VraagbaakError):
    pass
