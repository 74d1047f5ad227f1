"""Where the lesson runs besides `lessonkit serve`: links that open it on Binder or on a JupyterHub.

docs/jupyterhub.md is the hub guide. The README prints a Binder link for one's own copy with `binder_url()`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import quote, urlencode, urlsplit

from .settings import BINDER_ENV, Settings

__all__ = ["BINDER_ENV", "OVERVIEW", "binder_url", "nbgitpuller_url", "on_binder"]

# The page a link opens by default: the session overview, which links to every activity.
OVERVIEW = "notebooks/00-overview.ipynb"

_GITHUB_REPO = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")


def on_binder(settings: Settings | Mapping[str, str]) -> bool:
    """True in a Binder session (mybinder.org or another BinderHub; settings.BINDER_ENV)."""
    return Settings.of(settings).binder


def binder_url(repo: str, ref: str = "HEAD", page: str = OVERVIEW) -> str:
    """The mybinder.org link that builds GitHub `repo` ("owner/name") at `ref` and opens `page` in Voila."""
    if not isinstance(repo, str) or not _GITHUB_REPO.fullmatch(repo):
        raise ValueError(f"repo must be a GitHub 'owner/name', got {repo!r}")
    if not isinstance(ref, str) or not ref.strip() or any(c.isspace() for c in ref):
        raise ValueError(f"ref must be a branch, tag or commit without spaces, got {ref!r}")
    return (f"https://mybinder.org/v2/gh/{repo}/{quote(ref, safe='')}"
            f"?urlpath={quote(_voila_path(page), safe='')}")


def nbgitpuller_url(hub: str, repo: str, *, branch: str = "main", page: str = OVERVIEW,
                    folder: str | None = None) -> str:
    """A link that makes JupyterHub `hub` pull git `repo` into the user's home and open `page` in Voila.

    nbgitpuller clones into a folder named after the repository (or `folder`), so the page opens at
    voila/render/<folder>/<page>. Each value is URL-encoded.
    """
    parts = urlsplit(hub.strip() if isinstance(hub, str) else "")
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"hub must be the hub's address, e.g. https://hub.example.org, got {hub!r}")
    if not isinstance(repo, str) or urlsplit(repo).scheme not in ("http", "https", "ssh", "git"):
        raise ValueError(f"repo must be a git URL such as https://github.com/OWNER/lessonkit, got {repo!r}")
    if not isinstance(branch, str) or not branch.strip():
        raise ValueError(f"branch must be a branch name, got {branch!r}")
    default_folder = repo.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
    target = folder or default_folder
    if not target or "/" in target or target in (".", ".."):
        raise ValueError(f"folder must be one folder name, got {target!r}")
    params = {"repo": repo, "urlpath": _voila_path(f"{target}/{page}"), "branch": branch}
    if target != default_folder:
        params["targetpath"] = target
    base = f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"
    return f"{base}/hub/user-redirect/git-pull?{urlencode(params, quote_via=quote, safe='')}"


def _voila_path(page: str) -> str:
    """voila/render/<page>, for a notebook path relative to the server's root."""
    if (not isinstance(page, str) or not page.endswith(".ipynb") or page.startswith("/")
            or any(part in ("", ".", "..") for part in page.split("/"))):
        raise ValueError(f"page must be a notebook path such as {OVERVIEW!r}, got {page!r}")
    return f"voila/render/{page}"
