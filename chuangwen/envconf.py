"""Small typed readers of environment variables that fail loudly on a bad value.

Kept free of Django imports so settings.py (and the CLI, before Django starts) can use them.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse


class ConfigError(ValueError):
    """A setting in the environment has a value we cannot use."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name} must be one of 1/0/true/false/yes/no/on/off, got {raw!r}")


def env_int(name: str, default: int, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from exc
    if minimum is not None and value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = os.environ.get(name, default).strip().lower()
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


def env_hosts(name: str, default: list[str]) -> list[str]:
    """A list of host names that may be left unset (the default) but never set to nothing."""
    hosts = env_list(name, default)
    if not hosts:
        raise ConfigError(
            f"{name} is set but names no host: list the site's host names, e.g. cw.example.gov.cn"
        )
    return hosts


def env_redis_url(name: str) -> str:
    """A Redis URL (redis://, rediss:// or unix://), or "" when unset."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return ""
    parsed = urlparse(raw)
    if parsed.scheme not in ("redis", "rediss", "unix"):
        raise ConfigError(f"{name} must start with redis://, rediss:// or unix://, got {raw!r}")
    if parsed.scheme != "unix":
        if not parsed.hostname:
            raise ConfigError(f"{name} needs a host, e.g. redis://127.0.0.1:6379/0, got {raw!r}")
        try:
            parsed.port  # noqa: B018 (urlparse checks the port only when asked)
        except ValueError as exc:
            raise ConfigError(f"{name} has a bad port: {raw!r}") from exc
        database = parsed.path.strip("/")
        if database and not database.isdigit():
            raise ConfigError(f"{name}: the database after the last / must be a number, got {raw!r}")
    return raw


_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def env_log_level(name: str, default: str = "WARNING") -> str:
    value = os.environ.get(name, "").strip().upper() or default
    if value not in _LOG_LEVELS:
        raise ConfigError(f"{name} must be one of {', '.join(_LOG_LEVELS)}, got {os.environ.get(name)!r}")
    return value


def env_time_zone(name: str, default: str) -> str:
    """An IANA time zone name (Asia/Shanghai), checked against the zone database."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    value = os.environ.get(name, "").strip() or default
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"{name} must be a time zone such as Asia/Shanghai, got {value!r}") from exc
    return value


def data_path() -> Path:
    """Where the data folder is (CHUANGWEN_DATA, else ./data), whether or not it exists."""
    return Path(os.environ.get("CHUANGWEN_DATA", Path.cwd() / "data")).expanduser().resolve()


# The console script turns this off for the commands that must not start a new installation:
# it reads the settings (to report a bad one) and then refuses a missing folder itself.
CREATE_DATA_DIR = True


def data_dir() -> Path:
    """The folder that holds the SQLite database, media and the generated secret key."""
    path = data_path()
    if CREATE_DATA_DIR:
        path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(folder: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the data folder."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = folder / "secret_key"
    if not folder.is_dir():
        # Only when CREATE_DATA_DIR is off: the console script refuses to go on, so this key
        # never signs anything.
        return secrets.token_urlsafe(50)
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def field_key(folder: Path) -> str:
    """FIELD_KEY (a Fernet key: 32 url-safe base64 bytes) for encrypted columns such as the
    volunteers' ID numbers; from the environment, else generated once into the data folder."""
    import base64

    raw = os.environ.get("FIELD_KEY", "")
    if not raw:
        key_file = folder / "field_key"
        if not folder.is_dir():
            return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
        if key_file.exists():
            raw = key_file.read_text().strip()
        else:
            raw = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
            key_file.write_text(raw)
            key_file.chmod(0o600)
    try:
        if len(base64.urlsafe_b64decode(raw.encode())) != 32:
            raise ValueError
    except ValueError as exc:
        raise ConfigError("FIELD_KEY must be 32 bytes in url-safe base64 (a Fernet key)") from exc
    return raw


AUDIT_KEY_MIN_LENGTH = 32


def audit_key_file(folder: Path) -> Path | None:
    """Where the audit chain's keys live: AUDIT_KEY_FILE, else `audit_key` in the data folder;
    None when AUDIT_KEY gives them in the environment."""
    if os.environ.get("AUDIT_KEY"):
        return None
    return Path(os.environ.get("AUDIT_KEY_FILE") or folder / "audit_key").expanduser()


def audit_keys(folder: Path) -> list[str]:
    """The audit chain's HMAC keys, oldest first; the last one signs new entries.

    AUDIT_KEY (keys separated by commas) wins; else the key file (one key a line), generated
    once like the secret key. Old keys stay listed so the entries they signed still verify.
    The keys are never stored in the database: whoever can rewrite the database cannot re-sign.
    """
    raw = os.environ.get("AUDIT_KEY", "")
    key_file = audit_key_file(folder)
    if key_file is not None and not os.environ.get("AUDIT_KEY_FILE") and not folder.is_dir():
        # As for the secret key: only when CREATE_DATA_DIR is off and the data folder is missing;
        # the console script refuses to go on, so this key never signs anything.
        return [secrets.token_urlsafe(48)]
    if key_file is not None:
        if not key_file.exists():
            key_file.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(48) + "\n")
        raw = key_file.read_text()
    keys = [key.strip() for key in raw.replace(",", "\n").splitlines() if key.strip()]
    where = "AUDIT_KEY" if key_file is None else str(key_file)
    if not keys:
        raise ConfigError(f"{where} holds no audit key")
    short = [n for n, key in enumerate(keys, 1) if len(key) < AUDIT_KEY_MIN_LENGTH]
    if short:
        raise ConfigError(
            f"audit key {short[0]} in {where} is shorter than {AUDIT_KEY_MIN_LENGTH} characters"
        )
    return keys


def database_from_url(url: str, folder: Path) -> dict:
    """Django DATABASES['default'] from a URL: sqlite:///path or postgres://user:pw@host:port/db."""
    if not url:
        url = f"sqlite:///{folder / 'chuangwen.sqlite3'}"
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        # sqlite:///relative.db and sqlite:////abs/path.db both work; the path is what follows '///'.
        name = unquote(url.split("://", 1)[1])
        name = name[1:] if name.startswith("/") and not name.startswith("//") else name
        if name.startswith("//"):
            name = name[1:]
        if not name:
            raise ConfigError("DATABASE_URL sqlite:/// needs a file path")
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name,
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of one
                # failing with "database is locked" half-way through a transaction.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
            "TEST": {"NAME": os.environ.get("CHUANGWEN_TEST_SQLITE") or None},
        }
    if parsed.scheme in ("postgres", "postgresql", "pgsql"):
        if not parsed.path.strip("/"):
            raise ConfigError("DATABASE_URL for PostgreSQL needs a database name")
        options = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ConfigError(f"DATABASE_URL scheme {parsed.scheme!r} is not supported (use sqlite or postgres)")
