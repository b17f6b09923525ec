"""`python main.py [options]` is `kiosk run [options]`."""

import sys

from kiosk.cli import main

if __name__ == "__main__":
    sys.exit(main(["run", *sys.argv[1:]]))
