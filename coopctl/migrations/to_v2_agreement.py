"""Schema version 1 to 2: the agreement files.

Version 1 had one `legal_form` that mixed the kind of document (a letter of intent, a
memorandum) with the legal form of the cooperation (a Zweckverband). Version 2 records the
document as `instrument` and the legal form apart from it; a legal form the old value does not
tell is left out (unknown). The old value is never lost: it becomes the instrument, and where
the new vocabulary has no exact place for it, the words go into `label_as_reported` or `notes`.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

from coopctl.i18n import _
from coopctl.migrations import Change
from coopctl.yamlio import editable


@dataclass(frozen=True)
class Split:
    """What one version-1 legal form becomes in version 2."""

    instrument: str
    legal_form: str | None  # None: the old value does not tell the legal form
    label: str | None = None  # words added to label_as_reported
    note: str | None = None  # a sentence appended to notes


PRIVATE_LAW_NOTE = (
    "Version 1 of the schema recorded the legal form as privatrechtlich "
    "(a private-law contract or company)."
)
SPLITS: Mapping[str, Split] = {
    "letter_of_intent": Split("letter_of_intent", "none"),
    "memorandum_of_understanding": Split("memorandum_of_understanding", "none"),
    "kooperationsvereinbarung": Split("kooperationsvereinbarung", None),
    "arbeitsgemeinschaft": Split("other", "kommunale_arbeitsgemeinschaft"),
    "zweckvereinbarung": Split("zweckvereinbarung", "zweckvereinbarung"),
    "oeffentlich_rechtliche_vereinbarung": Split(
        "zweckvereinbarung", "zweckvereinbarung", label="Öffentlich-rechtliche Vereinbarung"
    ),
    "zweckverband": Split("satzung", "zweckverband"),
    "gemeinsame_anstalt": Split("satzung", "gemeinsame_anstalt"),
    "privatrechtlich": Split("vertrag", "other", note=PRIVATE_LAW_NOTE),
    "verwaltungsabkommen": Split("verwaltungsabkommen", "none"),
    "other": Split("other", None),
}


def migrate(document: MutableMapping[str, Any]) -> list[Change]:
    """Change one agreement document from version 1 to version 2 in place; return what changed.

    A document that has an `instrument` is already version 2 and stays as it is; so does one
    whose legal_form is no version-1 value (validation reports it)."""
    old = document.get("legal_form")
    if "instrument" in document or not isinstance(old, str) or old not in SPLITS:
        return []
    split = SPLITS[old]
    position = list(document).index("legal_form")
    _insert(document, position, "instrument", split.instrument)
    changes = [
        Change(
            "/instrument",
            _("legal_form {old} is now instrument {instrument}").format(
                old=old, instrument=split.instrument
            ),
        )
    ]
    if split.legal_form is None:
        _move_comment(document, "legal_form", "instrument")
        del document["legal_form"]
        changes.append(
            Change(
                "/legal_form",
                _("legal_form {old} does not tell the legal form: it is left out").format(old=old),
            )
        )
    else:
        document["legal_form"] = split.legal_form
        changes.append(
            Change(
                "/legal_form",
                _("legal_form {old} is now legal_form {legal_form}").format(
                    old=old, legal_form=split.legal_form
                ),
            )
        )
    if split.label is not None:
        changes.extend(_add_label(document, split.label))
    if split.note is not None:
        changes.append(_add_note(document, split.note))
    return changes


def _insert(document: MutableMapping[str, Any], position: int, key: str, value: Any) -> None:
    """Put `key` at `position`: a round-trip mapping keeps its comments, a plain one its order."""
    insert = getattr(document, "insert", None)
    if callable(insert):
        insert(position, key, value)
        return
    items = list(document.items())
    items.insert(position, (key, value))
    document.clear()
    document.update(items)


def _move_comment(document: MutableMapping[str, Any], source: str, target: str) -> None:
    """The comment after a key that goes away stays in the file, after the key that replaces it."""
    comments = getattr(getattr(document, "ca", None), "items", None)
    if isinstance(comments, dict) and source in comments:
        comments[target] = comments.pop(source)


def _add_label(document: MutableMapping[str, Any], label: str) -> list[Change]:
    labels = document.get("label_as_reported")
    if isinstance(labels, list):
        if label in labels:
            return []
        labels.append(label)
    elif labels is None:
        after = "task_transfer" if "task_transfer" in document else "legal_form"
        _insert(document, list(document).index(after) + 1, "label_as_reported", editable([label]))
    else:
        return []  # not a list: validation reports it, and nothing is overwritten
    return [
        Change(
            "/label_as_reported",
            _("'{label}' added to label_as_reported").format(label=label),
        )
    ]


def _add_note(document: MutableMapping[str, Any], sentence: str) -> Change:
    notes = document.get("notes")
    if isinstance(notes, str) and notes.strip():
        document["notes"] = editable(f"{notes.rstrip()} {sentence}")
    elif notes is None or (isinstance(notes, str) and not notes.strip()):
        document["notes"] = editable(sentence)
    else:
        # Not text (validation reports it): keep it and say so.
        return Change("/notes", _("notes is not text; the sentence was not added"))
    return Change("/notes", _("a sentence on the old legal form added to notes"))
