"""The console script refuses the wrong data folder and reports a bad setting in one line."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _run(*args: str, data, language: str = "en", **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    clean.update(CHUANGWEN_DATA=str(data), LANGUAGE_CODE=language, **env)
    return subprocess.run(
        [sys.executable, "-m", "chuangwen.cli", *args], env=clean, capture_output=True, text=True, timeout=300
    )


def test_a_backup_from_the_wrong_folder_refuses_and_names_the_folder_it_looked_in(tmp_path):
    missing = tmp_path / "data"
    result = _run("backup", str(tmp_path / "office.tar.gz"), data=missing)
    assert result.returncode == 1
    assert f"There is no data folder at {missing}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not missing.exists(), "nothing is created in the wrong place"
    assert not (tmp_path / "office.tar.gz").exists()


def test_the_refusal_is_in_the_interface_language(tmp_path):
    result = _run("audit", "verify", data=tmp_path / "data", language="zh-hans")
    assert result.returncode == 1
    assert "数据文件夹" in result.stderr and str(tmp_path / "data") in result.stderr


def test_a_command_on_a_database_that_was_never_migrated_refuses(tmp_path):
    result = _run("createsuperuser", "--noinput", "--username", "x", data=tmp_path)
    assert result.returncode == 1
    assert f"There is no database at {tmp_path / 'chuangwen.sqlite3'}" in result.stderr
    assert "chuangwen migrate" in result.stderr
    assert not (tmp_path / "chuangwen.sqlite3").exists(), "the refusal creates no empty database"


def test_an_empty_postgresql_database_is_refused_too(tmp_path):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("runs when the suite runs on PostgreSQL")
    import psycopg

    base = url.rsplit("/", 1)[0]
    name = "cw_cli_empty_check"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    try:
        result = _run("check", data=tmp_path, DATABASE_URL=f"{base}/{name}")
        assert result.returncode == 1
        assert f"The database {name}" in result.stderr and "has no tables yet" in result.stderr
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


# The TLS settings of docs/operations.md's example environment.
BEHIND_NGINX = {
    "ALLOWED_HOSTS": "cw.example.gov.cn",
    "CSRF_TRUSTED_ORIGINS": "https://cw.example.gov.cn",
    "BEHIND_TLS_PROXY": "true",
    "PROXY_COUNT": "1",
    "SECURE_COOKIES": "true",
    "STATIC_MANIFEST": "true",
    "DEBUG": "false",
}


def test_migrate_starts_a_new_installation_and_check_deploy_behind_nginx_is_clean(tmp_path):
    data = tmp_path / "new"
    assert _run("migrate", "-v0", data=data).returncode == 0
    result = _run("check", "--deploy", "--fail-level", "WARNING", data=data, **BEHIND_NGINX)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    # Without the proxy the HSTS and redirect warnings are not silenced: they are real then.
    bare = {**BEHIND_NGINX, "BEHIND_TLS_PROXY": "false"}
    result = _run("check", "--deploy", "--fail-level", "WARNING", data=data, **bare)
    assert result.returncode == 1
    assert "security.W004" in result.stderr and "security.W008" in result.stderr


def test_help_needs_no_data_folder(tmp_path):
    result = _run("import-units", "--help", data=tmp_path / "nowhere")
    assert result.returncode == 0
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("REDIS_URL", "localhost:6379", "REDIS_URL must start with redis://"),
        (
            "REDIS_URL",
            "redis://127.0.0.1:6379/queue",
            "REDIS_URL: the database after the last / must be a number",
        ),
        ("LOG_LEVEL", "loud", "LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL"),
        ("TIME_ZONE", "Asia/Beijing", "TIME_ZONE must be a time zone such as Asia/Shanghai"),
        ("ALLOWED_HOSTS", " , ", "ALLOWED_HOSTS is set but names no host"),
        ("DEBUG", "maybe", "DEBUG must be one of 1/0/true/false"),
    ],
)
def test_a_bad_setting_prints_one_line_naming_the_variable(tmp_path, variable, value, message):
    result = _run("check", data=tmp_path, **{variable: value})
    assert result.returncode == 2
    assert result.stderr.startswith(f"chuangwen: {message}")
    assert result.stderr.count("\n") == 1, result.stderr
