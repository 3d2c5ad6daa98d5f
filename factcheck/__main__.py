"""Allow ``python -m factcheck``."""

from factcheck.entry import main

main()
