"""`python -m dupdetect` runs the command line."""

from dupdetect.cli import app

app()
