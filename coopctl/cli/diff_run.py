"""What `coopctl diff` does once its arguments are read (by typer, or by
`coopctl.cli.direct`): the semantic diff between two revisions or a revision and the working
tree, as text, Markdown or JSON."""

from __future__ import annotations

from pathlib import Path

from coopctl.i18n import _


def show_diff(
    revisions: list[str],
    root: Path | None,
    output_format: str,
    exit_code: bool,
    *,
    cache: bool = True,
) -> int:
    """Print the diff the revisions name (see the command's help); the exit status. With
    `cache`, blobs parsed by earlier runs come from the registry index."""
    from coopctl.cli.changes import DIFF_REPORTERS
    from coopctl.diff import collection_paused, diff_revisions
    from coopctl.errors import UsageError
    from coopctl.gitstore import GitStore
    from coopctl.registry import find_root

    registry_root = find_root(root)
    args = list(revisions)
    first = args[0].partition("..")[0] or "HEAD" if args else "HEAD"  # the first one resolved
    store = GitStore(registry_root, revision=first)
    if len(args) > 2:
        raise UsageError(_("give at most two revisions"), hint="coopctl diff [A] [B]")
    if len(args) == 2:
        base, head, labels = args[0], args[1], (args[0], args[1])
        result = diff_revisions(registry_root, base, head, store, labels=labels, cache=cache)
    elif args and "..." in args[0]:
        left, _sep, right = args[0].partition("...")
        left, right = left or "HEAD", right or "HEAD"
        base = store.merge_base(left, right)
        result = diff_revisions(
            registry_root, base, right, store, labels=(f"{left}...{right}", right), cache=cache
        )
    elif args and ".." in args[0]:
        left, _sep, right = args[0].partition("..")
        left, right = left or "HEAD", right or "HEAD"
        result = diff_revisions(
            registry_root, left, right, store, labels=(left, right), cache=cache
        )
    else:
        result = diff_revisions(
            registry_root, args[0] if args else "HEAD", None, store, cache=cache
        )
    with collection_paused():  # the lines of a wide diff are many small objects too
        DIFF_REPORTERS[output_format](None, result)
    return 1 if exit_code and result.changes else 0
