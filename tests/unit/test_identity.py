"""Identity: a secret session token, a hub user, or a join form; a pseudonym in an address grants nothing."""

from __future__ import annotations

import random

import ipywidgets as widgets
import pytest

from lessonkit.errors import StoreUnavailable
from lessonkit.identity import (
    HUB_CLASS,
    SESSION_ENV,
    Learner,
    class_from_query,
    clean_display_name,
    forget_remembered,
    learner_id_for,
    may_remember,
    new_learner_id,
    pseudonym,
    resolve,
    session_token,
    valid_learner_id,
)
from lessonkit.settings import Settings
from lessonkit.store import ResponseStore
from tests.helpers import HOSTILE


def test_a_pseudonym_in_the_address_grants_nothing(store):
    lid, _token = store.join("LIB3", learner="calm-koala-23")
    for query in (f"class=LIB3&learner={lid}", f"class=LIB3&learner={lid}&name=Mallory", "learner=calm-koala-23"):
        learner, code = resolve({"QUERY_STRING": query}, store)
        assert learner is None, query          # the join form, as someone new
    assert resolve({"QUERY_STRING": "class=lib3&learner=calm-koala-23"}, store)[1] == "LIB3"


def test_the_session_token_is_the_identity(store):
    lid, token = store.join("LIB3", display_name="Nina")
    learner, code = resolve({SESSION_ENV: token}, store)         # what lessonkit serve hands the kernel
    assert (learner.class_code, learner.learner, learner.source, code) == ("LIB3", lid, "session", "LIB3")
    assert learner.token == token and token not in repr(learner)   # never in a log line
    assert learner.query() == ""                                  # the cookie comes along by itself
    linked, _ = resolve({"QUERY_STRING": f"s={token}"}, store)   # a personal link (plain Voila, Binder)
    assert linked.learner == lid and linked.source == "link" and linked.query() == f"s={token}"
    assert resolve({SESSION_ENV: token + "x"}, store) == (None, None)  # a wrong token grants nothing
    store.end_session(token)
    assert resolve({SESSION_ENV: token}, store) == (None, None)


def test_a_preheated_kernel_resolves_its_learner_once_the_request_arrives(store, monkeypatch):
    """A kernel Voila started before anyone arrived asks Voila for its request (once), then reads the learner
    from it; settings built from a page's own environment never wait."""
    from lessonkit import identity

    lid, token = store.join("LIB3", display_name="Nina")
    asked: list[str] = []

    def request(settings):
        asked.append(identity._query_socket_url(settings))
        return {SESSION_ENV: token, "QUERY_STRING": ""}

    monkeypatch.setattr(identity, "wait_for_request", request)
    kernel = Settings.from_env({"VOILA_PREHEAT": "True", "VOILA_KERNEL_ID": "k-1", "VOILA_APP_PORT": "9000",
                                "VOILA_APP_IP": "0.0.0.0", "LESSONKIT_CLASS": "LIB3"})
    learner, code = resolve(kernel, store)
    assert asked == ["ws://127.0.0.1:9000/voila/query/k-1"]
    assert (learner.learner, learner.source, code) == (lid, "session", "LIB3")
    assert resolve({"VOILA_PREHEAT": "True", "LESSONKIT_CLASS": "LIB3"}, store) == (None, "LIB3")
    assert len(asked) == 1
    assert identity.query_string(kernel.with_request({"QUERY_STRING": "s=x"})) == "s=x"
    assert identity.query_string(Settings(query_string="s=x")) is None          # not under Voila: no page address


def test_session_tokens_carry_at_least_128_random_bits(store):
    tokens = {store.join("LIB3")[1] for _ in range(20)}
    assert len(tokens) == 20
    assert all(len(t) >= 43 for t in tokens)   # token_urlsafe(32): 256 bits in 43 characters


def test_joining_never_takes_a_classmates_made_up_name(store):
    first, _ = store.join("LIB3", learner="calm-koala-23")
    again, _ = store.join("LIB3", learner="calm-koala-23")      # a forged form proposing a classmate's id
    assert first == "calm-koala-23" and again != first and valid_learner_id(again)
    other_class, _ = store.join("LIB4", learner="calm-koala-23")
    assert other_class == "calm-koala-23"                        # ids are per class


