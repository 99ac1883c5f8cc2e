"""The live diary: pages, the JSON API and the owner's login and forms (FastAPI)."""

from clipdiary.web.app import create_app

__all__ = ["create_app"]
