"""Entry point for `python -m djxz`."""

from djxz.cli import main

main()
