"""Build a national-scale registry in a git repository, for benchmarks.

Every Kreis and Gemeinde of the Gemeindeverzeichnis becomes a partner with its real ARS, AGS,
Land and type (about 11,250 partners); agreements between 2 and 40 parties with their events,
and shared solutions with their users, are drawn from a seeded random generator, so the same
arguments always give the same files and the same commits.

The repository gets two commits: the registry, then a change to exactly one agreement file (a
meeting event is added), so that `coopctl diff HEAD~1 HEAD` and `coopctl check --base HEAD~1`
have one changed file to look at.

    python benchmarks/generate.py /tmp/national
    python benchmarks/generate.py /tmp/small --partners 300 --agreements 60 --solutions 30
    python benchmarks/generate.py /tmp/broken --invalid 25

With --invalid N, N known problems are written into N different files, and
`expected-problems.json` at the top of the repository lists each as {path, code}. The
registry is synthetic apart from the partners' keys and names: sources point to example.org.

Partner data: Statistisches Bundesamt (Destatis), Gemeindeverzeichnis GV100AD, Gebietsstand
30.11.2025, Datenlizenz Deutschland - Namensnennung - 2.0 (the copy that ships with coopctl,
or the raw file given with --gv).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from coopctl.authoring import partner_from_entries
from coopctl.forms import slug
from coopctl.gv import Gemeindeverzeichnis, GvEntry, derive_compact, load
from coopctl.scaffold import scaffold_files

INSTRUMENTS = (
    "letter_of_intent",
    "memorandum_of_understanding",
    "kooperationsvereinbarung",
    "zweckvereinbarung",
    "satzung",
    "verwaltungsabkommen",
)
AREAS = ("basisdienste", "online_dienste", "fachverfahren", "schnittstellen")
CATEGORIES = ("basisdienst", "online_dienst", "fachverfahren", "schnittstelle", "plattform")
USER_STATUSES = ("production", "production", "pilot", "planned", "retired")
TOPICS = (
    "Antragsportal",
    "Terminvergabe",
    "E-Akte",
    "Bürgerkonto",
    "Formularserver",
    "Geodatenportal",
    "Ratsinformationssystem",
    "Payment-Schnittstelle",
    "Chatbot",
    "Open-Data-Portal",
)
# Where a directory record allows several partner types, the first of these that fits.
TYPE_PREFERENCE = ("stadtstaat", "kreisfreie_stadt", "landkreis", "stadt", "gemeinde")
COMMIT_ENV = {
    "GIT_AUTHOR_NAME": "coopctl benchmark",
    "GIT_AUTHOR_EMAIL": "benchmark@example.org",
    "GIT_COMMITTER_NAME": "coopctl benchmark",
    "GIT_COMMITTER_EMAIL": "benchmark@example.org",
}


def quoted(text: str) -> str:
    """A YAML single-quoted scalar."""
    return "'" + text.replace("'", "''") + "'"


def source(path: str, title: str) -> str:
    return f"  - url: https://example.org/{path}\n    title: {quoted(title)}\n"


# --- partners ---------------------------------------------------------------------------------


def partner_records(gv: Gemeindeverzeichnis) -> list[dict[str, Any]]:
    """One partner for each key held by a Kreis or Gemeinde record (gemeindefreie Gebiete
    excepted), with the fields `coopctl add partner --ars` fills in."""
    keys = sorted({e.ars for e in gv if e.level in ("kreis", "gemeinde")})
    taken: set[str] = set()
    partners = []
    for ars in keys:
        entries: Sequence[GvEntry] = gv.entries_for_ars(ars)
        types = frozenset().union(*(e.partner_types for e in entries))
        if not types:
            continue  # gemeindefreie Gebiete: land that belongs to no Gemeinde
        fields = partner_from_entries(entries)
        if "type" not in fields:
            fields["type"] = next(t for t in TYPE_PREFERENCE if t in types)
            if fields["type"] in ("stadtstaat", "kreisfreie_stadt", "stadt"):
                fields["name"] = f"Stadt {fields['short_name']}"
        if fields["type"] == "landkreis":
            fields.pop("ags", None)
        base = slug(fields["name"])
        entity_id = base if base not in taken else f"{base[:51]}-{ars}"
        taken.add(entity_id)
        partners.append({"id": entity_id, **fields})
    return partners


def partner_text(p: dict[str, Any]) -> str:
    lines = [
        "# yaml-language-server: $schema=../../schemas/partner.schema.json\n",
        "kind: partner\n",
        f"id: {p['id']}\n",
        f"name: {quoted(p['name'])}\n",
        f"short_name: {quoted(p['short_name'])}\n",
        f"type: {p['type']}\n",
        f"state: {p['state']}\n",
    ]
    if "ags" in p:
        lines.append(f"ags: {quoted(p['ags'])}\n")
    lines.append(f"ars: {quoted(p['ars'])}\n")
    lines.append("sources:\n")
    lines.append(source(f"gv/{p['ars']}", "Gemeindeverzeichnis GV100AD"))
    return "".join(lines)


# --- agreements -------------------------------------------------------------------------------


def day(rng: random.Random, year: int) -> str:
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def agreement(rng: random.Random, number: int, pool: Sequence[dict[str, Any]]) -> dict[str, Any]:
    size = min(len(pool), 2 + int(rng.betavariate(1.2, 6) * 39))
    parties = [p["id"] for p in rng.sample(list(pool), size)]
    founders = max(2, size - rng.randint(0, size // 3))
    year = rng.randint(2012, 2021)
    events: list[dict[str, Any]] = [
        {"date": day(rng, year), "type": "signed", "partners": parties[:founders]}
    ]
    late = parties[founders:]
    while late:
        year += 1
        step = rng.randint(1, 3)
        take, late = late[:step], late[step:]
        events.append({"date": day(rng, min(year, 2024)), "type": "accession", "partners": take})
    meetings = {day(rng, rng.randint(min(year, 2024), 2024)) for _ in range(rng.randint(0, 3))}
    events.extend({"date": date, "type": "meeting"} for date in sorted(meetings))
    status = "active"
    if rng.random() < 0.15 and founders > 2:
        events.append({"date": day(rng, 2025), "type": "withdrawal", "partners": [parties[0]]})
    if rng.random() < 0.05:
        events.append({"date": day(rng, 2025), "type": "termination"})
        status = "terminated"
    events.sort(key=lambda e: str(e["date"]))
    state = pool[0]["state"]
    return {
        "id": f"kooperation-{state[3:].lower()}-{number:05d}",
        "title": f"Digitalisierungskooperation {number} ({state})",
        "instrument": rng.choice(INSTRUMENTS),
        "status": status,
        "areas": sorted(rng.sample(AREAS, rng.randint(1, 4)), key=AREAS.index),
        "events": events,
    }


def agreement_text(a: dict[str, Any]) -> str:
    lines = [
        "# yaml-language-server: $schema=../../schemas/agreement.schema.json\n",
        "kind: agreement\n",
        f"id: {a['id']}\n",
        f"title: {quoted(a['title'])}\n",
        f"instrument: {a['instrument']}\n",
        f"status: {a['status']}\n",
        "areas:\n",
        *(f"  - {area}\n" for area in a["areas"]),
        "events:\n",
    ]
    for index, event in enumerate(a["events"]):
        lines.append(f"  - date: {quoted(event['date'])}\n    type: {event['type']}\n")
        if "partners" in event:
            lines.append("    partners:\n")
            lines.extend(f"      - {p}\n" for p in event["partners"])
        lines.append("    sources:\n")
        lines.append(
            "  "
            + source(f"{a['id']}/{index}", f"Meldung vom {event['date']}").replace(
                "\n    ", "\n      "
            )
        )
    lines.append("sources:\n")
    lines.append(source(a["id"], a["title"]))
    return "".join(lines)


# --- solutions --------------------------------------------------------------------------------


def solution(
    rng: random.Random, number: int, partners: Sequence[dict[str, Any]], agreement_ids: list[str]
) -> dict[str, Any]:
    provider = rng.choice(partners)["id"]
    users = []
    for user in rng.sample(list(partners), rng.randint(1, 25)):
        status = rng.choice(USER_STATUSES)
        entry: dict[str, Any] = {"partner": user["id"], "status": status}
        if status != "planned":
            start = rng.randint(2015, 2022)
            entry["from"] = f"{start}-{rng.randint(1, 12):02d}"
            if status == "retired":
                entry["until"] = str(rng.randint(start + 1, 2025))
        users.append(entry)
    return {
        "id": f"loesung-{number:05d}",
        "name": f"{rng.choice(TOPICS)} {number}",
        "category": rng.choice(CATEGORIES),
        "provider": provider,
        "status": rng.choice(("pilot", "production", "production")),
        "users": users,
        "agreements": sorted(rng.sample(agreement_ids, rng.randint(0, 2))),
    }


def solution_text(s: dict[str, Any]) -> str:
    lines = [
        "# yaml-language-server: $schema=../../schemas/solution.schema.json\n",
        "kind: solution\n",
        f"id: {s['id']}\n",
        f"name: {quoted(s['name'])}\n",
        f"category: {s['category']}\n",
        f"provider: {s['provider']}\n",
        f"status: {s['status']}\n",
        "users:\n",
    ]
    for user in s["users"]:
        lines.append(f"  - partner: {user['partner']}\n    status: {user['status']}\n")
        for field in ("from", "until"):
            if field in user:
                lines.append(f"    {field}: {quoted(user[field])}\n")
    if s["agreements"]:
        lines.append("agreements:\n")
        lines.extend(f"  - {a}\n" for a in s["agreements"])
    lines.append("sources:\n")
    lines.append(source(s["id"], s["name"]))
    return "".join(lines)


# --- known problems ---------------------------------------------------------------------------


def _break_reference(text: str) -> str:
    return text.replace("provider: ", "provider: nowhere-", 1)


def _unknown_field(text: str) -> str:
    return text.replace("\nsources:\n", "\nsauces: many\nsources:\n", 1)


def _bad_choice(text: str) -> str:
    return text.replace("\ninstrument: ", "\ninstrument: handshake-", 1)


def _impossible_date(text: str) -> str:
    first = text.index("  - date: '") + len("  - date: '")
    return text[: first + 5] + "02-30" + text[first + 10 :]


def _wrong_state(text: str) -> str:
    state = text.index("\nstate: DE-") + len("\nstate: ")
    other = "DE-SH" if text[state : state + 5] != "DE-SH" else "DE-HH"
    return text[:state] + other + text[state + 5 :]


def _broken_yaml(text: str) -> str:
    return text.replace("\nkind: ", "\nkind: [", 1)


# (folder, code, how) for each kind of injected problem, used in turn.
BREAKERS: tuple[tuple[str, str, Callable[[str], str]], ...] = (
    ("solutions", "R001", _break_reference),
    ("partners", "S003", _unknown_field),
    ("agreements", "S005", _bad_choice),
    ("agreements", "D001", _impossible_date),
    ("partners", "K001", _wrong_state),
    ("partners", "Y001", _broken_yaml),
)


def inject(files: dict[str, str], count: int, rng: random.Random) -> list[dict[str, str]]:
    by_folder: dict[str, list[str]] = defaultdict(list)
    for path in sorted(files):
        by_folder[path.split("/")[1]].append(path)
    expected = []
    used: set[str] = set()
    for number in range(count):
        folder, code, breaker = BREAKERS[number % len(BREAKERS)]
        path = rng.choice([p for p in by_folder[folder] if p not in used])
        used.add(path)
        files[path] = breaker(files[path])
        expected.append({"path": path, "code": code})
    return sorted(expected, key=lambda e: (e["path"], e["code"]))


# --- the repository ---------------------------------------------------------------------------


def build(args: argparse.Namespace) -> dict[str, str]:
    """Every file of the registry by its path, the problems injected, and the edit."""
    rng = random.Random(args.seed)
    gv = load_gv(args.gv)
    partners = partner_records(gv)
    if args.partners is not None:
        partners = rng.sample(partners, min(args.partners, len(partners)))
        partners.sort(key=lambda p: p["id"])
    by_state: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in partners:
        by_state[p["state"]].append(p)
    states = sorted(by_state)
    weights = [len(by_state[s]) for s in states]
    agreements = []
    for number in range(1, args.agreements + 1):
        state = rng.choices(states, weights)[0]
        pool = by_state[state] if len(by_state[state]) >= 2 else partners
        agreements.append(agreement(rng, number, pool))
    ids = [a["id"] for a in agreements]
    solutions = [solution(rng, n, partners, ids) for n in range(1, args.solutions + 1)]
    files = {f"registry/partners/{p['id']}.yaml": partner_text(p) for p in partners}
    files.update({f"registry/agreements/{a['id']}.yaml": agreement_text(a) for a in agreements})
    files.update({f"registry/solutions/{s['id']}.yaml": solution_text(s) for s in solutions})
    return files


def load_gv(path: Path | None) -> Gemeindeverzeichnis:
    if path is None:
        return load()
    return Gemeindeverzeichnis.from_compact(derive_compact(path.read_text(encoding="utf-8")))


def git(root: Path, *args: str, when: str) -> None:
    env = {**os.environ, **COMMIT_ENV, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, stdout=subprocess.DEVNULL)


def the_edit(files: dict[str, str]) -> str:
    """The one file the second commit changes: the first agreement gets a meeting."""
    path = min(p for p in files if p.startswith("registry/agreements/"))
    marker = "\nsources:\n  - url: https://example.org/kooperation"
    head, tail = files[path].rsplit(marker, 1)
    meeting = (
        "  - date: '2025-06-02'\n    type: meeting\n    sources:\n"
        "      - url: https://example.org/meeting\n"
    )
    files[path] = head + "\n" + meeting.rstrip("\n") + marker + tail
    return path


def write_repository(root: Path, files: dict[str, str], expected: list[dict[str, str]]) -> str:
    for scaffold in scaffold_files():
        target = root / scaffold.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(scaffold.content)
    for path, text in files.items():
        (root / path).write_text(text, encoding="utf-8")
    if expected:
        (root / "expected-problems.json").write_text(json.dumps(expected, indent=2) + "\n")
    git(root, "init", "-q", "-b", "main", when="2026-01-01T12:00:00Z")
    git(root, "add", "-A", when="2026-01-01T12:00:00Z")
    git(root, "commit", "-q", "-m", "National registry", when="2026-01-01T12:00:00Z")
    changed = the_edit(files)
    (root / changed).write_text(files[changed], encoding="utf-8")
    git(root, "commit", "-q", "-am", f"Add a meeting to {changed}", when="2026-01-02T12:00:00Z")
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the folder to create (must not exist)")
    parser.add_argument("--seed", type=int, default=2020, help="random seed (default 2020)")
    parser.add_argument("--agreements", type=int, default=3000, help="default 3000")
    parser.add_argument("--solutions", type=int, default=1000, help="default 1000")
    parser.add_argument(
        "--partners", type=int, help="only this many partners, drawn at random (default: all)"
    )
    parser.add_argument("--invalid", type=int, default=0, help="inject N known problems")
    parser.add_argument("--gv", type=Path, help="a raw GV100AD file (default: coopctl's copy)")
    parser.add_argument("--force", action="store_true", help="replace OUT if it exists")
    args = parser.parse_args(argv)
    if args.out.exists():
        if not args.force:
            parser.error(f"{args.out} exists; pass --force to replace it")
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True)
    files = build(args)
    expected = inject(files, args.invalid, random.Random(args.seed + 1)) if args.invalid else []
    changed = write_repository(args.out, files, expected)
    counts = defaultdict(int)
    for path in files:
        counts[path.split("/")[1]] += 1
    summary = ", ".join(f"{n:,} {folder}" for folder, n in sorted(counts.items()))
    print(f"{args.out}: {summary}; {len(expected)} injected problems; second commit: {changed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
