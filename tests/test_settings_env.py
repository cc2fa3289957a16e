import pytest
from django.core.exceptions import ImproperlyConfigured

from frontdesk.env import env_bool, env_int, env_list, env_str


def test_env_bool_accepts_only_true_and_false(monkeypatch):
    monkeypatch.setenv("FD_FLAG", "true")
    assert env_bool("FD_FLAG", False) is True
    monkeypatch.setenv("FD_FLAG", "FALSE")
    assert env_bool("FD_FLAG", True) is False
    for typo in ("yes", "1", "on", "ture"):
        monkeypatch.setenv("FD_FLAG", typo)
        with pytest.raises(ImproperlyConfigured, match="FD_FLAG"):
            env_bool("FD_FLAG", False)


def test_env_bool_uses_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("FD_FLAG", raising=False)
    assert env_bool("FD_FLAG", True) is True


def test_env_int_names_the_variable_it_cannot_read(monkeypatch):
    monkeypatch.setenv("FD_NUMBER", "12")
    assert env_int("FD_NUMBER", 1) == 12
    monkeypatch.setenv("FD_NUMBER", "twelve")
    with pytest.raises(ImproperlyConfigured, match="FD_NUMBER"):
        env_int("FD_NUMBER", 1)


def test_a_secret_can_come_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("FD_SECRET", "from-environment")
    monkeypatch.setenv("FD_SECRET_FILE", str(secret))
    assert env_str("FD_SECRET") == "s3cret"


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("FD_HOSTS", "a.example, b.example,,")
    assert env_list("FD_HOSTS", []) == ["a.example", "b.example"]


def test_postgresql_connections_give_up_after_a_timeout_which_the_url_may_set(monkeypatch):
    from frontdesk import settings

    monkeypatch.delenv("DATABASE_CONNECT_TIMEOUT", raising=False)
    url = "postgres://frontdesk:secret@db.example:5432/frontdesk"
    assert settings._database(url)["OPTIONS"]["connect_timeout"] == 10
    monkeypatch.setenv("DATABASE_CONNECT_TIMEOUT", "3")
    assert settings._database(url)["OPTIONS"]["connect_timeout"] == 3
    assert settings._database(f"{url}?connect_timeout=30")["OPTIONS"]["connect_timeout"] == 30
