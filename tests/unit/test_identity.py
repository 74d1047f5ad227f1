"""Identity: query string, hub user, join form; nothing the browser sends is trusted blindly."""

from __future__ import annotations

import random

from lessonkit.identity import (Learner, clean_display_name, from_query, learner_id_for, new_learner_id, pseudonym,
                                resolve, valid_learner_id)


def test_query_string_gives_learner_and_class():
    learner, code = from_query("class=lib3a&learner=teal-wombat-42&name=Sam%20Lee")
    assert code == "LIB3A"
    assert learner == Learner("LIB3A", "teal-wombat-42", "Sam Lee", "link")
    assert learner.name == "Sam Lee" and learner.pseudonym == "Teal Wombat 42"
    assert "learner=teal-wombat-42" in learner.query() and "class=LIB3A" in learner.query()


def test_bad_learner_or_class_in_query_is_not_trusted():
    assert from_query("class=LIB3&learner=../../etc") == (None, "LIB3")
    assert from_query("class=<b>&learner=teal-wombat-42") == (None, None)
    assert from_query("learner=teal-wombat-42", default_class="abc123") == (
        Learner("ABC123", "teal-wombat-42", None, "link"), "ABC123")


def test_hostile_display_name_is_kept_as_plain_text_and_trimmed():
    learner, _ = from_query("class=LIB3&learner=teal-wombat-42&name=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")
    assert learner.display_name == "<img src=x onerror=alert(1)>"  # escaping happens where it is shown
    assert clean_display_name("  a\n b  " + "x" * 100) == ("a b " + "x" * 100)[:40]
    assert clean_display_name("   ") is None


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
    learner, _ = resolve({"QUERY_STRING": "class=LIB3&learner=amber-quokka-17"})
    assert learner.learner == "amber-quokka-17"
