"""The tables of `coopctl export`: their names, columns and SQL types, one place for both
writers (coopctl.export builds their rows)."""

from __future__ import annotations

from dataclasses import dataclass

from coopctl.membership import EVENT_DETAILS


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[tuple[str, str], ...]  # name, SQL type and column constraints
    constraints: tuple[str, ...] = ()
    indexes: tuple[tuple[str, ...], ...] = ()

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.columns)

    def ddl(self) -> list[str]:
        parts = [f"{name} {spec}" for name, spec in self.columns] + list(self.constraints)
        statements = [f"CREATE TABLE {self.name} (\n  " + ",\n  ".join(parts) + "\n)"]
        statements += [
            f"CREATE INDEX {self.name}_{'_'.join(cols)} ON {self.name} ({', '.join(cols)})"
            for cols in self.indexes
        ]
        return statements


def _t(*names: str) -> tuple[tuple[str, str], ...]:
    return tuple((name, "TEXT") for name in names)


_REF_PARTNER = "TEXT REFERENCES partners(id)"
LEGAL_BASIS = ("state", "law", "article", "url")
TABLES: tuple[Table, ...] = (
    Table(
        "partners",
        (
            ("id", "TEXT PRIMARY KEY"),
            *_t("name", "short_name", "type", "gv_type", "special_status", "legal_form"),
            *_t("state", "states", "ars", "ags"),
            ("parent", _REF_PARTNER),
            ("dissolved", "TEXT"),
            ("successor", _REF_PARTNER),
            *_t("website", "contacts", "last_reviewed", "notes", "path"),
        ),
        indexes=(("state",), ("type",), ("ars",)),
    ),
    Table(
        "partner_owners",
        (
            ("partner_id", "TEXT NOT NULL REFERENCES partners(id)"),
            ("position", "INTEGER NOT NULL"),
            ("owner_partner", _REF_PARTNER),
            *_t("owner_state", "owner_name", "note"),
        ),
        ("PRIMARY KEY (partner_id, position)",),
        (("owner_partner",), ("owner_state",)),
    ),
    Table(
        "agreements",
        (
            ("id", "TEXT PRIMARY KEY"),
            *_t("title", "short_title", "instrument", "legal_form"),
            *_t(*(f"legal_basis_{key}" for key in LEGAL_BASIS), "task_transfer"),
            *_t("label_as_reported", "binding", "status"),
            *_t("areas", "goals", "cadence", "last_reviewed", "notes", "path"),
        ),
        indexes=(("status",), ("instrument",), ("legal_form",)),
    ),
    Table(
        "memberships",
        (
            ("agreement_id", "TEXT NOT NULL REFERENCES agreements(id)"),
            ("partner_id", "TEXT NOT NULL REFERENCES partners(id)"),
            *_t("role", "function", "from_date", "until_date", "joined_by", "left_by"),
            ("joined_event", "INTEGER"),
            ("left_event", "INTEGER"),
        ),
        indexes=(("agreement_id",), ("partner_id",), ("joined_by", "left_by")),
    ),
    Table(
        "events",
        (
            ("agreement_id", "TEXT NOT NULL REFERENCES agreements(id)"),
            ("position", "INTEGER NOT NULL"),
            *_t("date", "date_first", "date_last", "type", "partners", "role"),
            *_t(*EVENT_DETAILS, "place", "note"),
        ),
        ("PRIMARY KEY (agreement_id, position)",),
        (("date_first",), ("type",)),
    ),
    Table(
        "signatories",
        (
            ("agreement_id", "TEXT NOT NULL"),
            ("event_position", "INTEGER NOT NULL"),
            ("position", "INTEGER NOT NULL"),
            *_t("name", "role"),
            ("on_behalf_of", _REF_PARTNER),
        ),
        (
            "PRIMARY KEY (agreement_id, event_position, position)",
            "FOREIGN KEY (agreement_id, event_position) REFERENCES events(agreement_id, position)",
        ),
        (("on_behalf_of",),),
    ),
    Table(
        "agreement_roles",
        (
            ("agreement_id", "TEXT NOT NULL REFERENCES agreements(id)"),
            ("position", "INTEGER NOT NULL"),
            ("partner_id", "TEXT NOT NULL REFERENCES partners(id)"),
            *_t("role", "area", "topic", "from_date", "until_date", "note"),
        ),
        ("PRIMARY KEY (agreement_id, position)",),
        (("partner_id",), ("role",)),
    ),
    Table(
        "solutions",
        (
            ("id", "TEXT PRIMARY KEY"),
            *_t("name", "category", "description"),
            ("provider", _REF_PARTNER),
            ("operator", _REF_PARTNER),
            *_t("status", "agreements", "ozg", "efa", "license", "repository"),
            *_t("publiccode_url", "website", "last_reviewed", "notes"),
            *_t("launched", "implementing_state"),
            ("federal_partner", _REF_PARTNER),
            *_t("channels", "focus_service", "path"),
        ),
        indexes=(("provider",), ("operator",), ("category",), ("implementing_state",)),
    ),
    Table(
        "solution_users",
        (
            ("solution_id", "TEXT NOT NULL REFERENCES solutions(id)"),
            ("position", "INTEGER NOT NULL"),
            ("partner_id", "TEXT NOT NULL REFERENCES partners(id)"),
            *_t("status", "from_date", "until_date", "note"),
            ("maturity_level", "INTEGER"),
            *_t("maturity_model", "maturity_as_of"),
        ),
        ("PRIMARY KEY (solution_id, position)",),
        (("partner_id",), ("status",)),
    ),
    Table(
        "solution_components",
        (
            ("solution_id", "TEXT NOT NULL REFERENCES solutions(id)"),
            ("position", "INTEGER NOT NULL"),
            *_t("name", "repository", "license", "note"),
        ),
        ("PRIMARY KEY (solution_id, position)",),
        (("license",),),
    ),
    Table(
        "solution_adopting_states",
        (
            ("solution_id", "TEXT NOT NULL REFERENCES solutions(id)"),
            ("position", "INTEGER NOT NULL"),
            *_t("state", "from_date"),
        ),
        ("PRIMARY KEY (solution_id, position)",),
        (("state",),),
    ),
    Table(
        "sources",
        (
            ("entity_kind", "TEXT NOT NULL"),
            ("entity_id", "TEXT NOT NULL"),
            ("pointer", "TEXT NOT NULL"),
            *_t("url", "title", "publisher", "published", "accessed"),
        ),
        ("PRIMARY KEY (entity_kind, entity_id, pointer)",),
        (("url",),),
    ),
    Table("meta", (("key", "TEXT PRIMARY KEY"), ("value", "TEXT"))),
)
