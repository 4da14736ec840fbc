"""`python -m seslint` runs the command line."""

import sys

from seslint.launch import main

sys.exit(main())