def test_an_unreachable_store_is_not_a_new_learner():
    class Down:
        def session(self, token):
            raise StoreUnavailable("the class store could not be reached")

    with pytest.raises(StoreUnavailable):
        resolve({SESSION_ENV: "x" * 43}, Down())


def test_class_code_from_the_address_or_the_environment():
    assert class_from_query("class=lib3a") == "LIB3A"
    assert class_from_query("class=<b>") is None
    assert class_from_query("", default_class="abc123") == "ABC123"
    assert session_token({}, "s=abc") == ("abc", "link")
    assert session_token({SESSION_ENV: "tok"}, "s=abc") == ("tok", "session")


def test_hostile_display_name_is_kept_as_plain_text_and_trimmed():
    assert clean_display_name(HOSTILE) == HOSTILE  # escaped where shown
    assert clean_display_name("  a\n b  " + "x" * 100) == ("a b " + "x" * 100)[:40]
    assert clean_display_name("   ") is None
    # a right-to-left override would reverse every name drawn after it on a board
    assert clean_display_name("Sam\u202eevil\u2066x\u200f") == "Sam evil x"


# Every bidirectional control: embeddings and overrides, isolates, and the three direction marks.
BIDI = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)]


@pytest.mark.parametrize("mark", BIDI, ids=[f"U+{ord(c):04X}" for c in BIDI])
def test_no_stored_name_carries_a_direction_character(store, tmp_path, mark):
    import sqlite3

    assert clean_display_name(f"Nina{mark} Smith{mark}") == "Nina Smith"
    assert Learner("LIB3", "teal-wombat-42").with_display_name(f"{mark}Nina").name == "Nina"
    # the store cleans whatever a page (or a forged widget message) hands it, whichever way it joins
    store.set_display_name("LIB3", "teal-wombat-42", f"Nina{mark} Smith")
    joined, _token = store.join("LIB3", display_name=f"{mark}Ahmed")
    hub = store.join_account("LIB3", "jsmith", display_name=f"Bo{mark}{mark}")
    assert store.display_names("LIB3") == {"teal-wombat-42": "Nina Smith", joined: "Ahmed", hub: "Bo"}
    raw = sqlite3.connect(tmp_path / "unit.db")
    stored = [name for (name,) in raw.execute("SELECT display_name FROM lk_learners")]
    raw.close()
    assert sorted(stored) == ["Ahmed", "Bo", "Nina Smith"]


def test_a_name_stored_by_an_earlier_lessonkit_is_shown_without_them(store, tmp_path, colour_days):
    import sqlite3

    from lessonkit.pages import boards

    for learner, colour in (("teal-wombat-42", 0), ("calm-koala-23", 1), ("amber-emu-11", 2)):
        store.submit_many("LIB3", "colour-days", learner,
                          {colour_days.item(day): colour_days.colours[colour].name for day in colour_days.days})
    raw = sqlite3.connect(tmp_path / "unit.db")
    raw.execute("INSERT INTO lk_learners VALUES ('LIB3', 'teal-wombat-42', ?, '2026-01-01 00:00:00')",
                ("\u202eanaN\u202c",))
    raw.execute("INSERT INTO lk_learners VALUES ('LIB3', 'amber-emu-11', ?, '2026-01-01 00:00:00')", ("\u2067",))
    raw.commit()
    raw.close()
    assert store.display_names("LIB3") == {"teal-wombat-42": "anaN"}        # a name of marks only is no name
    assert {r["display_name"] for r in store.export_rows("LIB3")} == {"anaN", ""}
    assert {m.display_name for m in store.class_learners("LIB3")} == {"anaN", None}
    [board] = boards(colour_days, store, "LIB3", show_names=True, live=False)
    assert "anaN" in board.html and "Calm Koala 23" in board.html and "Amber Emu 11" in board.html
    assert not any(mark in board.html for mark in BIDI)


def test_pseudonyms_are_friendly_and_valid():
    rng = random.Random(1)
    ids = {new_learner_id(rng) for _ in range(50)}
    assert all(valid_learner_id(i) for i in ids) and len(ids) > 40
    assert pseudonym("teal-wombat-42") == "Teal Wombat 42"


