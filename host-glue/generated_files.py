"""What the glue generators (host-glue/igor/generate.py, host-glue/matlab/generate.py) share:
their command line, reading the interface description, and bringing the generated files up to
date (or, with --check, showing how they differ). Standard library only."""

import argparse
import difflib
import json
import os
import sys


class DescriptionError(Exception):
    pass


def parse_args(doc, argv):
    """The generators' command line: --check writes nothing and fails when a file differs."""
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing, fail if a generated file is out of date")
    return parser.parse_args(argv)


def load_description(path, validate):
    with open(path, encoding="utf-8") as f:
        desc = json.load(f)
    validate(desc)
    return desc


def read(path):
    """The text of `path`, None when it does not exist."""
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def sync(here, files, check, script):
    """Brings `files` ({path relative to `here`: text}) up to date: writes those that differ,
    or with `check` only prints their differences. Returns the paths that differed."""
    stale = []
    for path, content in sorted(files.items()):
        current = read(os.path.join(here, path))
        # A checkout with CR LF line ends (git autocrlf on Windows) is still in sync.
        if current is not None and current.replace("\r\n", "\n") == content.replace("\r\n", "\n"):
            continue
        stale.append(path)
        if check:
            diff = difflib.unified_diff((current or "").splitlines(True), content.splitlines(True),
                                        "committed: " + path, "expected: " + path, n=1)
            sys.stderr.writelines(list(diff)[:60])
        else:
            full = os.path.join(here, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w", encoding="utf-8", newline="") as f:
                f.write(content)
            print("wrote %s" % path)
    if check and stale:
        print("generate.py: out of date: %s; run python3 %s" % (", ".join(stale), script),
              file=sys.stderr)
    return stale
