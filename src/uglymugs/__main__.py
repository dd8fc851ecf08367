"""Allow ``python -m uglymugs``."""

from uglymugs.cli import main

raise SystemExit(main())
