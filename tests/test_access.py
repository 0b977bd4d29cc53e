"""Who may use the app: VRAAGBAAK_AUTH parsing, and no serving beyond loopback without a login."""

from __future__ import annotations

import pytest

from app.access import check_exposure, is_loopback, parse_auth
from app.errors import UserError
from tests.conftest import REPO, VRAAGBAAK


def test_auth_pairs_from_the_variable_or_from_a_file(tmp_path):
    assert parse_auth(None) == [] and parse_auth("  ") == []
    assert parse_auth("ann:geheim, bob:ook:met:dubbelepunt") == [
        ("ann", "geheim"),
        ("bob", "ook:met:dubbelepunt"),
    ]
    listing = tmp_path / "gebruikers.txt"
    listing.write_text("# team sociale economie\nann:geheim\n\nbob:ander\n", encoding="utf-8")
    assert parse_auth(str(listing)) == [("ann", "geheim"), ("bob", "ander")]


@pytest.mark.parametrize("value", ["ann", "ann:,bob:x", "/bestaat/niet.txt"])
def test_a_bad_auth_value_names_what_to_fix(value):
    with pytest.raises(UserError, match="VRAAGBAAK_AUTH"):
        parse_auth(value)


def test_serving_beyond_loopback_needs_a_login():
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("10.1.2.3")
    check_exposure("127.0.0.1", [])
    check_exposure("0.0.0.0", [("ann", "geheim")])
    with pytest.raises(UserError, match="VRAAGBAAK_AUTH"):
        check_exposure("0.0.0.0", [])


def test_serve_refuses_at_once_on_an_open_address_without_auth(cli_env, tmp_path):
    import subprocess

    env = {k: v for k, v in cli_env.items() if k != "VRAAGBAAK_AUTH"} | {"VRAAGBAAK_HOME": str(tmp_path)}
    result = subprocess.run(
        [*VRAAGBAAK, "serve", "--host", "0.0.0.0", "--port", "7999"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert (
        "zonder login" in result.stderr
        and "VRAAGBAAK_AUTH" in result.stderr
        and "Traceback" not in result.stderr
    )
