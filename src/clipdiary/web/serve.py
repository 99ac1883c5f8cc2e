"""Running the live diary with uvicorn, in one process or several."""

from __future__ import annotations

import os
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from clipdiary.store import open_store
from clipdiary.web.app import create_app
from clipdiary.web.listen import check_can_listen

# Several worker processes each open the diary themselves; these variables tell them which.
_ENV_FOLDER = "CLIPDIARY_SERVE_FOLDER"
_ENV_DB = "CLIPDIARY_SERVE_DB"
_ENV_NAME = "CLIPDIARY_SERVE_NAME"
_ENV_SECURE = "CLIPDIARY_SERVE_SECURE_COOKIES"


def app_from_environment() -> FastAPI:
    folder = os.environ.get(_ENV_FOLDER)
    store = open_store(
        Path(folder) if folder else None,
        os.environ.get(_ENV_DB) or None,
        os.environ.get(_ENV_NAME) or None,
    )
    return create_app(store, secure_cookies=os.environ.get(_ENV_SECURE) == "1")


def run(
    folder: Path | None,
    db_url: str | None,
    diary_name: str | None,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    secure_cookies: bool = False,
    behind_proxy: str | None = None,
    access_log: bool = True,
) -> None:
    # Open once here so a wrong path or address, or a busy port, fails now in one line.
    check_can_listen(host, port)
    # The client's address (login limits) and scheme (Secure cookies) come from the
    # connection, unless a proxy named here forwards them.
    proxy = (
        {"proxy_headers": True, "forwarded_allow_ips": behind_proxy}
        if behind_proxy
        else {"proxy_headers": False}
    )
    store = open_store(folder, db_url, diary_name)
    if workers == 1:
        app = create_app(store, secure_cookies=secure_cookies)
        uvicorn.run(app, host=host, port=port, access_log=access_log, log_level="info", **proxy)
        return
    store.database.close()
    os.environ[_ENV_FOLDER] = str(folder) if folder else ""
    os.environ[_ENV_DB] = db_url or ""
    os.environ[_ENV_NAME] = diary_name or ""
    os.environ[_ENV_SECURE] = "1" if secure_cookies else ""
    uvicorn.run(
        "clipdiary.web.serve:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=access_log,
        log_level="info",
        **proxy,
    )
