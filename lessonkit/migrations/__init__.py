"""The class store's schema history as Alembic migrations: versions/NNNN_<what>.py, oldest first.

Every change to the store's tables (lessonkit/store/tables.py) ships as a new revision here; a test fails
when the tables in store/tables.py and the newest revision disagree. See lessonkit/migrate.py.
"""
