"""`python -m register` runs the command line, like the `register` script."""

from register.cli import main

main()
