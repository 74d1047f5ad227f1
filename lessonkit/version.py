"""This lessonkit's version (pyproject.toml's), importable without importing the package's entry points."""

__version__ = "0.2.0"
