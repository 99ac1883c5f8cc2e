"""clipdiary: a self-hosted news-clipping diary."""

__version__ = "0.1.0"
