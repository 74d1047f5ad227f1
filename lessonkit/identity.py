"""Who the learner is: a friendly pseudonym, an optional display name, and a class code.

A learner is known by a secret session token, never by their pseudonym: under `lessonkit serve` the
browser holds it as a cookie, which the server hands to the page's kernel (HTTP_X_LESSONKIT_SESSION);
elsewhere (plain Voila, Binder) a secret personal link carries it (`?s=<token>`). The kernel checks the
token with the store. A hub login (`JUPYTERHUB_USER`) is the same learner every time, in the class the hub
configures (`LESSONKIT_CLASS`, else HUB_CLASS); the store keeps which learner each login is, as a hash of
the login, and never gives two logins one learner. In JupyterLab without a hub (and on Binder), the learner
joins once and the session is remembered for that user account (a file only that account can read), so
every notebook, re-run and kernel restart finds the same learner. Without any of these, a join form makes
a new learner and a session. An
address that names a pseudonym (`learner=teal-wombat-42`) grants nothing. Identity is never kept in a
synced widget trait: the browser cannot change it.

Every function here reads the page's lessonkit.settings.Settings (or an environment mapping, a test's),
never os.environ: a preheated kernel's settings gain its request in `arrived()`.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qs, urlencode

from .settings import Settings, publish_request

__all__ = ["Learner", "new_learner_id", "learner_id_for", "pseudonym", "normalise_class_code",
           "clean_display_name", "showable", "name_key", "class_from_query", "session_token", "resolve",
           "query_string", "under_voila", "arrived",
           "wait_for_request", "wait_for_request_async", "SESSION_ENV", "HUB_CLASS", "remember", "remembered",
           "may_remember", "forget_remembered"]

# Where the kernel finds the session token `lessonkit serve` vouches for (its X-Lessonkit-Session header);
# read as Settings.session_token.
SESSION_ENV = "HTTP_X_LESSONKIT_SESSION"
# The class of hub logins when the hub configures none: the trainer opens the dashboard for this code.
HUB_CLASS = "HUB"

ADJECTIVES = (
    "Amber", "Azure", "Brave", "Bright", "Calm", "Clever", "Coral", "Crimson", "Dusty", "Gentle",
    "Golden", "Happy", "Indigo", "Jade", "Jolly", "Keen", "Kind", "Lively", "Lucky", "Mellow",
    "Misty", "Nimble", "Ochre", "Olive", "Plucky", "Quiet", "Rosy", "Ruby", "Saffron", "Sandy",
    "Silver", "Slate", "Sunny", "Swift", "Teal", "Tidy", "Violet", "Witty", "Zesty", "Honey",
)
ANIMALS = (
    "Bandicoot", "Bilby", "Brolga", "Cassowary", "Cockatoo", "Dingo", "Dugong", "Echidna", "Emu",
    "Galah", "Gecko", "Goanna", "Kangaroo", "Koala", "Kookaburra", "Lorikeet", "Lyrebird", "Magpie",
    "Numbat", "Pademelon", "Pelican", "Platypus", "Possum", "Potoroo", "Quokka", "Quoll", "Rosella",
    "Wallaby", "Wombat", "Wren",
)
_LEARNER_RE = re.compile(r"[a-z]{2,20}-[a-z]{2,20}-\d{1,3}")
_CLASS_RE = re.compile(r"[A-Z0-9]{3,12}")
NAME_MAX = 40


@dataclass(frozen=True)
class Learner:
    """A learner in a class: pseudonym id, optional display name, where the identity came from."""

    class_code: str
    learner: str
    display_name: str | None = None
    source: str = "form"    # "session" (serve's cookie), "link" (a personal link), "remembered" (JupyterLab's
    #                         remembered session), "hub", "form", "placeholder"
    token: str | None = field(default=None, repr=False, compare=False)   # the secret; never shown in logs

    @property
    def pseudonym(self) -> str:
        """The friendly form of the id: 'teal-wombat-42' -> 'Teal Wombat 42'."""
        return pseudonym(self.learner)

    @property
    def name(self) -> str:
        """What the learner is called on screen (plain text: escape before HTML)."""
        return self.display_name or self.pseudonym

    def query(self) -> str:
        """What another page's address needs to carry this learner: the personal link's secret, or nothing
        (a session cookie or a hub login comes along by itself)."""
        return urlencode({"s": self.token}) if self.source == "link" and self.token else ""

    def with_display_name(self, name: str | None) -> Learner:
        """A copy with another (cleaned) display name."""
        return replace(self, display_name=clean_display_name(name))


def pseudonym(learner_id: str) -> str:
    """Title-case a learner id for display."""
    return " ".join(part.capitalize() for part in learner_id.split("-"))


def new_learner_id(rng: random.Random | None = None) -> str:
    """A fresh random pseudonym id such as 'teal-wombat-42'."""
    rng = rng or random.SystemRandom()
    return f"{rng.choice(ADJECTIVES).lower()}-{rng.choice(ANIMALS).lower()}-{rng.randint(10, 99)}"


def learner_id_for(user: str) -> str:
    """A stable pseudonym id for a hub login, so the login itself is never stored."""
    digest = hashlib.sha256(user.encode("utf-8")).digest()
    return (f"{ADJECTIVES[digest[0] % len(ADJECTIVES)].lower()}-{ANIMALS[digest[1] % len(ANIMALS)].lower()}"
            f"-{10 + int.from_bytes(digest[2:4], 'big') % 990}")


def normalise_class_code(code: str | None) -> str | None:
    """Upper-case and check a class code (3-12 letters or digits); None when invalid."""
    if not code:
        return None
    code = code.strip().upper()
    return code if _CLASS_RE.fullmatch(code) else None


def valid_learner_id(value: str | None) -> bool:
    """True for ids of the pseudonym shape."""
    return bool(value) and bool(_LEARNER_RE.fullmatch(value or ""))


# Direction embeddings, overrides and isolates (U+202A-202E, U+2066-2069) and the direction marks (U+200E,
# U+200F, U+061C): one in a name would reverse every name drawn after it on a board. Control characters and
# line or paragraph separators have no place in a one-line name either.
_UNSHOWABLE = re.compile("[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                         "\u2028\u2029]")


def showable(text: str) -> str:
    """Text on one line without direction or control characters (each becomes a space), spaces collapsed.

    What every display name is made of before it is stored, and again when it is read (names stored by an
    earlier lessonkit), so no board, export or terminal ever gets one of those characters from a name.
    """
    return " ".join(_UNSHOWABLE.sub(" ", text).split())


def clean_display_name(name: str | None) -> str | None:
    """Trim a display name to one line of at most 40 characters, without direction or control
    characters; blank means none."""
    if name is None:
        return None
    name = showable(str(name))[:NAME_MAX]
    return name or None


def name_key(text: str) -> str:
    """A name or pseudonym as the trainer might type it, for matching: 'azure-dingo-39', ' Azure  Dingo 39'
    and 'AZURE DINGO 39' are all 'azure dingo 39'."""
    return showable(text.replace("-", " ")).casefold()


def class_from_query(query: str | None, default_class: str | None = None) -> str | None:
    """The class code from a query string (`class=`), else the default; None when neither is valid."""
    params = parse_qs(query or "", keep_blank_values=False)
    given = params.get("class") or []
    return normalise_class_code(given[0] if given else None) or normalise_class_code(default_class)


def session_token(settings: Settings | Mapping[str, str], query: str | None) -> tuple[str | None, str]:
    """The session token a page was opened with, and how: ("session") from the server, ("link") from `s=`."""
    token = Settings.of(settings).session_token.strip()
    if token:
        return token, "session"
    link = (parse_qs(query or "").get("s") or [""])[0].strip()
    return (link, "link") if link else (None, "")


def under_voila(settings: Settings | Mapping[str, str]) -> bool:
    """True inside a kernel started (or preheated) by Voila."""
    return Settings.of(settings).under_voila


def arrived(settings: Settings) -> Settings:
    """The settings once this kernel's request is here: a preheated kernel waits for it (wait_for_request)."""
    if not settings.request_pending:
        return settings
    return settings.with_request(wait_for_request(settings))


