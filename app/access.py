"""Who may use the app: `VRAAGBAAK_AUTH` holds user:password pairs (comma-separated) or the path of
a file with one pair per line. Serving beyond loopback without it is refused."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from .errors import UserError

LOOPBACK_NAMES = {"localhost"}


def parse_auth(value: str | None) -> list[tuple[str, str]]:
    """The user:password pairs; empty when no login is asked for."""
    if not value or not value.strip():
        return []
    candidate = Path(value.strip()).expanduser()
    if ":" not in value or candidate.is_file():
        if not candidate.is_file():
            raise UserError(
                f"VRAAGBAAK_AUTH: '{value}' is geen bestand en geen gebruiker:wachtwoord; geef paren als "
                f"'ann:geheim,bob:ander' of een bestand met één paar per regel."
            )
        entries = candidate.read_text(encoding="utf-8").splitlines()
        where = f"VRAAGBAAK_AUTH-bestand {candidate}"
    else:
        entries = value.split(",")
        where = "VRAAGBAAK_AUTH"
    pairs = []
    for number, entry in enumerate(entries, 1):
        entry = entry.strip()
        if not entry or entry.startswith("#"):
            continue
        user, sep, password = entry.partition(":")
        if not sep or not user.strip() or not password:
            raise UserError(
                f"{where}, item {number}: '{user.strip() or entry}' heeft geen wachtwoord; schrijf het als "
                f"gebruiker:wachtwoord."
            )
        pairs.append((user.strip(), password))
    if not pairs:
        raise UserError(f"{where} bevat geen enkel paar gebruiker:wachtwoord.")
    return pairs


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_exposure(host: str, users: list[tuple[str, str]]) -> None:
    """Refuse to serve on a non-loopback address without a login."""
    if not users and not is_loopback(host):
        raise UserError(
            f"weigering om op {host} te luisteren zonder login: dan kan iedereen in het netwerk de "
            f"documenten lezen. "
            "Zet VRAAGBAAK_AUTH (bv. 'ann:geheim' of een bestand met één gebruiker:wachtwoord per regel), "
            "of luister alleen op 127.0.0.1."
        )
