"""The static export: the public diary as a folder of files (``clipdiary build``)."""

from clipdiary.site.build import BuildOptions, BuildReport, build_site

__all__ = ["BuildOptions", "BuildReport", "build_site"]
