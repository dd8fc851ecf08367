"""Consented, anonymised sharing with partners (SCAS, police, support services).

:mod:`~uglymugs.sharing.partners` reads and checks the partner directory kept in git
(``partners/*.yaml``); :mod:`~uglymugs.sharing.rules` is the one rule set saying what
may go to whom; :mod:`~uglymugs.sharing.packets` builds a packet and encrypts it to a
partner's age recipient. ``docs/sharing.md`` documents the packet; ``docs/partners.md``
tells a police analyst how to open one.
"""
