"""Every setting lessonkit takes from its environment, read in one place.

`Settings.from_env(env)` is the one reader of environment variables. The edges build it: the command line
(`lessonkit.cli`), the notebook entry points (`lk.activity`, `lk.overview`, `lk.session`, the trainer's
`dashboard` and `present`) and the serving processes (`lessonkit serve`, and the Voila server it starts);
everything below them is handed a `Settings` (or the values it needs: the store its URL and pool sizes, the
content its folder, a kind's page builder the page's settings) and never reads `os.environ`.
tests/unit/test_settings.py checks that.

A kernel Voila starts before anyone arrives (a preheated kernel, VOILA_PREHEAT=True) learns its request's
variables (QUERY_STRING, the session header, ...) only later (`identity.wait_for_request`): its settings
say `request_pending` until `with_request(info)` adds them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

__all__ = ["Settings", "BINDER_ENV", "DEFAULT_KEEP_DAYS", "VARIABLES", "process_settings", "settings_for",
           "publish_request"]

DEFAULT_KEEP_DAYS = 30
# BinderHub sets the first four in every Binder server's environment (kernels inherit it);
# BINDER_SERVICE_HOST is Kubernetes' address of the binder service in mybinder.org's namespace.
BINDER_ENV = ("BINDER_LAUNCH_HOST", "BINDER_REQUEST", "BINDER_REPO_URL", "BINDER_REF_URL",
              "BINDER_SERVICE_HOST")


def _var(name: str | tuple[str, ...], default: Any, help: str) -> Any:
    """A field read from the variable `name` (or any of several), `default` when unset."""
    return field(default=default, metadata={"env": name, "help": help})


@dataclass(frozen=True)
class Settings:
    """lessonkit's settings (see the module doc); `Settings()` is every default, as in an empty environment."""

    # -- content and storage
    data_dir: Path | None = _var("LESSONKIT_DATA", None, "the content folder (else found beside the notebooks)")
    db: str | None = _var("LESSONKIT_DB", None, "the store's URL (else SQLite in the user data folder)")
    db_pool_size: str = _var("LESSONKIT_DB_POOL_SIZE", "", "PostgreSQL connections kept open per store (text)")
    db_max_overflow: str = _var("LESSONKIT_DB_MAX_OVERFLOW", "", "more PostgreSQL connections while busy (text)")
    exports_dir: Path | None = _var("LESSONKIT_EXPORTS", None, "where exports go (else exports/ in the user "
                                                               "data folder)")
    learner_file: Path | None = _var("LESSONKIT_LEARNER_FILE", None, "a JupyterLab user's remembered session "
                                                                     "(else learner.json in the user data folder)")
    # -- the class `lessonkit serve` runs
    class_code: str | None = _var("LESSONKIT_CLASS", None, "the class (as given: identity normalises it)")
    keep_days: int = _var("LESSONKIT_KEEP_DAYS", DEFAULT_KEEP_DAYS, "days a class's answers are kept "
                                                                   "(0: until deleted; invalid: the default)")
    trainer_key: str = _var("LESSONKIT_TRAINER_KEY", "", "the key the trainer's pages need (?key=...)")
    join_url: str | None = _var("LESSONKIT_JOIN_URL", None, "the address learners join at")
    present_url: str = _var("LESSONKIT_PRESENT_URL", "", "the projector view's address")
    plotly_src: str | None = _var("LESSONKIT_PLOTLY_JS", None, "plotly.js's address below the base URL")
    feedback_charts: bool = _var("LESSONKIT_FEEDBACK_CHARTS", True, "notebook 08's plotly charts ('off': "
                                                                    "none, for benchmarks/page_load.py)")
    # -- where the kernel runs
    hub_user: str = _var("JUPYTERHUB_USER", "", "the hub login (as given)")
    binder: bool = _var(BINDER_ENV, False, "a Binder session: any of BINDER_ENV set and not empty")
    voila_preheat: bool = _var("VOILA_PREHEAT", False, "a kernel Voila started before its request ('True')")
    server_software: str = _var("SERVER_SOFTWARE", "", "e.g. 'voila/0.5.13' under Voila")
    voila_app_ip: str = _var("VOILA_APP_IP", "127.0.0.1", "the Voila server's address")
    voila_app_port: str = _var("VOILA_APP_PORT", "8866", "the Voila server's port")
    voila_ws_base_url: str | None = _var("VOILA_WS_BASE_URL", None, "Voila's websocket base URL")
    voila_server_url: str = _var("VOILA_SERVER_URL", "/", "Voila's base URL")
    voila_ws_protocol: str = _var("VOILA_WS_PROTOCOL", "ws", "'ws' or 'wss'")
    voila_kernel_id: str = _var("VOILA_KERNEL_ID", "", "this kernel's id")
    # -- the page's request (a preheated kernel gets these with its request: with_request)
    query_string: str | None = _var("QUERY_STRING", None, "the page address's query")
    session_token: str = _var("HTTP_X_LESSONKIT_SESSION", "", "the session token `lessonkit serve` vouches for")
    server_name: str = _var("SERVER_NAME", "", "the host the page was asked from")
    server_port: str = _var("SERVER_PORT", "", "its port")
    script_name: str = _var("SCRIPT_NAME", "", "the page's path")
    # not a variable: a preheated kernel whose request has not come yet
    request_pending: bool = False

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """The settings an environment gives (variable names and defaults: the fields above)."""
        raw = {f.name: env.get(f.metadata["env"]) for f in fields(cls) if isinstance(f.metadata.get("env"), str)}
        values: dict[str, Any] = {name: value for name, value in raw.items() if value is not None}
        for name in ("data_dir", "learner_file", "exports_dir", "db", "join_url", "plotly_src"):
            if not values.get(name):   # blank means unset
                values.pop(name, None)
        for name in ("data_dir", "learner_file"):
            if name in values:
                values[name] = Path(values[name])
        if "exports_dir" in values:
            values["exports_dir"] = Path(values["exports_dir"]).expanduser()
        values["keep_days"] = _keep_days(raw["keep_days"])
        values["feedback_charts"] = raw["feedback_charts"] != "off"
        values["binder"] = any(env.get(name) for name in BINDER_ENV)
        values["voila_preheat"] = values["request_pending"] = raw["voila_preheat"] == "True"
        return cls(**values)

    @classmethod
    def of(cls, given: Settings | Mapping[str, str]) -> Settings:
        """`given` itself, or the settings of an environment mapping that already holds its request (a test's,
        or one a caller put together): nothing is waited for."""
        if isinstance(given, Settings):
            return given
        return cls.from_env(given).with_request({})

    def with_request(self, info: Mapping[str, str]) -> Settings:
        """These settings once the request arrived: its variables (QUERY_STRING, ...) over these."""
        given = Settings.from_env(info)
        changed = {f.name: getattr(given, f.name) for f in fields(self)
                   if isinstance(f.metadata.get("env"), str) and f.metadata["env"] in info}
        changed.pop("voila_preheat", None)   # the kernel was preheated (or not) whatever the request says
        return replace(self, **changed, request_pending=False)

    @property
    def under_voila(self) -> bool:
        """True inside a kernel started (or preheated) by Voila."""
        return self.voila_preheat or self.server_software.startswith("voila/")


def _keep_days(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_KEEP_DAYS
    try:
        days = int(raw)
    except ValueError:
        return DEFAULT_KEEP_DAYS
    return days if days >= 0 else DEFAULT_KEEP_DAYS


# Every variable Settings.from_env reads.
VARIABLES: tuple[str, ...] = tuple(
    name for f in fields(Settings) if (name := f.metadata.get("env")) and isinstance(name, str)) + BINDER_ENV


def process_settings() -> Settings:
    """This process's settings (for the entry points only: the command line, the notebook pages, the server)."""
    return Settings.from_env(os.environ)


def settings_for(settings: Settings | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """What an entry point runs with: the Settings given, else those of the `env` mapping given (which holds
    its request already), else this process's."""
    if settings is not None:
        return settings
    if env is not None:
        return Settings.of(env)
    return process_settings()


def publish_request(info: Mapping[str, str]) -> None:
    """Put a preheated kernel's request variables into os.environ, as Voila's own wait_for_request does, so
    a page built later in this kernel (another cell) starts from them too."""
    os.environ.update(info)
