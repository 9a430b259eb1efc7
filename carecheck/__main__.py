"""`python -m carecheck`."""

from carecheck.cli.main import main

main()
