"""coopctl serve: Datasette over a fresh SQLite export, on the loopback interface."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from coopctl.cli.options import NoCacheOption, RootOption
from coopctl.i18n import _

HELP = _(
    "Browse and query the registry in Datasette.\n"
    "\n"
    "Exports the registry (or --rev) into a temporary folder, with Datasette metadata "
    "(descriptions, facets, licences), and serves it at http://127.0.0.1:8001/ until you "
    "stop it with Ctrl-C. Needs the extra: pip install 'coopctl[datasette]'.\n"
    "\n"
    "Examples:\n"
    "\n"
    "  coopctl serve\n"
    "\n"
    "  coopctl serve --port 8002 --rev v1.0"
)
EXIT_INTERRUPTED = 130
DATABASE = "registry"  # the name Datasette gives the export (its file name without .sqlite)


def serve(
    port: Annotated[
        int,
        typer.Option("--port", metavar="PORT", min=1, max=65535, help=_("The port to listen on.")),
    ] = 8001,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            metavar="HOST",
            help=_(
                "The address to listen on. Keep the default (this computer only) unless "
                "others may read the whole registry and run SQL on it."
            ),
        ),
    ] = "127.0.0.1",
    rev: Annotated[
        str | None,
        typer.Option(
            "--rev",
            metavar="REV",
            help=_(
                "Serve the registry as it was at this git revision (branch, tag, sha, HEAD~3) "
                "instead of the working tree."
            ),
            show_default=False,
        ),
    ] = None,
    no_cache: NoCacheOption = False,
    root: RootOption = None,
) -> None:
    """Browse and query the registry in Datasette."""
    import os
    import tempfile
    from datetime import UTC, datetime

    from coopctl.cli.output import make_console, warn_unloaded
    from coopctl.datasette import write_metadata
    from coopctl.errors import UsageError
    from coopctl.escaping import plain
    from coopctl.export import build_tables, export_meta, export_time
    from coopctl.export_writers import write_sqlite
    from coopctl.registry import find_root
    from coopctl.schemas import load_schemas
    from coopctl.snapshot import load_snapshot

    if not _datasette_installed():
        raise UsageError(
            _("coopctl serve needs Datasette, which is not installed"),
            hint=_("install the extra: pip install 'coopctl[datasette]'"),
        )
    registry_root = find_root(root)
    registry = load_snapshot(registry_root, rev, cache=not no_cache)
    warn_unloaded(registry)
    meta = export_meta(registry, rev, export_time(None, os.environ, datetime.now(UTC)))
    console = make_console(stderr=True)
    if not _is_loopback(host):
        from rich.text import Text

        warning = _(
            "warning: listening on {host}: everyone who can reach this address can read the "
            "registry and run SQL on it"
        ).format(host=host)
        console.print(Text(plain(warning), style="yellow"))
    with tempfile.TemporaryDirectory(prefix="coopctl-serve-") as folder:
        database = Path(folder) / f"{DATABASE}.sqlite"
        write_sqlite(database, build_tables(registry, meta))
        metadata = write_metadata(database, load_schemas(registry_root / "schemas"), meta)
        console.print(
            plain(
                _("Serving the registry at http://{host}:{port}/ (Ctrl-C stops it).").format(
                    host=f"[{host}]" if ":" in host else host, port=port
                )
            ),
            markup=False,
        )
        status = _run_datasette(database, metadata, host, port)
    if status != 0:
        raise UsageError(
            _("Datasette stopped with exit status {status}; its message is above").format(
                status=status
            ),
            hint=_("is port {port} in use? choose another with --port").format(port=port),
        )


def _is_loopback(host: str) -> bool:
    import ipaddress

    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may resolve to any address
        return False


def _datasette_installed() -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec("datasette") is not None
    except ValueError:  # sys.modules["datasette"] is None: its import is blocked
        return False


def _run_datasette(database: Path, metadata: Path, host: str, port: int) -> int:
    """Run Datasette until it ends or this process is asked to stop: then stop it too, and wait
    for it. 0 when SIGTERM or SIGHUP stopped it, else its exit status; Ctrl-C exits with 130."""
    import signal
    import subprocess
    import sys

    command = [sys.executable, "-m", "datasette", "serve", "--immutable", str(database)]
    command += ["--metadata", str(metadata), "--host", host, "--port", str(port)]
    process = subprocess.Popen(command)
    stopped = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopped
        stopped = True
        process.terminate()

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        status = process.wait()
    except KeyboardInterrupt:  # Ctrl-C (in a terminal Datasette gets it too): make sure it ends
        process.terminate()
        process.wait()
        raise typer.Exit(EXIT_INTERRUPTED) from None
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    return 0 if stopped else status
