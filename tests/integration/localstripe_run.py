"""Run localstripe with its store in a file of our choosing.

localstripe (PyPI) keeps its whole state in `/tmp/localstripe.pickle`, a path written into its
code and shared by every process on the machine: two test sessions (parallel CI jobs, two
developers) would read and wipe each other's objects. This runner points the store at the file
named by `--store` (a per-session temporary directory) and starts localstripe's own server from
scratch; nothing else of localstripe is changed.

    python -m tests.integration.localstripe_run --port 8420 --store /tmp/pytest-xyz/localstripe.pickle
"""
from __future__ import annotations

import argparse
import pickle
import sys


def isolate(path: str) -> None:
    from localstripe import resources

    def try_load_from_disk(self):
        try:
            with open(path, "rb") as f:
                old = pickle.load(f)
        except FileNotFoundError:
            return
        self.clear()
        self.update(old)

    def dump_to_disk(self):
        with open(path, "wb") as f:
            pickle.dump(self, f, protocol=pickle.HIGHEST_PROTOCOL)

    resources.Store.try_load_from_disk = try_load_from_disk
    resources.Store.dump_to_disk = dump_to_disk


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--store", required=True)
    args = parser.parse_args(argv)
    isolate(args.store)
    from localstripe import server

    sys.argv = [sys.argv[0], "--port", str(args.port), "--from-scratch"]
    server.start()


if __name__ == "__main__":
    main(sys.argv[1:])