def query_string(settings: Settings | Mapping[str, str]) -> str | None:
    """The page's query string under Voila, read after the request arrives (safe for preheated kernels)."""
    settings = Settings.of(settings)
    if not settings.under_voila:
        return None
    return arrived(settings).query_string


def wait_for_request(settings: Settings) -> dict[str, str]:
    """Block until Voila hands this preheated kernel its request; returns the request's variables (also put
    into os.environ, see settings.publish_request), {} when Voila sent none.

    Voila sends the request's variables (QUERY_STRING, ...) as one JSON message on its
    `voila/query/<kernel id>` websocket. voila.utils.wait_for_request does the same but costs ~2 s
    and ~65 MB to import (it pulls in jupyter_server and jupyterlab_server); this costs ~1.5 MB.
    """
    import json

    from websockets.sync.client import connect

    url = _query_socket_url(settings)
    try:
        with connect(url, open_timeout=10, max_size=2**20) as ws:
            info = json.loads(ws.recv())
    except (OSError, ValueError) as exc:  # no request info: the page falls back to the join form
        import warnings

        warnings.warn(f"lessonkit: no request info from Voila ({exc})", stacklevel=2)
        return {}
    found = {k: v for k, v in info.items() if isinstance(k, str) and isinstance(v, str)}
    publish_request(found)
    return found


