"""Links into the work tree's .git folder (made here as a plain folder with git's file names,
so that the case needs no repository): inside the root, yet never read."""

from pathlib import Path


def make(root: Path) -> None:
    git = root / ".git"
    (git / "objects").mkdir(parents=True, exist_ok=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (git / "config").write_text("[core]\n\tbare = false\n", encoding="utf-8")
    (git / "objects" / "kind.yaml").write_text("kind: partner\nid: kind\n", encoding="utf-8")
    partners = root / "registry" / "partners"
    (partners / "head.yaml").symlink_to(Path("..", "..", ".git", "HEAD"))
    (partners / "config.yaml").symlink_to(git / "config")
    (root / "registry" / "agreements" / "objects").symlink_to(
        Path("..", "..", ".git", "objects"), target_is_directory=True
    )
