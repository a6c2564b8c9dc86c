"""Datasette metadata for the SQLite export: what `datasette DB --metadata FILE` shows beside
the tables.

The words come from the registry's schemas: a table's description is the `description` of the
object its rows hold (a partner, an event, a user of a solution), a column's that of the field
it holds, each in the language of the run where it is one of coopctl's own schema texts
(`coopctl.schemas.schema_text`). Only what the export derives and no schema holds (positions,
file paths, membership periods, the meta table) is described here. Every text is plain data:
Datasette escapes `description`, and `description_html` is never written.

The licence of the keys is the Gemeindeverzeichnis's (Destatis, dl-de/by-2-0); the facts'
sources are each entry's own, in the table `sources`. Facets are the columns analysts group
by (Land, type, legal form, status), and foreign keys show the `name` or `title` of the row
they point to. The bytes depend only on the export's rows, the schemas and the language.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from coopctl.export_tables import LEGAL_BASIS, TABLES
from coopctl.fsio import write_atomic
from coopctl.gv import ATTRIBUTION
from coopctl.i18n import N_, _
from coopctl.schemas import ANY, SchemaSet, schema_file, schema_text, walk_schema

KEYS_LICENSE = "dl-de/by-2-0"
KEYS_LICENSE_URL = "https://www.govdata.de/dl-de/by-2-0"

Field = tuple[str, ...]

# The schema object each table's rows hold: (kind, field pattern in that kind's schema).
ROW_OBJECTS: Mapping[str, tuple[str, Field]] = {
    "partners": ("partner", ()),
    "partner_owners": ("partner", ("owners", ANY)),
    "agreements": ("agreement", ()),
    "events": ("agreement", ("events", ANY)),
    "signatories": ("agreement", ("events", ANY, "signatories", ANY)),
    "agreement_roles": ("agreement", ("roles", ANY)),
    "solutions": ("solution", ()),
    "solution_users": ("solution", ("users", ANY)),
    "solution_components": ("solution", ("components", ANY)),
    "solution_adopting_states": ("solution", ("efa", "adopting_states", ANY)),
    "sources": ("partner", ("sources", ANY)),
}

# Columns named other than the field they hold, or holding a field further down.
_RENAMED: Mapping[str, Field] = {"from_date": ("from",), "until_date": ("until",)}
COLUMN_FIELDS: Mapping[str, Mapping[str, Field]] = {
    "partner_owners": {
        "owner_partner": ("partner",),
        "owner_state": ("state",),
        "owner_name": ("name",),
    },
    "agreements": {f"legal_basis_{key}": ("legal_basis", key) for key in LEGAL_BASIS},
    "agreement_roles": {**_RENAMED, "partner_id": ("partner",)},
    "solutions": {
        name: ("efa", name)
        for name in ("implementing_state", "federal_partner", "channels", "focus_service")
    },
    "solution_users": {
        **_RENAMED,
        "partner_id": ("partner",),
        **{f"maturity_{key}": ("maturity", key) for key in ("level", "model", "as_of")},
    },
    "solution_adopting_states": _RENAMED,
}

# What the export derives and no schema holds, by table ("*": any table).
DERIVED_TABLES: Mapping[str, str] = {
    "memberships": N_(
        "Who was a party or participant of which agreement, and when: one row per period, "
        "derived from the events. A member on day D: joined_by <= D and (left_by is empty "
        "or left_by > D)."
    ),
    "meta": N_("About this export: format version, coopctl version, time, revision, checksum."),
}
DERIVED_COLUMNS: Mapping[str, Mapping[str, str]] = {
    "*": {
        "path": N_("The entity's file, relative to the registry's root."),
        "position": N_("The item's place in its list in the file, counted from 0."),
        "agreement_id": N_("The agreement (agreement id)."),
        "solution_id": N_("The solution (solution id)."),
        "partner_id": N_("The partner (partner id)."),
    },
    "partner_owners": {"partner_id": N_("The partner whose Träger this is (partner id).")},
    "memberships": {
        "partner_id": N_("The member (partner id)."),
        "role": N_("party (signed or acceded) or participant (took part without being a party)."),
        "function": N_("The role the joining event gave (lead, office, observer, …)."),
        "from_date": N_("When the membership began, as precise as the event's date."),
        "until_date": N_("When it ended, as precise as the event's date; empty while it lasts."),
        "joined_by": N_("The last day from_date may mean (2020-09 → 2020-09-30)."),
        "left_by": N_("The last day until_date may mean; empty while the membership lasts."),
        "joined_event": N_("The position of the event that began the membership."),
        "left_event": N_("The position of the event that ended it."),
    },
    "events": {
        "date_first": N_("The first day the date may mean (2020-09 → 2020-09-01)."),
        "date_last": N_("The last day the date may mean (2020-09 → 2020-09-30)."),
    },
    "signatories": {"event_position": N_("The position of the event signed at.")},
    "sources": {
        "entity_kind": N_("The kind of entry citing the source: partner, agreement or solution."),
        "entity_id": N_("The id of the entry citing the source."),
        "pointer": N_("Where in the entry the source is cited (JSON pointer)."),
    },
    "meta": {"key": N_("What the value is."), "value": N_("The value.")},
}

FACETS: Mapping[str, tuple[str, ...]] = {
    "partners": ("state", "type", "legal_form"),
    "agreements": ("status", "legal_form", "instrument"),
    "memberships": ("agreement_id", "role"),
    "events": ("type",),
    "solutions": ("category", "status", "implementing_state"),
    "solution_users": ("status",),
    "sources": ("entity_kind",),
}
LABEL_COLUMNS: Mapping[str, str] = {"partners": "name", "agreements": "title", "solutions": "name"}

MEMBERS_ON_SQL = (
    "SELECT m.partner_id, p.name, m.role, m.function, m.from_date, m.until_date\n"
    "FROM memberships AS m LEFT JOIN partners AS p ON p.id = m.partner_id\n"
    "WHERE m.agreement_id = :agreement AND m.joined_by <= :date\n"
    "  AND (m.left_by IS NULL OR m.left_by > :date)\n"
    "ORDER BY m.partner_id"
)


def _schema_fields(schemas: SchemaSet) -> dict[tuple[str, Field], Mapping[str, Any]]:
    """Every field of every kind's schema, by (kind, field pattern), `$ref`s resolved."""
    return {
        (kind, tuple(map(str, pattern))): node
        for kind in ("partner", "agreement", "solution")
        for pattern, node in walk_schema(schemas.documents, schema_file(kind))
    }


