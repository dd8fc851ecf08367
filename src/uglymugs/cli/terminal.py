"""Printing data that strangers typed: as literal Rich text, control characters escaped.

Rich reads a plain ``str`` as markup, and ``[link=https://…]`` in an applicant's
organisation would become a clickable link in a staff terminal; a :class:`Text` is
never read as markup. Every cell and line that holds member, report or alert data goes
through :func:`plain`, which escapes it with :func:`uglymugs.safe_text.for_terminal`.

    table.add_row(plain(member.username), plain(member.organisation or ""))
"""

from __future__ import annotations

from rich.text import Text

from uglymugs.safe_text import for_terminal


def plain(value: object, *, style: str = "", keep_newlines: bool = False) -> Text:
    """``value`` as literal text: no markup, terminal controls shown as escapes.

    A :class:`Text` built by the command itself (a styled label) is kept as it is.
    """
    if isinstance(value, Text):
        return value
    return Text(for_terminal(str(value), keep_newlines=keep_newlines), style=style)
