"""The report's fields laid out for a page: by section, with last year's approved value, the
change, and the warnings on each field with their explanations. Plain Python, no queries."""

from dataclasses import dataclass, field
from decimal import Decimal

from reporting.forms import explanation_name, field_label, readable
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

    @property
    def sign(self):
        """ "+" or "−" (a minus sign, not a hyphen) before a percentage; a rule reports its size alone."""
        if not self.percent or not self.value:
            return ""
        return "−" if self.value < 0 else "+"

    @property
    def size(self):
        return None if self.value is None else abs(self.value)


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

    @property
    def sign(self):
        """ "+" or "−" (a minus sign, as in print) before the change and its percentage."""
        change = self.change
        if not change:
            return ""
        return "−" if change < 0 else "+"

    @property
    def change_size(self):
        return None if self.change is None else abs(self.change)

    @property
    def percent_size(self):
        return None if self.percent is None else abs(self.percent)


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
        notes.setdefault(finding.field, []).append(
            Note(
                finding.rule,
                readable(finding.message),
                finding.value,
                name,
                text,
                finding.rule in change_rules,
            )
        )
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
            # A change rule measures how far a figure moved, not which way: a drop is a drop.
            for note in row.notes:
                if note.percent and note.value is not None and row.change is not None and row.change < 0:
                    note.value = -abs(note.value)
            rows.append(row)
        laid_out.append((fields.SECTION_TITLES[section], rows))
    return laid_out


def changes_of(event):
    """An event's changes as [(label, old, new)], in the report's field order."""
    changes = event.changes or {}
    return [(field_label(key), *changes[key]) for key in fields.REPORT_KEYS if key in changes]
