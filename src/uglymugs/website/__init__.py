"""The public site: Pelican settings and theme live in ``site/``; this builds them.

>>> from uglymugs.website import build_site  # doctest: +SKIP
>>> build_site(Settings.from_env())  # doctest: +SKIP
PosixPath('.uglymugs/site')
"""

from uglymugs.website.build import SiteBuildError, build_site

__all__ = ["SiteBuildError", "build_site"]
