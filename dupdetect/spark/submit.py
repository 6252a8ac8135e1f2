"""`spark-submit` entry script: `spark-submit [options] path/to/submit.py INPUT OUTPUT [flags]`.

spark-submit runs a Python file, not a console script, so this file hands its arguments to
`dupdetect spark-scan` unchanged; find its path with
`python -c "import dupdetect.spark.submit as s; print(s.__file__)"`.
"""

from __future__ import annotations

import sys


def main() -> None:
    from dupdetect.cli import app

    app(["spark-scan", *sys.argv[1:]], prog_name="dupdetect spark-scan")


if __name__ == "__main__":
    main()