def test_hub_user_becomes_a_stable_pseudonym_not_the_login():
    a = learner_id_for("jsmith@tafe.edu.au")
    assert a == learner_id_for("jsmith@tafe.edu.au") and a != learner_id_for("jdoe")
    assert "jsmith" not in a and valid_learner_id(a)
    learner, code = resolve({"JUPYTERHUB_USER": "jsmith", "LESSONKIT_CLASS": "LIB3"})
    assert learner.learner == learner_id_for("jsmith") and learner.source == "hub" and code == "LIB3"


def test_resolve_without_identity_asks_for_a_join_form():
    assert resolve({}) == (None, None)
    assert resolve({"LESSONKIT_CLASS": "lib3"}) == (None, "LIB3")
    assert Learner("LIB3", "teal-wombat-42").query() == ""


def test_a_hub_login_is_one_learner_without_a_class_setting(store):
    learner, code = resolve({"JUPYTERHUB_USER": "jsmith"}, store)     # no LESSONKIT_CLASS on this hub
    assert code == HUB_CLASS and learner.class_code == HUB_CLASS and learner.source == "hub"
    again, _ = resolve({"JUPYTERHUB_USER": "jsmith"}, store)          # another notebook, a kernel restart
    assert again.learner == learner.learner
    set_class, _ = resolve({"JUPYTERHUB_USER": "jsmith", "LESSONKIT_CLASS": "lib3"}, store)
    assert set_class.class_code == "LIB3"                                # the hub's configuration wins
    assert "jsmith" not in repr(store.classes())


def test_three_thousand_hub_logins_are_three_thousand_learners(store):
    logins = [f"staff{i:04d}@library.example.org.au" for i in range(3000)]
    ids = [store.join_account("LIB3", login) for login in logins]
    assert len(set(ids)) == 3000 and all(valid_learner_id(i) for i in ids)
    assert [store.join_account("LIB3", login) for login in logins[:50]] == ids[:50]   # stable


def test_two_logins_never_share_a_learner_even_when_their_labels_would(store, monkeypatch):
    import lessonkit.identity as identity

    monkeypatch.setattr(identity, "learner_id_for", lambda user: "calm-koala-23")   # every login hashes alike
    a, b = store.join_account("LIB3", "ana"), store.join_account("LIB3", "ben")
    assert a == "calm-koala-23" and b != a and valid_learner_id(b)
    assert store.join_account("LIB3", "ben") == b


def test_jupyterlab_remembers_the_learner_for_the_account(store, tmp_path):
    from lessonkit.pages import Page

    env = {"LESSONKIT_LEARNER_FILE": str(tmp_path / "me" / "learner.json")}   # JupyterLab: not under Voila
    first = Page(lambda learner: widgets.HTML(learner.name), store, env=env)
    assert first.join_form is not None
    first.join_form.class_code.value, first.join_form.display_name.value = "lib3", "Nina"
    first.join_form.join_button.click()
    assert first.learner.source == "remembered" and first.learner.query() == ""   # no secret in any link
    assert (tmp_path / "me" / "learner.json").stat().st_mode & 0o077 == 0          # this account only
    for _ in range(2):   # another notebook, then a kernel restart: the same learner, no form
        later = Page(lambda learner: widgets.HTML(learner.name), store, env=env)
        assert later.join_form is None and later.learner.learner == first.learner.learner
        assert later.learner.name == "Nina"
    other_store = ResponseStore(f"sqlite:///{tmp_path / 'other.db'}")
    assert Page(lambda learner: widgets.HTML(""), other_store, env=env).join_form is not None   # per store
    other_store.close()
    forget_remembered(store, env)
    assert Page(lambda learner: widgets.HTML(""), store, env=env).join_form is not None


def test_a_shared_voila_never_remembers_a_learner_for_the_trainers_account(store, tmp_path):
    from lessonkit.pages import Page

    served = {"LESSONKIT_LEARNER_FILE": str(tmp_path / "learner.json"), "SERVER_SOFTWARE": "voila/0.5.8"}
    page = Page(lambda learner: widgets.HTML(""), store, env=served)
    page.join_form.class_code.value = "LIB3"
    page.join_form.join_button.click()
    assert page.learner.source == "link" and not (tmp_path / "learner.json").exists()
    assert Page(lambda learner: widgets.HTML(""), store, env=served).join_form is not None   # the next student
    assert not may_remember(served) and may_remember({}) and may_remember({**served, "BINDER_REQUEST": "v2/gh/x"})
