from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from serial_core.patterns import compile_pattern

from ..tools.engine import check_syntax


class SerialEntityModel(models.Model):
    """A make and model of capital good (e.g. Audi A6) with the serial pattern expected for it.
    Each model has its own product: the product's serials are the model's individual items."""

    _name = "serial.entity.model"
    _description = "Serial Entity Model"
    _order = "brand, name"

    brand = fields.Char(required=True)
    name = fields.Char("Model", required=True)
    serial_pattern = fields.Char(
        help="Shape of the serials of this model, e.g. XY123*** (* a letter or digit, # a digit, @ a letter)."
    )
    product_id = fields.Many2one(
        "product.product",
        ondelete="restrict",
        help="The product whose serials are items of this model; each model needs its own product.",
    )
    company_id = fields.Many2one("res.company", help="Empty: shared by all companies.")
    entity_ids = fields.One2many("serial.entity", "model_id", string="Entities")
    active = fields.Boolean(default=True)

    @api.depends("brand", "name")
    def _compute_display_name(self):
        for model in self:
            model.display_name = " ".join(part for part in (model.brand, model.name) if part)

    @api.constrains("serial_pattern")
    def _check_serial_pattern(self):
        for model in self.filtered("serial_pattern"):
            check_syntax(
                self.env,
                compile_pattern,
                model.serial_pattern,
                _("Serial pattern of %(model)s", model=model.display_name),
            )

    @api.constrains("product_id")
    def _check_one_model_per_product(self):
        for model in self.filtered("product_id"):
            template = model.product_id.product_tmpl_id
            other = self.search(
                [("product_id.product_tmpl_id", "=", template.id), ("id", "!=", model.id)], limit=1
            ) or (template.serial_entity_model_id - model)
            if other:
                raise ValidationError(
                    _(
                        "%(product)s is already linked to the model %(other)s; each model needs its own product. "
                        "Create a product for %(model)s.",
                        product=template.display_name,
                        other=other.display_name,
                        model=model.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        models_ = super().create(vals_list)
        models_._link_templates()
        return models_

    def write(self, vals):
        result = super().write(vals)
        if "product_id" in vals:
            self._link_templates()
        return result

    def _link_templates(self):
        for model in self.filtered("product_id"):
            template = model.product_id.product_tmpl_id
            if not template.serial_entity_model_id:
                template.serial_entity_model_id = model
