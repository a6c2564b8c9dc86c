"""Build a long range of small changes for timing `coopctl diff` against `git diff --stat`.

    python benchmarks/generate.py /tmp/national
    python benchmarks/diff_repo.py /tmp/national /tmp/diffrange

The new repository OUT holds the registry and schemas of SOURCE in a first commit, then
--commits commits (default 1,000) that together change --files entity files (default 1,388,
each once: file j in commit 1 + j mod COMMITS, so the first 388 commits change two files and
the others one). The files are spread evenly over the sorted entity files of all kinds; each
change gives the file a `notes` line (or a new text in the one it has), a change of one field
that keeps the file valid. `coopctl diff BASE HEAD` and `git diff --stat BASE HEAD`, with BASE
the first commit, then cover the same 1,000 commits and 1,388 files. The commits have fixed
authors and dates (`git fast-import`), so the same registry gives the same repository.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from history_repo import commit_header, inline_file, make_repository, registry_files

COMMITS = 1000
FILES = 1388
NOTES = re.compile(r"(?m)^notes:.*\n?")


def changed_text(text: str, number: int) -> str:
    """The file with its notes set to a text naming the commit."""
    line = f"notes: 'Benchmark change {number}'\n"
    if NOTES.search(text):
        return NOTES.sub(line, text, count=1)
    return text.rstrip("\n") + "\n" + line


def chosen(paths: list[str], count: int) -> list[str]:
    """count paths spread evenly over the sorted list (all of them if there are fewer)."""
    if count >= len(paths):
        return paths
    return [paths[i * len(paths) // count] for i in range(count)]


def stream(source: Path, commits: int, files: int) -> bytes:
    everything = registry_files(source)
    entities = sorted(p for p in everything if p.startswith("registry/") and p.endswith(".yaml"))
    by_commit: dict[int, list[str]] = {}
    for index, path in enumerate(chosen(entities, files)):
        by_commit.setdefault(1 + index % commits, []).append(path)
    parts = [commit_header(0, "change 0")]
    parts.extend(inline_file(path, data) for path, data in everything.items())
    for number in range(1, commits + 1):
        parts.append(commit_header(number, f"change {number}"))
        for path in by_commit.get(number, ()):
            text = changed_text(everything[path].decode("utf-8"), number)
            parts.append(inline_file(path, text.encode("utf-8")))
    return b"".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="a folder with registry/ and schemas/")
    parser.add_argument("out", type=Path, help="the repository to create (must not exist)")
    parser.add_argument("--commits", type=int, default=COMMITS, help=f"default {COMMITS}")
    parser.add_argument("--files", type=int, default=FILES, help=f"default {FILES}")
    args = parser.parse_args()
    if args.commits < 1 or args.files < 1:
        parser.error("--commits and --files must be at least 1")
    make_repository(args.out, stream(args.source, args.commits, args.files))


if __name__ == "__main__":
    main()