async def wait_for_request_async(settings: Settings, timeout: float = 24 * 3600.0) -> dict[str, str]:
    """Like wait_for_request, on the kernel's event loop: the page is drawn first, the learner bound later.

    Returns the request's variables (also put into os.environ); {} when Voila sent none.
    """
    import json

    from websockets.asyncio.client import connect

    url = _query_socket_url(settings)
    try:
        async with connect(url, open_timeout=10, max_size=2**20) as ws:
            import asyncio

            info = json.loads(await asyncio.wait_for(ws.recv(), timeout))
    except (OSError, ValueError, TimeoutError) as exc:
        import warnings

        warnings.warn(f"lessonkit: no request info from Voila ({exc})", stacklevel=2)
        return {}
    found = {k: v for k, v in info.items() if isinstance(k, str) and isinstance(v, str)}
    publish_request(found)
    return found


def _query_socket_url(settings: Settings) -> str:
    port = settings.voila_app_port
    base = settings.voila_ws_base_url or settings.voila_server_url
    protocol = settings.voila_ws_protocol
    host = settings.voila_app_ip
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"   # the kernel runs on the server's machine
    return f"{protocol}://{host}:{port}{base}voila/query/{settings.voila_kernel_id}"


def resolve(settings: Settings | Mapping[str, str], store=None) -> tuple[Learner | None, str | None]:
    """Work out the learner: a session token the store knows, else the hub user, else None (a join form).

    Returns (learner or None, best-known class code or None). A token the store does not know grants
    nothing; StoreUnavailable from the store is left to the page to explain. A preheated kernel first waits
    for its request (settings.request_pending).
    """
    settings = arrived(Settings.of(settings))
    query = settings.query_string
    class_code = class_from_query(query, settings.class_code)
    token, source = session_token(settings, query)
    if token and store is not None:
        found = store.session(token)
        if found is not None:
            return Learner(found[0], found[1], None, source, token=token), found[0]
    hub_user = settings.hub_user.strip()
    if hub_user and store is not None:
        code = class_code or HUB_CLASS
        return Learner(code, store.join_account(code, hub_user), None, "hub"), code
    if hub_user and class_code:   # no store to ask (tests of the header alone)
        return Learner(class_code, learner_id_for(hub_user), None, "hub"), class_code
    if store is not None and may_remember(settings):
        token = remembered(store, settings)
        found = store.session(token) if token else None
        if found is not None and (class_code is None or found[0] == class_code):
            return Learner(found[0], found[1], None, "remembered", token=token), found[0]
    return None, class_code


# -- JupyterLab without a hub: the session remembered for the user account ---------------------------

def may_remember(settings: Settings | Mapping[str, str]) -> bool:
    """True where the kernel runs as the learner's own account: JupyterLab, or Voila on Binder. Never
    under `lessonkit serve` or another shared Voila, where every kernel runs as the trainer's account."""
    settings = Settings.of(settings)
    return not settings.under_voila or settings.binder


def _learner_file(settings: Settings | Mapping[str, str]):
    from pathlib import Path

    chosen = Settings.of(settings).learner_file
    if chosen:
        return chosen
    import platformdirs

    return Path(platformdirs.user_data_dir("lessonkit", appauthor=False)) / "learner.json"


def _store_key(store) -> str:
    url = getattr(store, "url", "")
    return url.render_as_string(hide_password=True) if hasattr(url, "render_as_string") else str(url)


def _read_remembered(settings: Settings | Mapping[str, str]) -> dict:
    import json

    try:
        data = json.loads(_learner_file(settings).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def remembered(store, settings: Settings | Mapping[str, str]) -> str | None:
    """The session token this account joined with for this store, if any."""
    token = _read_remembered(settings).get(_store_key(store))
    return token if isinstance(token, str) and token else None


def remember(store, token: str, settings: Settings | Mapping[str, str]) -> bool:
    """Keep this account's session token for this store (readable by this account only); False if the file
    cannot be written (the learner then joins again next time)."""
    import json

    data = _read_remembered(settings)
    data[_store_key(store)] = token
    path = _learner_file(settings)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=1)
        os.replace(tmp, path)
    except OSError:
        return False
    return True


def forget_remembered(store, settings: Settings | Mapping[str, str]) -> None:
    """Forget this account's session for this store (the next page asks to join again)."""
    data = _read_remembered(settings)
    if data.pop(_store_key(store), None) is not None:
        import json

        try:
            _learner_file(settings).write_text(json.dumps(data, indent=1), encoding="utf-8")
        except OSError:
            pass
