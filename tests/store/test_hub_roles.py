"""docs/jupyterhub.md's student role, run against a real server: students answer, only the owner runs the class."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from lessonkit.errors import ActivityLocked, StoreUnavailable
from lessonkit.store import ResponseStore
from tests.conftest import guide_grants

pytestmark = pytest.mark.postgres


def test_the_guides_student_role_can_answer_but_not_run_the_class(pg_store, pg_clean, pg_engine, pg_cluster):
    pg_store.submit("C1", "colour-days", "owner-seen-42", "monday", "Blue")  # the owner's first use makes the tables
    role, password = f"lk_student_{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    database = sa.make_url(pg_clean).database
    pg_cluster.sql(f"CREATE ROLE {role} LOGIN PASSWORD '{password}';")
    student = ResponseStore(sa.make_url(pg_clean).set(username=role, password=password)
                            .render_as_string(hide_password=False))
    try:
        with pg_engine.begin() as conn:  # as the tables' owner: exactly the guide's grants
            for statement in guide_grants():
                conn.exec_driver_sql(statement.replace("lessonkit_student", role))

        student.set_display_name("C1", "teal-wombat-42", "Sam")
        student.submit_many("C1", "colour-days", "teal-wombat-42", {"monday": "Red", "tuesday": "Blue"})
        student.submit("C1", "colour-days", "teal-wombat-42", "monday", "Green")  # a resubmission updates
        assert student.answers_for("C1", "colour-days", "teal-wombat-42") == {"monday": "Green", "tuesday": "Blue"}
        assert student.version("C1", "colour-days")[0] == 3
        assert {a.learner for a in student.current("C1", "colour-days")} == {"owner-seen-42", "teal-wombat-42"}
        assert student.display_names("C1") == {"teal-wombat-42": "Sam"}
        assert student.learner_activities("C1", "teal-wombat-42") == {"colour-days"}

        pg_store.lock("C1", "colour-days")
        assert student.locked("C1") == {"colour-days"}
        with pytest.raises(ActivityLocked):
            student.submit("C1", "colour-days", "teal-wombat-42", "monday", "Red")
        pg_store.set_pace("C1", activity="colour-days")                 # the trainer moves the class ...
        assert student.pace("C1").activity == "colour-days"            # ... and students' pages follow
        learner, token = student.join("C1", display_name="Ana")        # joining without a hub login
        assert student.session(token) == ("C1", learner)
        hub = student.join_account("C1", "alice@library.example")          # a hub login: the same learner ...
        assert student.join_account("C1", "alice@library.example") == hub  # ... every time
        assert student.join_account("C1", "bob@library.example") not in (hub, learner)
        for refused in (lambda: student.set_pace("C1", activity="legislation"),
                        lambda: student.unlock("C1", "colour-days"), lambda: student.lock("C1", "other"),
                        lambda: student.reset("C1", "colour-days"),
                        lambda: student.delete_learner("C1", "owner-seen-42"), lambda: student.purge(0)):
            with pytest.raises(StoreUnavailable):
                refused()
        assert pg_store.locked("C1") == {"colour-days"}
        assert len(pg_store.current("C1", "colour-days")) == 3
    finally:
        student.close()
        pg_cluster.sql(f"DROP OWNED BY {role}; DROP ROLE {role};", database=database)
