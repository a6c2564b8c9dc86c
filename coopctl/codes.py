"""The table of problem codes: stable identifiers, default severities and their documentation.

Codes never change meaning once released. `coopctl explain CODE` and docs/problems.md are
both produced from (and tested against) this table.
"""

from __future__ import annotations

from dataclasses import dataclass

from coopctl.i18n import N_
from coopctl.model import Problem, Severity

E, W = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True)
class CodeInfo:
    code: str
    name: str
    severity: Severity
    summary: str
    explanation: str
    example: str
    fix: str


_TABLE: tuple[CodeInfo, ...] = (
    # --- V: schema versions ---------------------------------------------------------------
    CodeInfo(
        "V001",
        "old-schema-version",
        E,
        N_("The registry is written for an older schema version."),
        N_(
            "Each schema file of a registry says its version in x-version (no x-version is "
            "version 1). This coopctl reads the current version only; field names and values of "
            "older versions would otherwise be reported as unknown, one problem each. Until the "
            "registry is migrated nothing else is checked, and the other commands refuse to read "
            "it."
        ),
        N_("schemas/agreement.schema.json  (no x-version: version 1)"),
        N_(
            "Run 'coopctl migrate --check' to see what would change, then 'coopctl migrate', "
            "and commit the result."
        ),
    ),
    CodeInfo(
        "V002",
        "mixed-schema-versions",
        E,
        N_("The schema files are not of one schema version."),
        N_(
            "The four schema files of a registry (defs, partner, agreement, solution) are one "
            "set and declare the same x-version, a whole number. A set that mixes versions, or a "
            "version that is not a whole number, comes from a partial copy or a hand edit."
        ),
        N_('schemas/partner.schema.json:3:3  "x-version": 1   (the others: 2)'),
        N_(
            "Restore the schemas from git, or run 'coopctl migrate', which replaces them with "
            "coopctl's own and upgrades the data."
        ),
    ),
    CodeInfo(
        "V003",
        "migration-step-failed",
        E,
        N_("A migration step could not migrate this file."),
        N_(
            "coopctl migrate runs the declared step of each kind on every entity file. A step "
            "meets data of every shape, also shapes the schema does not allow (a text where a "
            "mapping belongs); where it cannot handle what it finds, the file is named with the "
            "step's error and the migration is refused: nothing is written."
        ),
        N_(
            "registry/solutions/x.yaml:1:1: error[V003] the migration step for solution files "
            "failed on this file (TypeError: ...)"
        ),
        N_(
            "Correct the value the error names (compare the file with the schema of its "
            "version), run 'coopctl migrate' again, and report the case to coopctl's maintainers."
        ),
    ),
    # --- F: files -------------------------------------------------------------------------
    CodeInfo(
        "F001",
        "file-too-large",
        E,
        N_("The file is larger than 1 MiB."),
        N_(
            "Registry files describe one entity each and stay small. Larger files are refused "
            "unread so that a hostile or accidental upload cannot exhaust memory."
        ),
        "registry/partners/huge.yaml  (3 MB)",
        N_("Split the content or remove what does not belong to one entity."),
    ),
    CodeInfo(
        "F002",
        "invalid-utf8",
        E,
        N_("The file is not valid UTF-8."),
        N_(
            "Registry files must be UTF-8 (a byte order mark is accepted). The position is the "
            "first byte that cannot be decoded."
        ),
        N_("name: N\\xfcrnberg   (Latin-1 byte 0xFC)"),
        N_("Re-save the file as UTF-8 in your editor."),
    ),
    CodeInfo(
        "F003",
        "nul-byte",
        E,
        N_("The file contains a NUL byte."),
        N_("A NUL byte means the file is binary or damaged; YAML does not allow it."),
        "name: Stadt\\x00",
        N_("Remove the byte or restore the file from git."),
    ),
    CodeInfo(
        "F004",
        "symlink-outside-root",
        E,
        N_("A symbolic link points outside the registry."),
        N_(
            "Links that leave the registry root are not followed: they could expose files that "
            "do not belong to the registry."
        ),
        "registry/partners/x.yaml -> /etc/passwd",
        N_("Replace the link with the file itself."),
    ),
    CodeInfo(
        "F005",
        "misplaced-file",
        E,
        N_("The file is not in a kind folder."),
        N_(
            "Entities live in registry/partners/, registry/agreements/ or registry/solutions/, "
            "one file per entity, without sub-folders."
        ),
        "registry/braunschweig.yaml",
        N_("Move the file into the folder of its kind."),
    ),
    CodeInfo(
        "F006",
        "wrong-extension",
        E,
        N_("The file does not end in .yaml."),
        N_(
            "Only files ending in .yaml are read; other files in kind folders are likely "
            "mistakes (.yml, .json, editor backups)."
        ),
        "registry/partners/braunschweig.yml",
        N_("Rename the file to <id>.yaml or remove it."),
    ),
    CodeInfo(
        "F007",
        "unreadable-file",
        E,
        N_("The file or folder cannot be read."),
        N_(
            "The operating system refused to open the file (permissions) or it is not a regular "
            "file."
        ),
        "chmod 000 registry/partners/x.yaml",
        N_("Fix the permissions, or remove the entry."),
    ),
    CodeInfo(
        "F008",
        "link-not-written",
        E,
        N_("A file to be rewritten is a symbolic link."),
        N_(
            "fmt, add, set and edit never write through a link: replacing it with a file would "
            "break the link, and writing its target would change a file by another name. Both "
            "stay as they are."
        ),
        "registry/agreements/old-name.yaml -> new-name.yaml",
        N_("Format or edit the file the link leads to, or replace the link with that file."),
    ),
    CodeInfo(
        "F009",
        "unsafe-rewrite",
        E,
        N_("The rewritten file would read differently."),
        N_(
            "fmt reads what it would write with the same reader validate uses and writes it only "
            "if it is accepted and holds exactly the same data. This refusal means coopctl could "
            "not lay the file out safely; the file is left as it is."
        ),
        N_('name: "a\\Lb"   (a value whose layout could change it)'),
        N_("Keep the file as it is and report the case, with the file, to coopctl's maintainers."),
    ),
    CodeInfo(
        "F010",
        "changed-meanwhile",
        E,
        N_("The file changed on disk while it was being edited."),
        N_(
            "coopctl edit writes the edited file only if the file on disk still holds exactly "
            "what the editor was given. Another program (or another coopctl) changed it in "
            "between, so writing would lose that change: nothing is overwritten, and the edited "
            "version is kept in the temporary file the message names."
        ),
        N_(
            "registry/partners/landkreis-gifhorn.yaml:1:1: error[F010] changed on disk while it "
            "was being edited"
        ),
        N_("Compare the kept version with the file, then run coopctl edit again."),
    ),
    # --- Y: YAML --------------------------------------------------------------------------
    CodeInfo(
        "Y001",
        "yaml-syntax",
        E,
        N_("The file is not valid YAML."),
        N_("The YAML parser stopped at the position given. The message names what it expected."),
        "name: [Stadt Braunschweig",
        N_(
            "Fix the syntax at the position shown; quote values that contain ': ' or start with "
            "special characters."
        ),
    ),
    CodeInfo(
        "Y002",
        "duplicate-key",
        E,
        N_("A mapping has the same key twice."),
        N_(
            "YAML forbids duplicate keys; parsers disagree on which value wins, so coopctl "
            "refuses the file."
        ),
        "name: A\nname: B",
        N_("Keep one of the two entries."),
    ),
    CodeInfo(
        "Y003",
        "multiple-documents",
        E,
        N_("The file holds more than one YAML document."),
        N_("Each file describes exactly one entity; a second '---' starts another document."),
        "kind: partner\n---\nkind: partner",
        N_("Put each entity into its own file."),
    ),
    CodeInfo(
        "Y004",
        "anchor-or-alias",
        E,
        N_("The file uses YAML anchors or aliases."),
        N_(
            "Anchors (&a) and aliases (*a) make content appear in several places at once and are "
            "the basis of 'billion laughs' attacks. Registry files spell every value out."
        ),
        "a: &x [1, 2]\nb: *x",
        N_("Write the value out where it is used."),
    ),
    CodeInfo(
        "Y005",
        "not-a-mapping",
        E,
        N_("The top level of the file is not a mapping."),
        N_("A registry file is a mapping of field names to values (kind, id, ...)."),
        "- kind: partner",
        N_("Remove the leading '- ' or wrap the content in a mapping."),
    ),
    CodeInfo(
        "Y006",
        "merge-conflict",
        E,
        N_("The file contains git merge-conflict markers."),
        N_("Lines starting with <<<<<<<, ======= or >>>>>>> are left by an unfinished merge."),
        "<<<<<<< HEAD\nname: A\n=======\nname: B\n>>>>>>> branch",
        N_("Resolve the conflict (keep the right side), remove the markers, then 'git add'."),
    ),
    CodeInfo(
        "Y007",
        "unsafe-tag",
        E,
        N_("The file uses a YAML tag that would build an object."),
        N_(
            "Tags such as !!python/object, !!binary, !!set or custom !tags are refused: registry "
            "values are plain strings, numbers, booleans, lists and mappings."
        ),
        "x: !!python/object/apply:os.system ['id']",
        N_("Remove the tag and write the plain value."),
    ),
    CodeInfo(
        "Y008",
        "too-deep",
        E,
        N_("The file nests mappings or lists too deeply."),
        N_(
            "More than 64 levels of nesting are refused: no registry field needs them and they "
            "can exhaust the parser."
        ),
        "a: [[[[[[[[ ... ]]]]]]]]",
        N_("Flatten the structure."),
    ),
    CodeInfo(
        "Y009",
        "tab-indentation",
        E,
        N_("A tab character is used for indentation."),
        N_("YAML forbids tabs for indentation."),
        "name:\n\t- x",
        N_("Indent with spaces (two per level)."),
    ),
    CodeInfo(
        "Y010",
        "empty-file",
        E,
        N_("The file is empty or holds only comments."),
        N_("Every registry file must describe an entity."),
        N_("# nothing here"),
        N_("Fill in the entity or delete the file."),
    ),
    CodeInfo(
        "Y011",
        "non-string-key",
        E,
        N_("A mapping key is not a string."),
        N_("Keys such as 1, null, true or [a] cannot be field names."),
        "1: x\nnull: y",
        N_("Use a field name from the schema (quote it if it looks like a number)."),
    ),
    CodeInfo(
        "Y012",
        "invalid-character",
        E,
        N_("The file holds a character a registry cannot keep."),
        N_(
            "NEXT LINE (U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH SEPARATOR (U+2029) are "
            "line breaks to some YAML parsers and text to others, so the same file would mean "
            "different things; and a \\u escape of half a surrogate pair (\\ud83d alone) is no "
            "character at all. (A complete pair, as JSON writes it, is joined into its "
            "character.)"
        ),
        'name: "Stadt\\ud83d"',
        N_("Remove the character, or write the intended character itself."),
    ),
    CodeInfo(
        "Y013",
        "unknown-yaml-version",
        W,
        N_("The %YAML directive names a version coopctl does not know."),
        N_(
            "YAML 1.2 is the version registry files are read as. A directive for another 1.x "
            "version (1.0, 1.3) is read as YAML 1.2, as the YAML specification asks of a parser "
            "that meets a minor version it does not know; a %YAML 2.0 directive is an error "
            "(Y001)."
        ),
        "%YAML 1.3",
        N_("Remove the directive, or write %YAML 1.2."),
    ),
    CodeInfo(
        "Y014",
        "parser-failure",
        E,
        N_("The YAML parser failed on this file."),
        N_(
            "A YAML library coopctl uses raised an error of its own on this file instead of "
            "reading it or naming a syntax error (for example ruamel.yaml's round-trip parser on "
            "a comment between a key and a value on the next line). The file is reported, not "
            "read or rewritten, and the run goes on with the other files."
        ),
        "name:  # a comment here\n  Stadt Augsburg",
        N_("Move the comment to its own line above the key, or write the value on the key's line."),
    ),
    CodeInfo(
        "Y015",
        "not-a-json-value",
        E,
        N_("The value is infinite or not a number (.inf, .nan)."),
        N_(
            "Registry files must hold data that JSON can hold, since validation, the JSON and "
            "SARIF output and the exports are JSON. .inf, -.inf and .nan have no JSON form."
        ),
        "population: .inf",
        N_("Write the number itself, or text (quoted) if it is not a number."),
    ),
    CodeInfo(
        "Y016",
        "bad-indentation",
        E,
        N_("A key is indented to a column where no block of the file is."),
        N_(
            "YAML reads structure from indentation: the keys of one mapping start in the same "
            "column, and the keys inside a list item start under the item's first key. A key "
            "one space off is read as the end of the value above it or as a block that cannot "
            "start there. The hint names the column of the closest key it could stand beside "
            "and shows the line moved there."
        ),
        "name: Stadt Braunschweig\n state: DE-NI",
        N_("Start the key in the column the hint names (spaces only, two per level)."),
    ),
    CodeInfo(
        "Y017",
        "missing-space-after-colon",
        E,
        N_("A key's colon is not followed by a space."),
        N_(
            "A field is written 'key: value', with a space after the colon. Without it, "
            "'ars:031010000000' is one piece of text, not a field with a value."
        ),
        "ars:'031010000000'",
        N_("Put a space after the colon, as the hint shows."),
    ),
    CodeInfo(
        "Y018",
        "unclosed-quote",
        E,
        N_("A quoted value is never closed."),
        N_(
            "A value that starts with ' or \" ends at the same quote. Without it, the rest of the "
            "file would be part of the value, so the file cannot be read."
        ),
        'name: "Stadt Braunschweig',
        N_("End the value with the same quote it starts with, as the hint shows."),
    ),
    CodeInfo(
        "Y019",
        "colon-in-value",
        E,
        N_("An unquoted value holds ': '."),
        N_(
            "': ' separates a key from its value, so a plain value cannot hold it: "
            "'name: Braunschweig: Stadt' would be a field inside a field. Quoting the value "
            "keeps it as text."
        ),
        "short_name: Braunschweig: Stadt",
        N_("Quote the whole value, as the hint shows: short_name: 'Braunschweig: Stadt'."),
    ),
    # --- S: schema ------------------------------------------------------------------------
    CodeInfo(
        "S001",
        "schema",
        E,
        N_("The value breaks a rule of the schema."),
        N_(
            "A rule of the JSON Schema for this kind is not met (length, number of items, "
            "uniqueness, ...). The message says which."
        ),
        "sources: []",
        N_("Change the value so that it meets the rule; see the schema's description."),
    ),
    CodeInfo(
        "S002",
        "missing-field",
        E,
        N_("A required field is missing."),
        N_("Each kind has fields that must be present; the message names the missing one."),
        N_("kind: partner\nid: x   # no name"),
        N_("Add the field."),
    ),
    CodeInfo(
        "S003",
        "unknown-field",
        E,
        N_("The field is not part of the schema."),
        N_(
            "Unknown fields are refused so that typos (naem:) are found; the message suggests the "
            "closest known field."
        ),
        "naem: Stadt Braunschweig",
        N_("Rename the field to a known one or remove it."),
    ),
    CodeInfo(
        "S004",
        "wrong-type",
        E,
        N_("The value has the wrong type."),
        N_(
            "For example a number where text is expected, or a single value where a list is "
            "expected. Quote values such as 03101000 to keep them as text."
        ),
        "ags: 03101000",
        N_("Write the value in the expected type (quote keys and codes)."),
    ),
    CodeInfo(
        "S005",
        "invalid-choice",
        E,
        N_("The value is not one of the allowed choices."),
        N_("Fields such as kind, legal_form or status take one of a fixed list of values."),
        "kind: city",
        N_("Use one of the values the message lists."),
    ),
    CodeInfo(
        "S006",
        "invalid-format",
        E,
        N_("The value does not have the required format."),
        N_(
            "Ids are lower-case slugs, dates are YYYY, YYYY-MM or YYYY-MM-DD, keys have a fixed "
            "number of digits, URLs start with http(s)://."
        ),
        "published: 23.09.2020",
        N_("Write the value in the format the message names."),
    ),
    # --- I: identity ----------------------------------------------------------------------
    CodeInfo(
        "I001",
        "id-mismatch",
        E,
        N_("The id differs from the file name."),
        N_(
            "The id of an entity must equal the file name without .yaml, so that files and ids "
            "can be found from each other."
        ),
        N_("registry/partners/bs.yaml with id: braunschweig"),
        N_("Rename the file (git mv) or change the id."),
    ),
    CodeInfo(
        "I002",
        "duplicate-id",
        E,
        N_("Two entities of one kind share an id."),
        N_("Ids are unique per kind."),
        N_("two partner files with id: braunschweig"),
        N_("Give one of them another id."),
    ),
    CodeInfo(
        "I003",
        "duplicate-ars",
        E,
        N_("Two partners share an ARS."),
        N_(
            "The Amtlicher Regionalschlüssel identifies one territorial body; two partners with "
            "the same key describe the same body twice."
        ),
        N_("ars: '031010000000' in two partner files"),
        N_("Merge the two partners, or correct the key."),
    ),
    CodeInfo(
        "I004",
        "kind-mismatch",
        E,
        N_("The kind field does not match the folder."),
        N_("A file in registry/partners/ must say kind: partner, and so on."),
        N_("registry/partners/x.yaml with kind: agreement"),
        N_("Move the file or correct the kind."),
    ),
    CodeInfo(
        "I005",
        "duplicate-item",
        E,
        N_("Two items of a list have the same identity."),
        N_(
            "Items of some lists are identified by fields the schema names (x-identity): "
            "sources by url, events by date and type, users by partner, contacts by name and "
            "role. Two items with the same identity describe one thing twice."
        ),
        "events:\n  - {date: '2021-04-23', type: accession, partners: [a]}\n"
        "  - {date: '2021-04-23', type: accession, partners: [b]}",
        N_("Merge the two items (one accession can name several partners)."),
    ),
    CodeInfo(
        "I006",
        "similar-partner",
        W,
        N_("Two partners of one type have the same name, or two partners the same AGS."),
        N_(
            "Names are compared loosely: case, umlauts (ü or ue), ß, accents, blanks and "
            "punctuation do not count, nor a word that repeats the type (Stadt, Landkreis, "
            "Kreis, Gemeinde ...). Partners whose ARS differ are two bodies whatever their names "
            "(there are many a Gemeinde Buch). Such partners usually describe one body twice; "
            "`coopctl add` refuses to write one unless --allow-similar. A shared ARS is I003 and "
            "not repeated here."
        ),
        "name: Landkreis Gifhorn   (registry/partners/gifhorn.yaml)\n"
        "name: Kreis Gifhorn       (registry/partners/kreis-gifhorn.yaml)",
        N_(
            "Merge the two partners if they are one body; otherwise make the names tell them apart."
        ),
    ),
    # --- R: references --------------------------------------------------------------------
    CodeInfo(
        "R001",
        "dangling-reference",
        E,
        N_("A reference names an entity that does not exist."),
        N_(
            "Fields such as partners, on_behalf_of, provider or agreements hold ids of other "
            "entities, which must exist in the registry. The message suggests the closest id."
        ),
        "partners: [braunschwieg]",
        N_("Correct the id, or add the missing entity first."),
    ),
    CodeInfo(
        "R002",
        "reference-to-unreadable-file",
        W,
        N_("A reference names an entity whose file cannot be read."),
        N_(
            "The file of the id exists in its kind folder, but it could not be read (a YAML "
            "mistake, bytes that are not UTF-8, a link that is not followed), so nothing in it "
            "is known. The message names the file and its first problem, which is reported "
            "there as an error; once the file reads, the reference is checked as any other."
        ),
        N_("partners: [braunschweig]   (registry/partners/braunschweig.yaml has a tab)"),
        N_("Correct the file the message names."),
    ),
    # --- K: keys (AGS/ARS) ----------------------------------------------------------------
    CodeInfo(
        "K001",
        "key-state-mismatch",
        E,
        N_("The ARS or AGS does not belong to the state."),
        N_(
            "The first two digits of a key are the Land (03 Niedersachsen, 09 Bayern, ...) and "
            "must agree with the state field."
        ),
        "state: DE-BY\nars: '031010000000'",
        N_("Correct the state or the key."),
    ),
    CodeInfo(
        "K002",
        "unknown-regierungsbezirk",
        E,
        N_("The Regierungsbezirk or statistical region digit does not exist."),
        N_(
            "The third digit of a key is the Regierungsbezirk (in Niedersachsen the statistical "
            "region); each Land has only some of them (0 where it has none)."
        ),
        N_("ars: '098620000000'   (Bayern has no Regierungsbezirk 8)"),
        N_("Look the key up with 'coopctl lookup NAME'."),
    ),
    CodeInfo(
        "K003",
        "ags-ars-mismatch",
        E,
        N_("The AGS does not agree with the ARS."),
        N_("The AGS is the ARS without the Gemeindeverband digits: ags == ars[0:5] + ars[9:12]."),
        "ars: '031010000000'\nags: '03102000'",
        N_("Correct one of the two keys; 'coopctl lookup' prints both."),
    ),
    CodeInfo(
        "K004",
        "key-shape",
        E,
        N_("The key does not have the shape this type of partner needs."),
        N_(
            "A kreisfreie Stadt's key ends in 000 after its Kreis; a Landkreis has no AGS and its "
            "ARS is the five-digit Kreis key followed by seven zeros; only territorial partners "
            "carry an ARS or AGS."
        ),
        N_("type: landkreis\nags: '03151000'"),
        N_("Remove or correct the key."),
    ),
    CodeInfo(
        "K005",
        "unknown-key",
        E,
        N_("The key is not in the Gemeindeverzeichnis."),
        N_(
            "ARS and AGS are checked against the bundled Destatis Gemeindeverzeichnis "
            "(Gebietsstand 30.11.2025)."
        ),
        "ars: '031990000000'",
        N_(
            "Look the partner up with 'coopctl lookup NAME' and copy its keys; for a body that "
            "no longer exists, record when it was dissolved (dissolved, with its successor)."
        ),
    ),
    CodeInfo(
        "K006",
        "kind-mismatch-gv",
        E,
        N_("The partner type disagrees with the Gemeindeverzeichnis."),
        N_(
            "The Gemeindeverzeichnis records the type of each body (kreisfreie Stadt, Landkreis, "
            "Stadt, Gemeinde, ...); the partner type (the field type) must match it."
        ),
        N_("type: landkreis\nars: '031010000000'   (Braunschweig is a kreisfreie Stadt)"),
        N_("Use the type that 'coopctl lookup' prints."),
    ),
    CodeInfo(
        "K007",
        "missing-key",
        W,
        N_("A territorial partner has no ARS."),
        N_(
            "Cities, counties and other territorial bodies are identified by their Amtlicher "
            "Regionalschlüssel; without it they cannot be checked or joined with other data."
        ),
        N_("type: kreisfreie_stadt   # no ars"),
        N_("Add the ARS ('coopctl lookup NAME' prints it)."),
    ),
    CodeInfo(
        "K008",
        "gv-type-mismatch",
        E,
        N_("The Textkennzeichen (gv_type) disagrees with the Gemeindeverzeichnis."),
        N_(
            "gv_type keeps the type of the body as the Gemeindeverzeichnis records it for the "
            "key, verbatim (63 Stadt, 61 kreisfreie Stadt, 52 Samtgemeinde); it must be one "
            "the directory gives that key."
        ),
        N_("ars: '031010000000'\ngv_type: '63'   (Braunschweig is 61, kreisfreie Stadt)"),
        N_("Use the Textkennzeichen that 'coopctl lookup' prints, or remove gv_type."),
    ),
    CodeInfo(
        "K009",
        "not-a-body",
        E,
        N_("The key names an area that is no body."),
        N_(
            "The Gemeindeverzeichnis also lists areas that are no Gebietskörperschaft and no "
            "authority: the Statistische Regionen of Niedersachsen and former Regierungs- or "
            "Direktionsbezirke. Nothing can take part in an agreement as such an area."
        ),
        N_("ars: '031000000000'   (Statistische Region Braunschweig)"),
        N_("Record the body itself: the Land, a Kreis, or the authority as landesbehoerde."),
    ),
    CodeInfo(
        "K010",
        "type-outside-its-land",
        E,
        N_("The partner type does not exist in the partner's Land."),
        N_(
            "A bezirk is a Bavarian Bezirk (a kommunale Gebietskörperschaft above the Kreise); "
            "a stadtbezirk is a Bezirk of Berlin or Hamburg. Elsewhere neither exists."
        ),
        N_("type: bezirk\nstate: DE-NW"),
        N_("Use the type of the body; a Bezirksregierung is a landesbehoerde."),
    ),
    CodeInfo(
        "K011",
        "regierung-as-bezirk",
        W,
        N_("A Regierung is recorded as a Bezirk."),
        N_(
            "A Regierung (Regierung von Oberbayern) is an authority of the Freistaat Bayern; "
            "the Bezirk of the same area (Bezirk Oberbayern) is a kommunale "
            "Gebietskörperschaft of its own."
        ),
        N_("name: Regierung von Oberbayern\ntype: bezirk"),
        N_("Set type: landesbehoerde, or name the Bezirk if the Bezirk is meant."),
    ),
    CodeInfo(
        "K012",
        "dissolved-key",
        W,
        N_("A dissolved partner's key is checked only for its shape and Land."),
        N_(
            "The bundled Gemeindeverzeichnis lists the bodies of one Gebietsstand. A body "
            "that merged or was dissolved before (dissolved) is not in it, so its keys are "
            "checked only for their shape and their Land."
        ),
        N_("ars: '031560000000'\ndissolved: '2016-11-01'   (Landkreis Osterode am Harz)"),
        N_("Nothing to fix when the key is the body's last one; check it against its sources."),
    ),
    CodeInfo(
        "K013",
        "name-mismatch-gv",
        W,
        N_("The partner's name differs from the Gemeindeverzeichnis' name for its key."),
        N_(
            "The name is compared with the directory's name for the key, in its usual forms "
            "('Stadt Goslar' for 'Goslar, Stadt', 'Landkreis Gifhorn' for 'Gifhorn'). A "
            "different name usually means that the keys belong to another body."
        ),
        N_("name: Stadt Hildesheim\nars: '031530017017'   (the key of Goslar)"),
        N_("Correct the name or the keys ('coopctl lookup NAME' prints them)."),
    ),
    CodeInfo(
        "K014",
        "dissolved-partner-in-event",
        W,
        N_("An event names a partner after its dissolution."),
        N_(
            "A partner with a dissolved date no longer existed after that day, so an event "
            "dated later cannot have it among its partners; usually the successor is meant, or "
            "one of the two dates is wrong. Partial dates count only when certainly later."
        ),
        N_("dissolved: '2016-11-01'   (partner)\n- date: '2018-03'\n  partners: [osterode]"),
        N_("Name the successor in the event, or correct the date of the event or the partner."),
    ),
    # --- D/E: dates and events ------------------------------------------------------------
    CodeInfo(
        "D001",
        "invalid-date",
        E,
        N_("The date does not exist in the calendar."),
        N_("The date has the right format but names a day that does not exist."),
        "date: 2021-02-30",
        N_("Correct the date; use a partial date (2021-02) if the day is unknown."),
    ),
    CodeInfo(
        "D002",
        "future-date",
        E,
        N_("The date lies in the future."),
        N_("Events record what has happened; a date after today is a typo or a plan."),
        "date: 2092-09-23",
        N_("Correct the date, or record plans in notes."),
    ),
    CodeInfo(
        "D003",
        "date-order",
        E,
        N_("A period ends before it starts."),
        N_("Fields with from and until must not end before they start."),
        "from: 2022\nuntil: 2020",
        N_("Swap or correct the dates."),
    ),
    CodeInfo(
        "E001",
        "accession-before-signing",
        E,
        N_("An accession is dated before the signing."),
        N_("Partners can only accede to an agreement that has been signed."),
        N_("signed 2020-09, accession 2019-04-23"),
        N_("Correct the dates of the events."),
    ),
    CodeInfo(
        "E002",
        "leave-without-join",
        E,
        N_("A partner leaves who never joined."),
        N_(
            "A withdrawal (or participant_left) names a partner that was not a member (or "
            "participant) at that time."
        ),
        N_("withdrawal of augsburg from an agreement augsburg never signed"),
        N_("Record the signing or accession first, or correct the partner."),
    ),
    CodeInfo(
        "E003",
        "status-events-mismatch",
        E,
        N_("The status disagrees with the events."),
        N_(
            "terminated needs a termination event, dissolved a dissolution, superseded a "
            "supersession; signed and active need a signing and no ending event; draft has no "
            "signing."
        ),
        N_("status: terminated   # but no termination event"),
        N_("Record the event, or correct the status."),
    ),
    CodeInfo(
        "E004",
        "event-without-parties",
        E,
        N_("A signing or membership event names nobody."),
        N_(
            "signed, accession, withdrawal and participant_* events must list the partners they "
            "concern."
        ),
        "- date: 2021-04-23\n  type: accession",
        N_("Add partners: [id, ...] to the event."),
    ),
    CodeInfo(
        "E005",
        "role-not-allowed",
        E,
        N_("An event gives a role it cannot give."),
        N_(
            "Roles go with the events that make partners members: lead and office with signed, "
            "accession and participant_joined; guest, observer, advisory_member and funder only "
            "with participant_joined, because they take part without being parties."
        ),
        "- date: 2021-04-23\n  type: accession\n  role: observer",
        N_("Record the role on the right event, or make the event a participant_joined."),
    ),
    CodeInfo(
        "E006",
        "task-transfer-without-zweckvereinbarung",
        E,
        N_("task_transfer is given for an agreement that is not a Zweckvereinbarung."),
        N_(
            "Only a Zweckvereinbarung transfers a task from one partner to another, delegating "
            "it (the task passes) or mandating it (it is carried out for the others). Any other "
            "legal form, or none given, has no task transfer."
        ),
        "legal_form: none\ntask_transfer: delegating",
        N_("Set legal_form: zweckvereinbarung, or remove task_transfer."),
    ),
    # --- C: change rules (coopctl check) ---------------------------------------------------
    CodeInfo(
        "C001",
        "removed-while-referenced",
        E,
        N_("An entity that others still reference is removed or gets a new id."),
        N_(
            "coopctl check compares the head of a change with its base. Removing an entity, or "
            "changing its id, leaves every reference to the old id dangling. The message lists "
            "the entities and fields that still name it."
        ),
        N_("git rm registry/partners/salzgitter.yaml   # an agreement still lists salzgitter"),
        N_("Update the references in the same change, or keep the entity."),
    ),
    CodeInfo(
        "C002",
        "id-changed",
        W,
        N_("An entity changed its id."),
        N_(
            "A new id under the same content (or the same id in a new file) is reported as a "
            "rename, so that reviewers see it: links and tools outside the registry may use the "
            "old id."
        ),
        "registry/partners/cit-gmbh.yaml -> registry/partners/cit.yaml, id: cit",
        N_("Nothing, if the rename is intended; otherwise restore the old id."),
    ),
    CodeInfo(
        "C003",
        "status-backwards",
        E,
        N_("An agreement's status goes back without an event that explains it."),
        N_(
            "Status moves forward (draft, approved, signed, active, ended). Going back, for "
            "example from terminated to active, needs a new signed, amendment or extension "
            "event in the same change."
        ),
        N_("status: terminated -> status: active   (no new event)"),
        N_("Add the event that revived the agreement, or keep the status."),
    ),
    CodeInfo(
        "C004",
        "event-date-changed",
        W,
        N_("The date of an existing event changed."),
        N_(
            "Events are history; moving one to another date changes membership on the dates in "
            "between. It may be a correction, so it is a warning for the reviewer."
        ),
        "date: '2021-04-23' -> date: '2021-05-23'",
        N_("Make sure a source supports the new date."),
    ),
    # --- L: limits -------------------------------------------------------------------------
    CodeInfo(
        "L001",
        "more-problems",
        W,
        N_("A file has more problems than are shown."),
        N_(
            "validate and check show at most --max-problems-per-file problems of one file "
            "(100 unless set; 0 shows all), in the order of the file, and then this one line "
            "with the number left out. Only the problems shown are located, so a file with "
            "thousands of problems costs no more than one with a hundred. The exit code counts "
            "every problem, shown or not."
        ),
        N_("registry/partners/x.yaml:1:1: warning[L001] and 19900 more problems in this file"),
        N_("Fix the problems shown and run again, or pass --max-problems-per-file 0."),
    ),
    # --- P: solutions ---------------------------------------------------------------------
    CodeInfo(
        "P001",
        "publiccode-not-linked",
        W,
        N_("The text mentions a publiccode.yml that is not linked."),
        N_(
            "A solution whose description or notes (or a user's note) speak of a publiccode.yml "
            "has one, and its address belongs in publiccode_url, where tools and readers find "
            "it. The word is found in any case, with .yml or .yaml."
        ),
        N_("notes: The repository carries a publiccode.yml.   (no publiccode_url)"),
        N_("Add publiccode_url with the file's address, or reword the text."),
    ),
    CodeInfo(
        "P002",
        "used-before-launch",
        W,
        N_("A use or an adoption starts before the solution was launched."),
        N_(
            "users[].from and efa.adopting_states[].from are compared with launched. Partial "
            "dates count only when they are certainly earlier: 2022 is not before 2022-09."
        ),
        N_("launched: '2022-09'\nusers:\n  - partner: augsburg\n    from: '2021'"),
        N_("Check both dates against their sources and correct the wrong one."),
    ),
    # --- Q: data quality ------------------------------------------------------------------
    CodeInfo(
        "Q001",
        "no-source",
        W,
        N_("A fact has no source."),
        N_(
            "Every entity, and every event, should say where its facts come from. An event "
            "without sources of its own is fine when the entity has sources."
        ),
        N_("sources: []   (or no sources field)"),
        N_("Add sources with url, title and published date."),
    ),
)

CODES: dict[str, CodeInfo] = {info.code: info for info in _TABLE}
NAMES: dict[str, CodeInfo] = {info.name: info for info in _TABLE}


def info_for(code_or_name: str) -> CodeInfo | None:
    """Look a code up by code (case-insensitive) or by its name."""
    key = code_or_name.strip()
    return CODES.get(key.upper()) or NAMES.get(key.lower())


def all_codes() -> tuple[CodeInfo, ...]:
    return _TABLE


def new_problem(
    code: str,
    message: str,
    path: str,
    *,
    line: int = 0,
    column: int = 0,
    pointer: str | None = None,
    entity: str | None = None,
    hint: str | None = None,
) -> Problem:
    """A Problem with the default severity of its code. Line 0 means: locate it by `pointer`."""
    return Problem(
        code=code,
        severity=CODES[code].severity,
        message=message,
        path=path,
        line=line,
        column=column,
        pointer=pointer,
        entity=entity,
        hint=hint,
    )
