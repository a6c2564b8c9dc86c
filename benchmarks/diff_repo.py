"""Build a wide change for timing `coopctl diff`: a registry's first commit, then 1,000 commits
that touch 1,388 entity files in all, so that `coopctl diff HEAD~1000 HEAD` can be set against
`git diff --stat HEAD~1000 HEAD`.

    python benchmarks/generate.py /tmp/national
    python benchmarks/diff_repo.py /tmp/national /tmp/wide

Of the 1,388 files, 1,268 are edited (partners and solutions get a new name, agreements a new
title, every fourth agreement a new meeting event and every third solution a user whose status
changes), 40 solutions are added, 40 removed and 40 renamed (new id, new file name). Each
commit touches one or two of them; a file may be edited by several commits. Authors and dates
are fixed (`git fast-import`), so the same registry gives the same repository, and the import
is repacked, as `benchmarks/history_repo.py` explains.
"""

from __future__ import annotations

import argparse
import re
import subprocess
from pathlib import Path

from history_repo import commit_header, inline_file, registry_files

COMMITS = 1000
EDITED, ADDED, REMOVED, RENAMED = 1268, 40, 40, 40  # 1,388 paths in `git diff --stat`


def _stamped(text: str, field: str, number: int) -> str:
    """`text` with the quoted value of the top-level `field` ending in "(Stand number)"."""
    pattern = rf"(?m)^{field}: '(.*?)( \(Stand \d+\))?'$"
    return re.sub(pattern, rf"{field}: '\1 (Stand {number})'", text)


def _edited(path: str, text: str, number: int) -> str:
    """`text` with a change a reviewer would make, different for each commit `number`."""
    if "/agreements/" in path:
        text = _stamped(text, "title", number)
        if number % 4 == 0:
            meeting = f"  - date: '2025-{1 + number % 12:02d}-15'\n    type: meeting\n"
            text = text.replace("events:\n", "events:\n" + meeting, 1)
        return text
    text = _stamped(text, "name", number)
    if "/solutions/" in path and number % 3 == 0:
        text = re.sub(r"(?m)^(    status: )(planned|pilot)$", r"\1production", text, count=1)
    return text


def _renamed(path: str, text: str) -> tuple[str, str]:
    old_id = Path(path).stem
    return path.replace(f"/{old_id}.yaml", f"/{old_id}-neu.yaml"), text.replace(
        f"\nid: {old_id}\n", f"\nid: {old_id}-neu\n", 1
    )


def stream(source: Path) -> bytes:
    """The fast-import stream of the whole history."""
    files = registry_files(source)
    entities = [p for p in files if p.startswith("registry/") and p.endswith(".yaml")]
    solutions = [p for p in entities if p.startswith("registry/solutions/")]
    others = [p for p in entities if not p.startswith("registry/solutions/")]
    moved = solutions[: REMOVED + RENAMED]
    removed, renamed = moved[:REMOVED], moved[REMOVED:]
    edited = others[:: max(1, len(others) // EDITED)][:EDITED]
    template = solutions[-1]
    steps: list[tuple[str, str]] = [("edit", p) for p in edited]
    steps += [("remove", p) for p in removed] + [("rename", p) for p in renamed]
    steps += [("add", f"registry/solutions/neu-{n:04d}.yaml") for n in range(ADDED)]
    steps.sort(key=lambda step: _mixed_order(step[1]))
    texts = {path: data.decode("utf-8") for path, data in files.items() if path in entities}
    parts = []
    for number in range(COMMITS + 1):
        parts.append(commit_header(number, f"commit {number}" if number else "registry"))
        if number == 0:
            parts.extend(inline_file(path, data) for path, data in files.items())
            continue
        share = steps[(number - 1) * len(steps) // COMMITS : number * len(steps) // COMMITS]
        for action, path in share:
            if action == "edit":
                texts[path] = _edited(path, texts[path], number)
                parts.append(inline_file(path, texts[path].encode("utf-8")))
            elif action == "remove":
                parts.append(f"D {path}\n".encode())
            elif action == "rename":
                new_path, text = _renamed(path, texts[path])
                parts.append(f"D {path}\n".encode())
                parts.append(inline_file(new_path, text.encode("utf-8")))
            else:
                new_id = Path(path).stem
                text = re.sub(r"(?m)^id: .*$", f"id: {new_id}", texts[template], count=1)
                parts.append(inline_file(path, text.encode("utf-8")))
        # a second edit of a file already edited, now and then (the diff shows the sum)
        if number % 10 == 0 and edited:
            path = edited[number % len(edited)]
            texts[path] = _edited(path, texts[path], number)
            parts.append(inline_file(path, texts[path].encode("utf-8")))
    return b"".join(parts)


def _mixed_order(path: str) -> int:
    """A fixed order that mixes the kinds of step (the same on every run, unlike `hash`)."""
    value = 0
    for byte in path.encode("utf-8"):
        value = (value * 131 + byte) % 1_000_003
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="a folder with registry/ and schemas/")
    parser.add_argument("out", type=Path, help="the repository to create (must not exist)")
    args = parser.parse_args()
    args.out.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(args.out)], check=True)
    data = stream(args.source)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=args.out, input=data, check=True)
    subprocess.run(["git", "repack", "-a", "-d", "-f", "-q"], cwd=args.out, check=True)
    subprocess.run(["git", "checkout", "-q", "main"], cwd=args.out, check=True)


if __name__ == "__main__":
    main()
