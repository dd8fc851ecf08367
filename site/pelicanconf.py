"""Pelican settings for the public site: pages only, our own theme, nothing off-site.

`uglymugs build` reads this file and overrides OUTPUT_PATH and the report key; run it
rather than `pelican` so the scripts are bundled and keys.json is written.
"""

from __future__ import annotations

from pathlib import Path

from uglymugs.i18n import N_
from uglymugs.website import pelican_plugin

SITENAME = "Ugly Mugs"
SITEURL = ""  # root-relative links only: the site never names its own origin
RELATIVE_URLS = False
TIMEZONE = "Europe/London"
DEFAULT_LANG = "en"

PATH = "content"
PAGE_PATHS = ["pages"]
ARTICLE_PATHS: list[str] = []
STATIC_PATHS: list[str] = []
THEME = "themes/uglymugs"
THEME_STATIC_DIR = "theme"
THEME_STATIC_PATHS = ["static"]
PLUGINS = [pelican_plugin]

JINJA_ENVIRONMENT = {
    "extensions": ["jinja2.ext.i18n"],
    "autoescape": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
}

# Pages only, at directory-style URLs. No articles, feeds, tags, categories, authors
# or archives: nothing is generated that the scheme did not write on purpose.
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
PAGE_LANG_URL = "{lang}/{slug}/"
PAGE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
DRAFT_PAGE_SAVE_AS = ""
DRAFT_PAGE_LANG_SAVE_AS = ""
ARTICLE_SAVE_AS = ""
ARTICLE_LANG_SAVE_AS = ""
DRAFT_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""
DIRECT_TEMPLATES: list[str] = []
INDEX_SAVE_AS = ""
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
DISPLAY_PAGES_ON_MENU = False
DISPLAY_CATEGORIES_ON_MENU = False
SUMMARY_MAX_LENGTH = None
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
DELETE_OUTPUT_DIRECTORY = False  # build.py empties the output directory itself

# The site's own address, only for what must be absolute: the language alternates
# search engines read. `uglymugs build` sets it from UGLYMUGS_SITE_URL (the address
# `uglymugs dev` serves at, locally). Every link a person follows stays root-relative.
PUBLIC_URL = "http://127.0.0.1:8000"

# Pages search engines are asked not to list: the member area and the forms (nothing
# to find there, and a form in search results invites a report out of context).
NOINDEX_PAGES = (
    "report",
    "blank-form",
    "members",
    "members-join",
    "members-set-password",
    "members-tokens",
    "partners-submit",
    "report-police",
    "not-found",
)

# What a search result or a link preview says of each public page, in its language.
PAGE_DESCRIPTIONS = {
    "home": N_(
        "Report a dangerous client in confidence and warn other sex workers. "
        "Alerts, safety advice and support contacts."
    ),
    "contacts": N_(
        "Emergency and support phone numbers in the UK, local support projects "
        "near you, and how to contact the scheme."
    ),
    "safety": N_(
        "Practical safety advice for sex workers: before, during and after a booking, "
        "and what to do if something happens."
    ),
    "how-to-report": N_(
        "How to report a dangerous client to the scheme: the kinds of report, "
        "what happens to your report and who sees it."
    ),
    "privacy": N_(
        "How the scheme handles your information: what is kept, who can read it, "
        "and what is never collected."
    ),
    "join": N_(
        "Join the scheme to get alerts about dangerous clients by e-mail, text or "
        "online, and to check a client's details before a booking."
    ),
    "members-terms": N_("The terms of membership and the code of conduct of the scheme."),
    "device": N_(
        "Settings for this device: a dark theme, a discreet app name, and clearing "
        "everything this site stored."
    ),
}

# The local support directory (support/*.yaml at the top of the repository), checked
# like `uglymugs support check`, listed on the contacts page and kept offline with it.
SUPPORT_DIRECTORY = str(Path(__file__).resolve().parent.parent / "support")

# Where the quick-exit button goes: a neutral, everyday site.
QUICK_EXIT_URL = "https://www.bbc.co.uk/weather"

# Pages (by slug, in every language) that the service worker keeps for use offline,
# with everything they load. See uglymugs.website.offline.
OFFLINE_PAGES = (
    "home",
    "contacts",
    "safety",
    "how-to-report",
    "privacy",
    "device",
    "report",
    "members",
)

# Where the report form posts its sealed report (same origin).
REPORT_API_URL = "/api/reports"
# Set by `uglymugs build` from the keys directory: {"key_id": ..., "public_key": ...}.
REPORT_KEY = None

# The member area and its API (same origin).
MEMBERS_API_URL = "/api"
# Set by `uglymugs build` from the keys directory: {"key_id": ..., "verify_key": ...}.
# The member area verifies every alert bundle with this key before showing an alert.
BUNDLE_KEY = None

# The scheme's own details. LEFT BLANK ON PURPOSE: the scheme fills these in before
# going live. A blank shows as "not yet set" on the site, never as an invented value.
SCHEME_PHONE = ""
SCHEME_EMAIL = ""
SCHEME_HOURS = ""

# Emergency and support numbers, exactly as in the shared contacts list (checked
# November 2026; confirm again before going live). Never add a number that has not
# been checked against its public source. (who, number as shown, tel: digits, when)
CONTACTS = (
    (N_("Police, ambulance, fire — emergency"), N_("999 (112 also works)"), "999", N_("24/7")),
    (N_("Police — non-emergency"), "101", "101", N_("24/7")),
    (N_("Crimestoppers — anonymous crime reporting"), "0800 555 111", "0800555111", N_("24/7")),
    (N_("Samaritans"), "116 123", "116123", N_("24/7, free")),
    (
        N_("Rape Crisis England & Wales 24/7 Support Line (16+)"),
        "0808 500 2222",
        "08085002222",
        N_("24/7, free"),
    ),
    (N_("National Domestic Abuse Helpline"), "0808 2000 247", "08082000247", N_("24/7, free")),
    (N_("Childline (under 19)"), "0800 1111", "08001111", N_("24/7, free")),
    (N_("NHS non-emergency medical help"), "111", "111", N_("24/7")),
)
