"""Writing planned rows: bulk inserts, and updates by primary key. Callers hold the transaction."""

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router
from django.utils.translation import gettext as _

from schools.models import School

SCHOOL_FIELDS = (
    "name",
    "school_type",
    "ownership",
    "area_type",
    "region",
    "district",
    "teaching_point",
    "parent",
)


def update_rows(instances, field_names):
    """UPDATE `field_names` of each instance, by primary key, as one statement run for every row.

    QuerySet.bulk_update() writes a CASE over every row for every field: on SQLite, 20,000
    reports × 50 fields took minutes; this takes seconds, on SQLite and PostgreSQL alike.
    """
    if not instances:
        return
    model = type(instances[0])
    connection = connections[router.db_for_write(model)]
    model_fields = [model._meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in model_fields)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(model._meta.pk.column)} = %s"
    # pre_save() gives the value to store (and stamps auto_now fields), as Model.save() does.
    params = [
        [field.get_db_prep_save(field.pre_save(instance, False), connection) for field in model_fields]
        + [instance.pk]
        for instance in instances
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _max_params(connection):
    """How many parameters one statement may carry (SQLite's own limit, not Django's 999)."""
    if connection.vendor == "sqlite":
        import sqlite3

        connection.ensure_connection()
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return 32767


def create_rows(model, instances, batch_size):
    """INSERT `instances`, many rows a statement, their ids taken from RETURNING in order (as
    bulk_create does, without compiling a placeholder per value: with 60 report fields that
    was a tenth of the import). Teaching points need the id of a central school created just
    before them, and the compliance recompute the ids of new reports."""
    if not instances:
        return
    if not connection_for(model).features.can_return_rows_from_bulk_insert:
        raise ImproperlyConfigured("The import needs a database that returns ids from bulk inserts.")
    connection = connection_for(model)
    meta = model._meta
    fields = [field for field in meta.concrete_fields if field is not meta.pk]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = max(1, min(batch_size or 2000, _max_params(connection) // len(fields)))
    with connection.cursor() as cursor:
        for start in range(0, len(instances), size):
            chunk = instances[start : start + size]
            for instance in chunk:
                # A foreign key to an instance saved earlier in the import takes its new id.
                instance._prepare_related_fields_for_save(operation_name="bulk_create")
            params = [
                field.get_db_prep_save(field.pre_save(instance, True), connection)
                for instance in chunk
                for field in fields
            ]
            cursor.execute(
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {', '.join([row] * len(chunk))} "
                f"RETURNING {quote(meta.pk.column)}",
                params,
            )
            for instance, (pk,) in zip(chunk, cursor.fetchall(), strict=True):
                instance.pk = pk
                instance._state.adding, instance._state.db = False, connection.alias


def connection_for(model):
    return connections[router.db_for_write(model)]


def _waits_for_parent(school):
    """True while the school hangs under a school of the same import that has no id yet."""
    return School.parent.is_cached(school) and school.parent is not None and school.parent.pk is None


def schools_write(*, creates, updates, batch_size):
    """Insert `creates` (a teaching point after the new central school it hangs under), then `updates`."""
    waiting = list(creates)
    while waiting:
        ready = [school for school in waiting if not _waits_for_parent(school)]
        if not ready:
            raise ValueError("Schools that hang under each other in a loop cannot be created.")
        create_rows(School, ready, batch_size)
        waiting = [school for school in waiting if school.pk is None]
    for school in updates:
        if School.parent.is_cached(school) and school.parent is not None:
            school.parent_id = school.parent.pk
    update_rows(updates, SCHOOL_FIELDS)


def schools_history(*, creates, updates, user, source):
    """One history record per school created or changed (bulk writes send no signals)."""
    reason = _("导入 %(file)s") % {"file": source} if source else _("导入")
    School.history.bulk_history_create(creates, default_user=user, default_change_reason=reason)
    School.history.bulk_history_create(updates, update=True, default_user=user, default_change_reason=reason)
