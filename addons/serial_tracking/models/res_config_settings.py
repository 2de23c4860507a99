from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    serial_default_format = fields.Char(related="company_id.serial_default_format", readonly=False)
    serial_default_uniqueness = fields.Selection(related="company_id.serial_default_uniqueness", readonly=False)
    serial_bulk_threshold = fields.Integer(related="company_id.serial_bulk_threshold", readonly=False)
