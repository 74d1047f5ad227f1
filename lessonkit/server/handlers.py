"""The serving process's request handlers for sessions: join, leave, the render gate, kernels' owners.

Voila's own handlers are replaced by subclasses that first check the session cookie (see sessions.py);
on the trainer's own Voila (no sessions) they behave exactly as Voila's.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

import tornado.web
from jupyter_core.utils import ensure_async
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.services.kernels.handlers import KernelHandler
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from ..identity import clean_display_name, normalise_class_code, pseudonym, valid_learner_id
from .sessions import KERNEL_HEADER, OWNER, Sessions, join_url, render_page, safe_next

__all__ = ["JoinHandler", "LeaveHandler", "SessionRenderHandler", "SessionShutdownHandler", "LearnerKernelSocket",
           "OwnerKernelHandler"]

MESSAGES = {   # the join page says one of these; never text taken from the address
    "link": "That personal link is not valid any more. Join again below, or ask your trainer.",
    "left": "You have left the lesson on this device. To come back as yourself, open your personal link.",
    "class": "That is not the code of the class being taught here. Check the code your trainer shows.",
    "expired": "Your place in this class was not found (the trainer may have removed it). Join again below.",
}


def _sessions(handler: tornado.web.RequestHandler) -> Sessions | None:
    return handler.settings.get("lessonkit_sessions")


def _token(handler: tornado.web.RequestHandler, sessions: Sessions) -> str | None:
    return handler.get_cookie(sessions.settings.cookie)


def _set_session_cookie(handler: tornado.web.RequestHandler, sessions: Sessions, token: str) -> None:
    days = sessions.settings.keep_days or 365
    handler.set_cookie(sessions.settings.cookie, token, httponly=True, samesite="Lax", path="/",
                       expires_days=days, secure=handler.request.protocol == "https")


def _session_page(handler: JupyterHandler, sessions: Sessions) -> str:
    return handler.base_url.rstrip("/") + f"/voila/render/{sessions.settings.session_notebook}"


def _page(handler: JupyterHandler, template: str, status: int = 200, **values: Any) -> None:
    handler.set_status(status)
    handler.set_header("Content-Type", "text/html; charset=UTF-8")
    handler.set_header("Cache-Control", "no-store")
    handler.finish(render_page(template, base=handler.base_url.rstrip("/") + "/",
                               xsrf=handler.xsrf_form_html(), **values))


class _OwnPage(JupyterHandler):
    """A page this server draws itself; its errors too (Jupyter's error page needs files Voila does not serve)."""

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        reason = {400: "The form could not be read: reload the page and try again.",
                  403: "This page was opened from somewhere else: reload it and try again.",
                  404: "There is no such page here."}.get(status_code, "Something went wrong on the lesson's computer.")
        self.set_status(status_code)
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.finish(render_page("error.html", base=self.base_url.rstrip("/") + "/", status=status_code, reason=reason))


class JoinHandler(_OwnPage):
    """The join page: class code, optional name, a made-up name; joining sets the session cookie."""

    async def get(self) -> None:
        sessions = _sessions(self)
        if sessions is None:   # the trainer's Voila: no joining here
            raise tornado.web.HTTPError(404)
        next_path = safe_next(self.base_url, self.get_query_argument("next", None), _session_page(self, sessions))
        if await sessions.who(_token(self, sessions)):   # already in this class: straight back in
            self.redirect(next_path)
            return
        code = normalise_class_code(self.get_query_argument("class", "")) or ""
        await self._form(sessions, code=code, name="", next_path=next_path,
                         message=MESSAGES.get(self.get_query_argument("m", ""), ""))

    async def post(self) -> None:
        sessions = _sessions(self)
        if sessions is None:
            raise tornado.web.HTTPError(404)
        next_path = safe_next(self.base_url, self.get_body_argument("next", None), _session_page(self, sessions))
        typed_code = self.get_body_argument("class", "")
        name = clean_display_name(self.get_body_argument("name", "")) or ""
        if self.get_body_argument("another", ""):
            await self._form(sessions, code=typed_code[:12], name=name, next_path=next_path)
            return
        if await sessions.who(_token(self, sessions)):
            self.redirect(next_path)
            return
        code = normalise_class_code(typed_code)
        if code != sessions.settings.class_code:
            await self._form(sessions, code=typed_code[:12], name=name, next_path=next_path,
                             message=MESSAGES["class"], status=400)
            return
        proposed = self.get_body_argument("learner", "")
        learner, token = await sessions.join(proposed if valid_learner_id(proposed) else None, name or None)
        _set_session_cookie(self, sessions, token)
        self.redirect(next_path)

    async def _form(self, sessions: Sessions, *, code: str, name: str, next_path: str, message: str = "",
                    status: int = 200) -> None:
        learner = await sessions.propose_learner()
        _page(self, "join.html", status, class_code=code, name=name, next=next_path, learner=learner,
              made_up=pseudonym(learner), message=message)


class LeaveHandler(_OwnPage):
    """Leave the lesson on this device (a shared library computer): the cookie goes, the session ends."""

    async def get(self) -> None:
        sessions = _sessions(self)
        if sessions is None:
            raise tornado.web.HTTPError(404)
        _page(self, "leave.html", back=_session_page(self, sessions))

    async def post(self) -> None:
        sessions = _sessions(self)
        if sessions is None:
            raise tornado.web.HTTPError(404)
        token = _token(self, sessions)
        if token:
            for kid in sessions.kernels_of(token):
                sessions.forget(kid)
                try:
                    await self.kernel_manager.shutdown_kernel(kid)
                except (KeyError, RuntimeError):
                    pass
            await sessions.leave(token)
        self.clear_cookie(sessions.settings.cookie, path="/")
        self.redirect(join_url(self.base_url, message="left"))


class SessionRenderHandler(TornadoVoilaHandler):
    """Voila's page handler behind the session cookie: no session, no kernel (the join page instead)."""

    @tornado.web.authenticated
    async def get(self, path: str | None = None) -> None:
        sessions = _sessions(self)
        if sessions is None:
            self.request.headers.pop(KERNEL_HEADER, None)
            await super().get(path)
            return
        if not await self._exists(path):   # a page that is not served is "not found", join or no join
            raise tornado.web.HTTPError(404)
        link = self.get_query_argument("s", None)
        if link is not None:   # a personal link: trade it for the cookie, and keep the secret out of the address
            if await sessions.who(link):
                _set_session_cookie(self, sessions, link)
                rest = [(k, v) for k, v in parse_qsl(self.request.query) if k != "s"]
                self.redirect(self.request.path + (f"?{urlencode(rest)}" if rest else ""))
            else:
                self.redirect(join_url(self.base_url, message="link"))
            return
        token = _token(self, sessions)
        if not token or not await sessions.who(token):
            if token:
                self.clear_cookie(sessions.settings.cookie, path="/")
            code = normalise_class_code(self.get_query_argument("class", "") or "")
            self.redirect(join_url(self.base_url, next_path=self.request.path, class_code=code,
                                   message="expired" if token else None))
            return
        refused = await sessions.admit(token, self.kernel_manager)
        if refused:
            _page(self, "full.html", 503, reason=refused, back=_session_page(self, sessions))
            return
        _ = self.xsrf_token   # reading it sets the _xsrf cookie Voila's page sends when it closes (voila#1458)
        self.request.headers[KERNEL_HEADER] = token   # replaces whatever the browser sent
        reset = OWNER.set(token)
        try:
            await super().get(path)
        finally:
            OWNER.reset(reset)

    async def _exists(self, path: str | None) -> bool:
        if not path:
            return True
        try:
            return bool(await ensure_async(self.contents_manager.file_exists(path)))
        except tornado.web.HTTPError:   # e.g. a path outside the served folder
            return False


class SessionShutdownHandler(VoilaShutdownKernelHandler):
    """A closing page shuts its kernel down; only the session that owns the kernel may."""

    @tornado.web.authenticated
    async def post(self, kernel_id: str) -> None:
        sessions = _sessions(self)
        if sessions is None:
            await super().post(kernel_id)
            return
        if not sessions.owns(_token(self, sessions), kernel_id):
            raise tornado.web.HTTPError(403)
        sessions.forget(kernel_id)
        sessions.closing.put(self.kernel_manager, kernel_id)   # in turn: a class may close all its tabs at once
        self.set_status(204)
        self.finish()


class OwnerKernelHandler(KernelHandler):
    """/api/kernels/<id>: the widget manager reads its kernel's model; only the owner may delete it."""

    # KernelHandler's get and delete are coroutines, but tornado's @authenticated types its result as
    # "Awaitable | None", so mypy is told they are awaitable.
    async def get(self, kernel_id: str) -> None:
        self._check(kernel_id)
        await super().get(kernel_id)  # type: ignore[misc]

    async def delete(self, kernel_id: str) -> None:
        self._check(kernel_id)
        await super().delete(kernel_id)  # type: ignore[misc]

    def _check(self, kernel_id: str) -> None:
        sessions = _sessions(self)
        if sessions is not None and not sessions.owns(_token(self, sessions), kernel_id):
            raise tornado.web.HTTPError(403)


class LearnerKernelSocket(VoilaKernelWebsocketHandler):
    """The page's websocket to its kernel: only its owner connects, and what the page sends is activity."""

    async def get(self, kernel_id: str) -> None:
        sessions = _sessions(self)
        if sessions is not None and not sessions.owns(_token(self, sessions), kernel_id):
            raise tornado.web.HTTPError(403)
        await super().get(kernel_id)

    def on_message(self, ws_message: Any) -> None:
        # Culling counts what the learner does (messages from the page), never the kernel's own redraws.
        sessions = _sessions(self)
        if sessions is not None:
            sessions.touch(self.kernel_id)
        record = getattr(self.kernel_manager, "record_learner_activity", None)
        if record is not None:
            record(self.kernel_id)
        super().on_message(ws_message)
