"""The report's fields laid out for a page: by section, with last year's approved value, the
change, and the warnings on each field with their explanations. Plain Python, no queries."""

from dataclasses import dataclass, field
from decimal import Decimal

from reporting.forms import explanation_name, field_label
from schools import fields
from schools.models import AnnualReport


@dataclass
class Note:
    """A warning on a field and its explanation (typed on the page, or stored)."""

    rule: str
    message: str
    value: Decimal | None
    name: str
    text: str
    percent: bool = False


@dataclass
class Row:
    key: str
    label: str
    unit: str
    value: object
    previous: object
    is_bool: bool
    bound: object = None
    notes: list = field(default_factory=list)
    differs: bool = False
    theirs: object = None

    @property
    def change(self):
        if self.is_bool or self.value is None or self.previous is None:
            return None
        return Decimal(self.value) - Decimal(self.previous)

    @property
    def percent(self):
        change = self.change
        if change is None or not self.previous:
            return None
        return change / Decimal(self.previous) * 100


def notes_by_field(findings, stored, typed=None, *, orphans=False, change_rules=()):
    """Field → [Note…] for each warning finding; the text is what was typed (`typed`, the
    posted form) or else the stored explanation. With `orphans`, stored explanations no finding
    matches any more (a rule changed since) are listed too, under their rule code. The value of
    a finding of one of `change_rules` is a percentage."""
    notes = {}
    seen = set()
    for finding in findings:
        if finding.severity != "warning":
            continue
        name = explanation_name(finding)
        text = typed.get(name, "") if typed is not None else stored.get((finding.rule, finding.field), "")
        notes.setdefault(finding.field, []).append(Note(
            finding.rule, finding.message, finding.value, name, text, finding.rule in change_rules
        ))
        seen.add((finding.rule, finding.field))
    for (rule, key), text in stored.items() if orphans else ():
        if (rule, key) not in seen:
            notes.setdefault(key, []).append(Note(rule, rule, None, "", text))
    return notes


def sections(keys, *, values, previous, form=None, notes=None, theirs=None):
    """[(section title, [Row…])] over `keys` in the order of `fields.SECTIONS`.

    `values` are the figures shown, `previous` last year's approved ones (or None); with `form`,
    each row carries its bound field; `theirs` (the stored figures, after a conflict) is shown
    beside a field only where it differs from what was typed.
    """
    wanted = set(keys)
    previous = previous or {}
    notes = notes or {}
    laid_out = []
    for section, section_keys in fields.SECTIONS:
        rows = []
        for key in section_keys:
            if key not in wanted:
                continue
            model_field = AnnualReport._meta.get_field(key)
            value = values.get(key)
            row = Row(
                key=key,
                label=model_field.verbose_name,
                unit=model_field.help_text,
                value=value,
                previous=previous.get(key),
                is_bool=key in fields.BOOL_KEYS,
                bound=form[key] if form is not None else None,
                notes=notes.get(key, []),
            )
            if theirs is not None and theirs.get(key) != value:
                row.differs, row.theirs = True, theirs.get(key)
            rows.append(row)
        laid_out.append((fields.SECTION_TITLES[section], rows))
    return laid_out


def changes_of(event):
    """An event's changes as [(label, old, new)], in the report's field order."""
    changes = event.changes or {}
    return [
        (field_label(key), *changes[key])
        for key in fields.REPORT_KEYS
        if key in changes
    ]
