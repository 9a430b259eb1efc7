"""`python -m carecheck`."""

from carecheck.cli import main

main()
