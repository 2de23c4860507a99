from odoo.tools import SQL

from .models.serial_history import HISTORY_INDEX
from .models.serial_recall_line import RECALL_RESULT_TABLE


def post_init_hook(env):
    """Serials that existed before the module get their record (state, location, warranty) once."""
    env["stock.lot"]._serial_refresh_record(SQL("TRUE"))


def uninstall_hook(env):
    """The history index (on Odoo's own stock_move_line) and the recall results table go with the module."""
    env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(HISTORY_INDEX)))
    env.cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(RECALL_RESULT_TABLE)))
