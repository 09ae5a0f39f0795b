"""`python -m woonplan` works like the `woonplan` command."""

from woonplan.cli import main

main()
