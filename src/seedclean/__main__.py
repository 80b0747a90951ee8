"""``python -m seedclean``: the command line."""

import sys

from seedclean.cli import main

sys.exit(main())
