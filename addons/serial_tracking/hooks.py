from odoo.tools import SQL

from .models.serial_history import HISTORY_INDEX
from .models.serial_recall_line import RECALL_RESULT_TABLE
from .tools import search_index


def post_init_hook(env):
    """Serials that existed before the module get their record (state, location, warranty) once, and are
    logged for the search index."""
    env["stock.lot"]._serial_refresh_record(SQL("TRUE"))
    search_index.log_existing_lots(env.cr)


def uninstall_hook(env):
    """The history index (on Odoo's own stock_move_line) and the recall results table go with the module."""
    env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(HISTORY_INDEX)))
    env.cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(RECALL_RESULT_TABLE)))
    search_index.uninstall(env.cr)  # the search index's triggers on Odoo's tables, its views and tables
