"""``python -m summarizer``: the same as the ``summarizer`` command."""

import sys

from summarizer.cli import main

sys.exit(main())
