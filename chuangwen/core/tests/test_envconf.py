"""The settings helpers fail loudly on a bad value and read database URLs in every form."""

from __future__ import annotations

from pathlib import Path

import pytest

from chuangwen.envconf import (
    ConfigError,
    database_from_url,
    env_bool,
    env_choice,
    env_int,
    env_list,
    secret_key,
)


@pytest.mark.parametrize("raw", ["maybe", "2", "ja", "truee"])
def test_a_bool_that_is_not_a_bool_is_refused(monkeypatch, raw):
    monkeypatch.setenv("CW_FLAG", raw)
    with pytest.raises(ConfigError, match="CW_FLAG"):
        env_bool("CW_FLAG")


@pytest.mark.parametrize(
    ("raw", "value"), [("1", True), ("Yes", True), (" on ", True), ("0", False), ("off", False), ("", False)]
)
def test_a_bool_reads_the_usual_spellings(monkeypatch, raw, value):
    monkeypatch.setenv("CW_FLAG", raw)
    assert env_bool("CW_FLAG", not value) is value


def test_an_unset_bool_takes_its_default(monkeypatch):
    monkeypatch.delenv("CW_FLAG", raising=False)
    assert env_bool("CW_FLAG", True) is True


@pytest.mark.parametrize("raw", ["ten", "1.5", "3 workers"])
def test_an_int_that_is_not_an_int_is_refused(monkeypatch, raw):
    monkeypatch.setenv("CW_N", raw)
    with pytest.raises(ConfigError, match="CW_N must be an integer"):
        env_int("CW_N", 1)


def test_an_int_below_its_minimum_is_refused(monkeypatch):
    monkeypatch.setenv("AUDIT_RETENTION_DAYS", "30")
    with pytest.raises(ConfigError, match="at least 180"):
        env_int("AUDIT_RETENTION_DAYS", 365, minimum=180)


def test_an_empty_int_takes_its_default(monkeypatch):
    monkeypatch.setenv("CW_N", " ")
    assert env_int("CW_N", 7) == 7


def test_a_choice_outside_its_choices_is_refused(monkeypatch):
    monkeypatch.setenv("PASSWORD_POLICY", "nist")
    with pytest.raises(ConfigError, match="dengbao, asvs"):
        env_choice("PASSWORD_POLICY", ("dengbao", "asvs"), "dengbao")


def test_a_list_drops_blank_items(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", " cw.example.gov.cn, ,10.0.0.5 ")
    assert env_list("ALLOWED_HOSTS", []) == ["cw.example.gov.cn", "10.0.0.5"]


def test_no_database_url_means_sqlite_in_the_data_folder(tmp_path):
    conf = database_from_url("", tmp_path)
    assert conf["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(conf["NAME"]) == tmp_path / "chuangwen.sqlite3"
    assert conf["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in conf["OPTIONS"]["init_command"]


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("sqlite:////var/lib/chuangwen/db.sqlite3", "/var/lib/chuangwen/db.sqlite3"),
        ("sqlite:///relative/db.sqlite3", "relative/db.sqlite3"),
        ("sqlite:///db%20copy.sqlite3", "db copy.sqlite3"),
    ],
)
def test_sqlite_urls_give_absolute_and_relative_paths(tmp_path, url, name):
    assert database_from_url(url, tmp_path)["NAME"] == name


def test_a_sqlite_url_without_a_path_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="file path"):
        database_from_url("sqlite:///", tmp_path)


def test_a_postgres_url_gives_every_connection_setting(tmp_path):
    conf = database_from_url(
        "postgres://cw:p%40ss%2Fword@db.internal:6543/chuangwen?sslmode=require", tmp_path
    )
    assert conf["ENGINE"] == "django.db.backends.postgresql"
    assert (conf["NAME"], conf["USER"], conf["PASSWORD"]) == ("chuangwen", "cw", "p@ss/word")
    assert (conf["HOST"], conf["PORT"]) == ("db.internal", "6543")
    assert conf["OPTIONS"] == {"sslmode": "require"}


@pytest.mark.parametrize("scheme", ["postgres", "postgresql", "pgsql"])
def test_postgres_urls_accept_the_common_schemes_and_no_password(tmp_path, scheme):
    conf = database_from_url(f"{scheme}://postgres@127.0.0.1/cw", tmp_path)
    assert (conf["NAME"], conf["USER"], conf["PASSWORD"], conf["PORT"]) == ("cw", "postgres", "", "")


def test_a_postgres_url_without_a_database_name_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="database name"):
        database_from_url("postgres://postgres@127.0.0.1:5432/", tmp_path)


@pytest.mark.parametrize("url", ["mysql://root@localhost/cw", "http://example.com/db", "chuangwen.sqlite3"])
def test_an_unsupported_database_url_is_refused(tmp_path, url):
    with pytest.raises(ConfigError, match="not supported"):
        database_from_url(url, tmp_path)


def test_a_generated_secret_key_is_kept_private_and_reused(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = secret_key(tmp_path)
    assert len(first) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert secret_key(tmp_path) == first


def test_a_secret_key_from_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert secret_key(tmp_path) == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()
