"""`eenzaam` as the plain install runs it, without pyarrow (the extra `snel`), even where pyarrow is installed.

    python benchmarks/plain.py batch IN.csv -o OUT.csv --stil
"""

import sys

sys.modules["pyarrow"] = None  # importing pyarrow now fails, as where it is not installed: the row-by-row path

from eenzaam_cli.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
