"""The bundle's entry script (packaging/annotator.spec): the ``annotator`` command, exactly as
``pip install`` makes it (``annotator.cli:main``)."""
import multiprocessing
import sys

from annotator.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a frozen program must call it before anything else (Windows)
    sys.exit(main(prog_name="annotator"))
