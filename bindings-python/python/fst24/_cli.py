"""The ``fst24`` console script: runs the Rust command line shipped inside the extension."""

import sys

from ._fst24 import cli_main


def main() -> int:
    """Runs ``fst24`` with the process's arguments and exits with its status."""
    sys.stdout.flush()
    sys.stderr.flush()
    status = cli_main(["fst24", *sys.argv[1:]])
    sys.exit(status)


if __name__ == "__main__":
    main()