def _description(node: Mapping[str, Any] | None) -> str | None:
    text = node.get("description") if node is not None else None
    return schema_text(text) if isinstance(text, str) and text.strip() else None


def table_descriptions(schemas: SchemaSet) -> dict[str, dict[str, Any]]:
    """Each table's description and its columns' descriptions, in the language of the run."""
    fields = _schema_fields(schemas)
    tables: dict[str, dict[str, Any]] = {}
    for table in TABLES:
        kind, row = ROW_OBJECTS.get(table.name, ("", ()))
        described = _description(fields.get((kind, row))) if kind else None
        if table.name in DERIVED_TABLES:
            described = _(DERIVED_TABLES[table.name])
        columns: dict[str, str] = {}
        for column in table.column_names:
            derived = DERIVED_COLUMNS.get(table.name, {}).get(column)
            derived = derived or DERIVED_COLUMNS["*"].get(column)
            field = COLUMN_FIELDS.get(table.name, {}).get(column, (column,))
            text = _description(fields.get((kind, row + field))) if kind else None
            if text is None and derived is not None:
                text = _(derived)
            if text is not None:
                columns[column] = text
        entry: dict[str, Any] = {}
        if described:
            entry["description"] = described
        entry["columns"] = columns
        if table.name in FACETS:
            entry["facets"] = list(FACETS[table.name])
        if table.name in LABEL_COLUMNS:
            entry["label_column"] = LABEL_COLUMNS[table.name]
        tables[table.name] = entry
    return tables


def datasette_metadata(
    database: str, schemas: SchemaSet, meta: Mapping[str, str]
) -> dict[str, Any]:
    """Datasette's metadata for the export named `database` (the file name without its
    suffix, as Datasette names it), whose meta table holds `meta`."""
    tables = table_descriptions(schemas)
    tables["partners"].update(
        license=KEYS_LICENSE,
        license_url=KEYS_LICENSE_URL,
        source=_("{attribution} (ars, ags and gv_type checked against it; data processed)").format(
            attribution=ATTRIBUTION
        ),
    )
    return {
        "title": _("Registry of inter-municipal digitalisation agreements"),
        "description": _(
            "Partners, their agreements and memberships, and the IT solutions they share, "
            "exported by coopctl {version} from {revision} at {time}. Every fact names its "
            "sources: see the table sources."
        ).format(
            version=meta.get("coopctl_version", ""),
            revision=meta.get("revision", ""),
            time=meta.get("exported_at", ""),
        ),
        "source": _("The public sources each entry names (table sources)"),
        "databases": {
            database: {
                "tables": tables,
                "queries": {
                    "members_on": {
                        "title": _("Members of an agreement on a day"),
                        "description": _(
                            "The parties and participants of the agreement (its id) on the "
                            "day (YYYY-MM-DD), as coopctl list --at answers."
                        ),
                        "sql": MEMBERS_ON_SQL,
                    }
                },
            }
        },
    }


def metadata_path(database: Path) -> Path:
    """The metadata file beside a database: registry.sqlite → registry.metadata.json."""
    return database.with_name(f"{database.stem}.metadata.json")


def metadata_bytes(metadata: Mapping[str, Any]) -> bytes:
    return (json.dumps(metadata, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_metadata(database: Path, schemas: SchemaSet, meta: Mapping[str, str]) -> Path:
    """Write the metadata of `database` beside it, atomically; return its path."""
    path = metadata_path(database)
    write_atomic(path, metadata_bytes(datasette_metadata(database.stem, schemas, meta)))
    return path
