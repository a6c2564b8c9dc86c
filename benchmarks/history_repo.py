"""Build a long history for timing `coopctl history`: a registry's first commit, then 3,000
commits in all (--commits), of which 51 (the first and every 59th) change one entity file.

    python benchmarks/generate.py /tmp/national
    python benchmarks/history_repo.py /tmp/national /tmp/history registry/partners/malching.yaml

The other commits each change one of 300 note files in registry/notes/, which history never
reads. The commits have fixed authors and dates (`git fast-import`), so the same registry
gives the same repository. The import is then repacked (`git repack -a -d -f`): fast-import's
packs "are simply never seen in real use", and git-fast-import(1) says not to benchmark before
repacking. Here HEAD's trees would sit at the end of delta chains 50 deep, so that one lookup
in HEAD (`git ls-tree`) cost about half of `git log --follow -p`.
"""

from __future__ import annotations

import argparse
import re
import subprocess
from pathlib import Path

COMMITS = 3000
EVERY = 59  # 1 + 2999 // 59 = 51 commits change the entity


def inline_file(path: str, data: bytes) -> bytes:
    """The fast-import command that sets the file `path` to `data`."""
    return f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n"


def registry_files(source: Path) -> dict[str, bytes]:
    """Every file below `source`'s registry/ and schemas/, by path relative to `source`."""
    return {
        path.relative_to(source).as_posix(): path.read_bytes()
        for folder in ("registry", "schemas")
        for path in sorted((source / folder).rglob("*"))
        if path.is_file()
    }


def commit_header(number: int, message: str) -> bytes:
    """The fast-import command that starts commit `number` on main, dated by its number."""
    data = message.encode()
    return (
        b"commit refs/heads/main\n"
        + f"committer Bench <bench@example.org> {1_700_000_000 + number} +0000\n".encode()
        + f"data {len(data)}\n".encode()
        + data
        + b"\n"
    )


def stream(source: Path, entity: str, commits: int = COMMITS) -> bytes:
    """The fast-import stream of the whole history."""
    files = registry_files(source)
    text = files[entity].decode("utf-8")
    parts = []
    for number in range(commits):
        parts.append(commit_header(number, f"commit {number}"))
        if number == 0:
            parts.extend(inline_file(path, data) for path, data in files.items())
            continue
        note = f"registry/notes/n{number % 300}.txt"
        parts.append(inline_file(note, f"note {number}\n".encode()))
        if number % EVERY == 0:
            changed = re.sub(r"(?m)^short_name: .*$", f"short_name: Nr. {number}", text)
            if changed == text:
                changed = f"{text}# change {number}\n"
            parts.append(inline_file(entity, changed.encode("utf-8")))
    return b"".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="a folder with registry/ and schemas/")
    parser.add_argument("out", type=Path, help="the repository to create (must not exist)")
    parser.add_argument("entity", help="the file whose history is long, relative to source")
    parser.add_argument("--commits", type=int, default=COMMITS, help=f"default {COMMITS}")
    args = parser.parse_args()
    if args.commits < 1:
        parser.error("--commits must be at least 1")
    make_repository(args.out, stream(args.source, args.entity, args.commits))


def make_repository(out: Path, data: bytes) -> None:
    """A new repository at `out` from a fast-import stream, repacked (git-fast-import's
    manual: do not time a repository it made before repacking) and checked out."""
    out.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(out)], check=True)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=out, input=data, check=True)
    subprocess.run(["git", "repack", "-a", "-d", "-f", "-q"], cwd=out, check=True)
    subprocess.run(["git", "checkout", "-q", "main"], cwd=out, check=True)


if __name__ == "__main__":
    main()
