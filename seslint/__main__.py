"""`python -m seslint` runs the command line."""

import sys

from seslint.cli import main

sys.exit(main())
