"""``python -m spindetect`` runs the command line."""

from .cli import main

main()
