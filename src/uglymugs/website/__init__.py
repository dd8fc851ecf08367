"""The public site: Pelican settings and theme live in ``site/``; :mod:`.build` builds them.

This package's ``__init__`` imports nothing: the member API's functions import
:mod:`uglymugs.website.member_forms` for the alert labels, and the Lambda layer holds
no Pelican (``tests/infra/test_packaging.py``).

>>> from uglymugs.website.build import build_site  # doctest: +SKIP
>>> build_site(Settings.from_env())  # doctest: +SKIP
PosixPath('.uglymugs/site')
"""
