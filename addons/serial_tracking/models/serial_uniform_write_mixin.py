from collections import defaultdict

from odoo import models
from odoo.models import UPDATE_BATCH_SIZE
from odoo.tools import SQL


class SerialUniformWriteMixin(models.AbstractModel):
    """Flushing thousands of rows that get the same values, in one UPDATE.

    The ORM flushes pending values 100 rows per statement, each an ``UPDATE ... FROM (VALUES ...)`` joined
    on id (BaseModel._write_multi). Once a table has a few thousand rows PostgreSQL joins those hundred
    values by reading the whole table, so the done pass of a 5,000-serial chunk (every line's state and
    date) reads stock_move_line fifty times over. When many records get the same values, as the lines of a
    bulk validation do, one ``UPDATE ... WHERE id = ANY(...)`` writes the same columns with the same values
    and the same write_uid and write_date as the ORM would.
    """

    _name = "serial.uniform.write.mixin"
    _description = "Uniform row writes in one statement"

    def _write_multi(self, vals_list):
        records, vals_list = write_uniform_rows(self, vals_list)
        return super(SerialUniformWriteMixin, records)._write_multi(vals_list)


def write_uniform_rows(records, vals_list):
    """Writes, one statement per set of values, the rows of ``records`` (as BaseModel._write_multi
    gets them, one dict of column values per record) that share their values with at least
    UPDATE_BATCH_SIZE others; returns the records and values left for _write_multi."""
    fields = records._fields
    if records._parent_store:
        return records, vals_list
    groups = defaultdict(list)  # sorted column values -> indexes in records
    for index, vals in enumerate(vals_list):
        if any(fields[name].translate or fields[name].company_dependent for name in vals):
            continue
        try:
            groups[tuple(sorted(vals.items()))].append(index)
        except TypeError:  # an unhashable value (json): left to the ORM
            continue
    written = set()
    for items, indexes in groups.items():
        if len(indexes) < UPDATE_BATCH_SIZE:
            continue
        values = dict(items)
        if records._log_access:
            values = {"write_uid": records.env.uid, "write_date": records.env.cr.now(), **values}
        records.env.execute_query(
            SQL(
                "UPDATE %s SET %s WHERE id = ANY(%s)",
                SQL.identifier(records._table),
                SQL(", ").join(
                    SQL("%s = %s::%s", SQL.identifier(name), value, SQL(fields[name].column_type[1]))
                    for name, value in values.items()
                ),
                [records._ids[index] for index in indexes],
            )
        )
        written.update(indexes)
    if not written:
        return records, vals_list
    rest = [index for index in range(len(vals_list)) if index not in written]
    return records.browse([records._ids[index] for index in rest]), [vals_list[index] for index in rest]
