"""`coopctl init`: the files of a new, empty registry.

The files come from coopctl's own schemas and from templates shipped in the package, so a
wheel installation scaffolds exactly what a checkout does. Nothing that exists is ever
overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from coopctl import __version__
from coopctl.model import FOLDER_OF_KIND
from coopctl.schemas import bundled_schema_dir

TEMPLATES = Path(__file__).resolve().parent / "templates"
KEEP = ".gitkeep"


@dataclass(frozen=True)
class ScaffoldFile:
    path: str  # relative to the new registry's root
    content: bytes


def scaffold_files() -> list[ScaffoldFile]:
    """Every file of a new registry, in the order they are written."""
    files = [
        ScaffoldFile(f"schemas/{schema.name}", schema.read_bytes())
        for schema in sorted(bundled_schema_dir().glob("*.schema.json"))
    ]
    files += [ScaffoldFile(f"registry/{folder}/{KEEP}", b"") for folder in FOLDER_OF_KIND.values()]
    for template, target in (
        ("README.md", "README.md"),
        ("gitignore", ".gitignore"),
        ("pre-commit-config.yaml", ".pre-commit-config.yaml"),
        ("github-workflow.yml", ".github/workflows/coopctl.yml"),
        ("gitlab-ci.yml", ".gitlab-ci.yml"),
    ):
        text = (TEMPLATES / template).read_text(encoding="utf-8")
        files.append(ScaffoldFile(target, text.replace("@VERSION@", __version__).encode()))
    return files


def existing(root: Path, files: list[ScaffoldFile]) -> list[str]:
    """The scaffold paths that exist already under `root`."""
    return [f.path for f in files if (root / f.path).exists() or (root / f.path).is_symlink()]
