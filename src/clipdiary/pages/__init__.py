"""The pages a reader sees, built from the store through Jinja2 templates."""

from clipdiary.pages.builder import PageBuilder, Viewer

__all__ = ["PageBuilder", "Viewer"]
