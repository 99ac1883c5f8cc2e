"""The FastAPI application: it only assembles the parts."""

from __future__ import annotations

from importlib.resources import files

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from clipdiary import __version__
from clipdiary.pages import PageBuilder
from clipdiary.store import Store
from clipdiary.urls import Urls
from clipdiary.web import (
    api,
    api_docs,
    archive,
    clips,
    feeds,
    imports,
    media,
    owner,
    reader,
    stories,
    stories_api,
    story_forms,
    token_forms,
)
from clipdiary.web.auth import SESSION_COOKIE, SESSION_MAX_AGE, sync_store
from clipdiary.web.body_guard import BodyGuardMiddleware
from clipdiary.web.conditional import ConditionalGetMiddleware
from clipdiary.web.errors import install_error_handlers
from clipdiary.web.head import HeadAsGetMiddleware
from clipdiary.web.login_guard import LoginGuard
from clipdiary.web.nul_guard import NulGuardMiddleware
from clipdiary.web.pagecache import PageCache
from clipdiary.web.search import router as search_router
from clipdiary.web.security_headers import SecurityHeadersMiddleware


def create_app(store: Store, *, secure_cookies: bool = False) -> FastAPI:
    app = FastAPI(
        title=f"clipdiary: {store.diary.title}",
        version=__version__,
        description="Read a clipdiary's entries; write them with an API token.",
        docs_url=None,  # our own /api/docs (api_docs.py) works without a network
        redoc_url=None,
        redirect_slashes=False,
        dependencies=[Depends(sync_store)],
    )
    app.state.store = store
    app.state.pages = PageBuilder(store, Urls())
    app.state.page_cache = PageCache()
    app.state.login_guard = LoginGuard()
    # Inside the session middleware: it refuses a body before reading it (body_guard.py).
    app.add_middleware(BodyGuardMiddleware)
    app.add_middleware(
        SessionMiddleware,
        secret_key=store.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE,
        same_site="lax",
        https_only=secure_cookies,
    )
    # The bookmarklet posts from the article's site. Cross-origin requests carry no cookies
    # (allow_credentials is off), so they can only act through an API token.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST"],
        allow_headers=["Authorization", "Content-Type"],
        allow_credentials=False,
    )
    static = files("clipdiary.pages").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.add_middleware(ConditionalGetMiddleware)
    app.add_middleware(NulGuardMiddleware)  # a %00 never reaches the database
    app.add_middleware(HeadAsGetMiddleware)  # a HEAD is a GET from here on
    app.add_middleware(SecurityHeadersMiddleware)  # outermost: on every answer
    install_error_handlers(app)
    app.include_router(api.router)
    app.include_router(stories_api.router)
    app.include_router(api_docs.router)
    app.include_router(clips.router)
    app.include_router(imports.router)
    app.include_router(owner.router)
    app.include_router(token_forms.router)
    app.include_router(search_router)  # before reader, whose /{key} would take /search
    app.include_router(feeds.router)  # before reader, whose /category/{name:path} would take it
    app.include_router(story_forms.router)
    app.include_router(stories.router)  # before reader, whose /{day}/{name} would take /story/s1
    app.include_router(media.router)  # before reader, whose /{day}/{name} would take /media/…
    app.include_router(archive.router)
    app.include_router(reader.router)
    return app
