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
import subprocess
from pathlib import Path

COMMITS = 1000
FILES = 1388
NOTES = re.compile(r"(?m)^notes:.*\n?")


def _file(path: str, data: bytes) -> bytes:
    return f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n"


def _commit(number: int) -> bytes:
    message = f"change {number}".encode()
    return (
        b"commit refs/heads/main\n"
        + f"committer Bench <bench@example.org> {1_700_000_000 + number} +0000\n".encode()
        + f"data {len(message)}\n".encode()
        + message
        + b"\n"
    )


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
    everything = {
        path.relative_to(source).as_posix(): path.read_bytes()
        for folder in ("registry", "schemas")
        for path in sorted((source / folder).rglob("*"))
        if path.is_file()
    }
    entities = sorted(p for p in everything if p.startswith("registry/") and p.endswith(".yaml"))
    by_commit: dict[int, list[str]] = {}
    for index, path in enumerate(chosen(entities, files)):
        by_commit.setdefault(1 + index % commits, []).append(path)
    parts = [_commit(0), *(_file(path, data) for path, data in everything.items())]
    for number in range(1, commits + 1):
        parts.append(_commit(number))
        for path in by_commit.get(number, ()):
            text = changed_text(everything[path].decode("utf-8"), number)
            parts.append(_file(path, text.encode("utf-8")))
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
    args.out.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(args.out)], check=True)
    data = stream(args.source, args.commits, args.files)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=args.out, input=data, check=True)
    subprocess.run(["git", "checkout", "-q", "main"], cwd=args.out, check=True)


if __name__ == "__main__":
    main()
