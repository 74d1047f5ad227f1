"""What a Voila serving lessons may send: the same rules for `lessonkit serve` (lessonkit.server.launch) and for
Binder's Voila (lessonkit.lab installs them), so a class's database, content and notebooks are never files to fetch."""

from __future__ import annotations

__all__ = ["FILE_ALLOWLIST", "FILE_DENYLIST", "PAGE_EXTENSIONS"]

# only pictures and clips may be fetched as files
FILE_ALLOWLIST = [r".*\.(png|jpg|jpeg|gif|svg|webp|mp4|webm|ogg|mp3)"]
FILE_DENYLIST = [r".*\.(db|sqlite|sqlite3|db-wal|db-shm|yaml|yml|csv|py|json|env|cfg|toml)", r"(^|.*/)\..*"]
# the widget managers a page needs; other extensions' scripts (plotly's 4.7 MB) are not sent
PAGE_EXTENSIONS = ("@jupyter-widgets/jupyterlab-manager", "@voila-dashboards/widgets-manager8",
                   "@voila-dashboards/widgets-manager7")
