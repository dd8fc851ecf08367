"""uglymugs: software for an Ugly Mugs scheme.

Reports are sealed in the reporter's browser and read only by staff; alerts are
sanitised, signed and sent to members. See ``README.md`` and ``docs/``.
"""

__version__ = "0.1.0"
