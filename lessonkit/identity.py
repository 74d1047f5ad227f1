"""Who the learner is: a friendly pseudonym, an optional display name, and a class code.

Read from the Voila page's query string (`?class=ABC123&learner=teal-wombat-42`), from the hub user
(`JUPYTERHUB_USER`, turned into a stable pseudonym so the store never holds the login), or left to
a join form. Identity is never kept in a synced widget trait: the browser cannot change it.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
from dataclasses import dataclass, replace
from typing import Mapping
from urllib.parse import parse_qs, urlencode

__all__ = ["Learner", "new_learner_id", "learner_id_for", "pseudonym", "normalise_class_code",
           "clean_display_name", "from_query", "resolve", "query_string", "under_voila", "wait_for_request"]

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
    source: str = "form"

    @property
    def pseudonym(self) -> str:
        """The friendly form of the id: 'teal-wombat-42' -> 'Teal Wombat 42'."""
        return pseudonym(self.learner)

    @property
    def name(self) -> str:
        """What the learner is called on screen (plain text: escape before HTML)."""
        return self.display_name or self.pseudonym

    def query(self) -> str:
        """Query string that carries this identity to another activity page."""
        return urlencode({"class": self.class_code, "learner": self.learner})

    def with_display_name(self, name: str | None) -> "Learner":
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
    return bool(value) and bool(_LEARNER_RE.fullmatch(value))


def clean_display_name(name: str | None) -> str | None:
    """Trim a display name to one line of at most 40 characters; blank means none."""
    if name is None:
        return None
    name = " ".join(str(name).split())[:NAME_MAX]
    return name or None


def from_query(query: str | None, default_class: str | None = None) -> tuple[Learner | None, str | None]:
    """Parse `class`, `learner` and `name` from a query string: (learner or None, class code or None)."""
    params = parse_qs(query or "", keep_blank_values=False)
    first = {k: v[0] for k, v in params.items() if v}
    class_code = normalise_class_code(first.get("class")) or normalise_class_code(default_class)
    learner_id = (first.get("learner") or "").strip().lower()
    if class_code and valid_learner_id(learner_id):
        return Learner(class_code, learner_id, clean_display_name(first.get("name")), "link"), class_code
    return None, class_code


def under_voila(env: Mapping[str, str] = os.environ) -> bool:
    """True inside a kernel started (or preheated) by Voila."""
    return env.get("VOILA_PREHEAT") == "True" or env.get("SERVER_SOFTWARE", "").startswith("voila/")


def query_string(env: Mapping[str, str] = os.environ) -> str | None:
    """The page's query string under Voila, read after the request arrives (safe for preheated kernels)."""
    if not under_voila(env):
        return None
    if env.get("VOILA_PREHEAT") == "True":
        # A preheated kernel ran before any learner arrived: wait for the request to be handed over.
        wait_for_request()
        return os.environ.get("QUERY_STRING")
    return env.get("QUERY_STRING")


def wait_for_request() -> None:
    """Block until Voila hands this preheated kernel its request, then put the request into os.environ.

    Voila sends the request's variables (QUERY_STRING, ...) as one JSON message on its
    `voila/query/<kernel id>` websocket. voila.utils.wait_for_request does the same but costs ~2 s
    and ~65 MB to import (it pulls in jupyter_server and jupyterlab_server); this costs ~1.5 MB.
    """
    import json

    from websockets.sync.client import connect

    port = os.environ.get("VOILA_APP_PORT", "8866")
    base = os.environ.get("VOILA_WS_BASE_URL") or os.environ.get("VOILA_SERVER_URL", "/")
    protocol = os.environ.get("VOILA_WS_PROTOCOL", "ws")
    host = os.environ.get("VOILA_APP_IP", "127.0.0.1")
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"   # the kernel runs on the server's machine
    url = f"{protocol}://{host}:{port}{base}voila/query/{os.environ.get('VOILA_KERNEL_ID', '')}"
    try:
        with connect(url, open_timeout=10, max_size=2**20) as ws:
            info = json.loads(ws.recv())
    except (OSError, ValueError) as exc:  # no request info: the page falls back to the join form
        import warnings

        warnings.warn(f"lessonkit: no request info from Voila ({exc})", stacklevel=2)
        return
    for key, value in info.items():
        if isinstance(key, str) and isinstance(value, str):
            os.environ[key] = value


def resolve(env: Mapping[str, str] = os.environ) -> tuple[Learner | None, str | None]:
    """Work out the learner: Voila query string, then the hub user, else None (show a join form).

    Returns (learner or None, best-known class code or None).
    """
    default_class = env.get("LESSONKIT_CLASS")
    learner, class_code = from_query(query_string(env) if env is os.environ else env.get("QUERY_STRING"),
                                     default_class)
    if learner:
        return learner, class_code
    hub_user = env.get("JUPYTERHUB_USER")
    if hub_user and class_code:
        return Learner(class_code, learner_id_for(hub_user), None, "hub"), class_code
    return None, class_code
