from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from serial_core.formats import parse_format
from serial_core.patterns import compile_pattern

from ..tools.engine import check_syntax
from ..tools.messages import format_serial_list, format_units
from ..tools.policy import SERIAL_ENTITY_RULES, SERIAL_POLICY_FIELDS, SERIAL_UNIQUENESS, SERIAL_WARRANTY_FIELDS


class ProductTemplate(models.Model):
    _inherit = "product.template"

    serial_pattern = fields.Char(
        help="Shape every serial of this product must have: * a letter or digit, # a digit, @ a letter, "
        "\\ makes the next character literal, anything else as written. E.g. 996***** = 8 characters "
        "starting with 996.",
    )
    serial_required_on_receipt = fields.Boolean(
        string="Require Serials at Receipt",
        default=True,
        help="Refuse receipts without serials. When off, units may be received now and given serials "
        "later from the worklist 'Serials to allocate'.",
    )
    serial_required_on_sale = fields.Boolean(
        string="Require Serials at Sale",
        default=False,
        help="Refuse deliveries to customers without serials.",
    )
    serial_auto_generate = fields.Boolean(
        string="Generate Serials Automatically",
        help="Fill in serials from the format or the shared sequence as soon as a quantity is entered.",
    )
    serial_format = fields.Char(
        help="Format of generated serials, e.g. SN-[[YEAR]][[MONTH]]-[[INCNUM,MONTHLY,4]]. "
        "Ignored when a shared sequence is set.",
    )
    serial_sequence_id = fields.Many2one(
        "serial.sequence",
        string="Shared Serial Sequence",
        domain="[('company_id', 'in', [company_id, False])] if company_id else []",
        ondelete="restrict",
        help="A counter shared with other products instead of this product's own format.",
    )
    serial_uniqueness = fields.Selection(
        SERIAL_UNIQUENESS,
        default="product",
        required=True,
        help="Where a serial must be unique: per product (Odoo's own rule), among all serials of the "
        "company, or across all companies.",
    )
    serial_entity_rule = fields.Selection(
        SERIAL_ENTITY_RULES,
        default="none",
        required=True,
        help="When a record of its own (an entity, e.g. a machine or vehicle) is to be created for each "
        "serial: when an order line carrying the serial is saved, or when a receipt of it is validated.",
    )

    serial_entity_model_id = fields.Many2one(
        "serial.entity.model",
        string="Entity Model",
        ondelete="restrict",
        help="The make and model (e.g. Audi A6) whose items are this product's serials; one model per product.",
    )
    serial_entity_parameter = fields.Char(
        "Entity Serial Parameter",
        help="The name under which the serial is recorded on each entity, e.g. Chassis number.",
    )
    serial_entity_purchased_count = fields.Integer("Entities Purchased", compute="_compute_serial_entity_counts")
    serial_entity_sold_count = fields.Integer("Entities Sold", compute="_compute_serial_entity_counts")
    serial_warranty_months = fields.Integer(
        string="Warranty (Months)",
        help="Warranty period of each serial; 0 means no warranty.",
    )
    serial_warranty_starts = fields.Selection(
        [("delivery", "At delivery"), ("receipt", "At receipt")],
        string="Warranty Starts",
        default="delivery",
        required=True,
        help="When a serial's warranty starts: at its first delivery to a customer, or when it first enters stock.",
    )

    serial_unallocated_qty = fields.Float(
        string="Units Without Serial",
        compute="_compute_serial_unallocated_qty",
        digits="Product Unit of Measure",
        groups="stock.group_stock_user",
        help="On-hand units that have no serial yet (received without serials, or in stock from before "
        "serial tracking was switched on).",
    )
    serial_unallocated_text = fields.Char(
        string="Units Without Serial (message)",
        compute="_compute_serial_unallocated_qty",
        groups="stock.group_stock_user",
    )

    @api.depends("tracking", "serial_required_on_receipt", "lot_valuated")
    def _compute_serial_unallocated_qty(self):
        serial_templates = self.filtered(lambda t: t.tracking == "serial" and t.id)
        totals = (
            dict(
                self.env["serial.allocation.todo"]._read_group(
                    [("product_tmpl_id", "in", serial_templates.ids)], ["product_tmpl_id"], ["quantity:sum"]
                )
            )
            if serial_templates
            else {}
        )
        for template in self:
            quantity = totals.get(template, 0.0)
            template.serial_unallocated_qty = quantity
            template.serial_unallocated_text = template._serial_unallocated_message(quantity) if quantity else False

    def _serial_may_enter_without_serial(self):
        """Whether units may enter stock without a serial (they wait in "Serials to allocate"): not when
        serials are required at receipt, nor when stock_account values the product per serial."""
        self.ensure_one()
        return not self.serial_required_on_receipt and not self.lot_valuated

    def _serial_unallocated_message(self, quantity):
        """Units received without serials on purpose wait for them; otherwise they are stock from before
        serial tracking."""
        units = format_units(quantity)
        if self._serial_may_enter_without_serial():
            return _("%(units)s units are waiting for serials.", units=units)
        return _("Serial tracking not initialized: %(units)s units in stock have no serial number.", units=units)

    def action_open_serial_allocation(self):
        """The worklist "Serials to allocate", for this product."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("serial_tracking.serial_allocation_todo_action")
        action["domain"] = [("product_tmpl_id", "=", self.id)]
        return action

    @api.constrains("serial_format")
    def _check_serial_format(self):
        for template in self.filtered("serial_format"):
            subject = _("Serial format of %(product)s", product=template.display_name)
            check_syntax(self.env, parse_format, template.serial_format, subject)

    def _serial_compiled_pattern(self):
        """The product's pattern compiled (None without one); a malformed one is a ValidationError."""
        self.ensure_one()
        if not self.serial_pattern:
            return None
        subject = _("Serial pattern of %(product)s", product=self.display_name)
        return check_syntax(self.env, compile_pattern, self.serial_pattern, subject)

    @api.constrains("serial_pattern")
    def _check_serial_pattern(self):
        for template in self.filtered("serial_pattern"):
            template._serial_compiled_pattern()

    @api.constrains("serial_sequence_id", "company_id")
    def _check_serial_sequence_company(self):
        # Not check_company: a product without company (the usual case) may use any company's sequence.
        for template in self.filtered(lambda t: t.company_id and t.serial_sequence_id.company_id):
            if template.serial_sequence_id.company_id != template.company_id:
                raise ValidationError(
                    _(
                        "%(product)s belongs to %(company)s and cannot use the serial sequence %(sequence)s of "
                        "another company.",
                        product=template.display_name,
                        company=template.company_id.name,
                        sequence=template.serial_sequence_id.display_name,
                    )
                )

    @api.constrains("serial_pattern", "serial_format", "serial_sequence_id", "tracking")
    def _check_serial_format_fits_pattern(self):
        # Before variants exist (the template's own create) there is nothing to render [[PRODUCT]] with;
        # creating the variants runs product.product's check.
        self.product_variant_ids._check_serial_format_fits_pattern()

    @api.constrains("serial_pattern", "serial_uniqueness", "tracking")
    def _check_existing_serials(self):
        """A new pattern or scope must fit the serials that already exist; otherwise name them."""
        for template in self.filtered(lambda t: t.tracking == "serial"):
            lots = self.env["stock.lot"].sudo().search([("product_id.product_tmpl_id", "=", template.id)])
            if not lots:
                continue
            if template.serial_pattern:
                pattern = template._serial_compiled_pattern()
                misfits = [
                    f"{name}: {pattern.check(name)}" for name in lots.mapped("name") if not pattern.matches(name)
                ]
                if misfits:
                    raise ValidationError(
                        _(
                            "%(count)s existing serials of %(product)s do not match the pattern "
                            "%(pattern)s:\n%(serials)s",
                            count=len(misfits),
                            product=template.display_name,
                            pattern=template.serial_pattern,
                            serials=format_serial_list(self.env, misfits),
                        )
                    )
            clashes = lots._serial_scope_clashes()
            if clashes:
                raise ValidationError(
                    _(
                        "These serials of %(product)s are already used elsewhere in the scope "
                        "'%(scope)s':\n%(serials)s",
                        product=template.display_name,
                        scope=dict(SERIAL_UNIQUENESS)[template.serial_uniqueness],
                        serials=format_serial_list(self.env, clashes),
                    )
                )

    def _serial_company_defaults(self, keep=()):
        """The company's default format and scope that a product just becoming serial-tracked takes:
        a format when it has none, the scope when it still has the plain default. ``keep``: fields
        the caller sets itself."""
        self.ensure_one()
        company = self.company_id or self.env.company
        values = {}
        if "serial_format" not in keep and not self.serial_format and company.serial_default_format:
            values["serial_format"] = company.serial_default_format
        if (
            "serial_uniqueness" not in keep
            and self.serial_uniqueness == "product"
            and company.serial_default_uniqueness != "product"
        ):
            values["serial_uniqueness"] = company.serial_default_uniqueness
        return values

    @api.onchange("tracking")
    def _onchange_tracking_serial_defaults(self):
        for template in self.filtered(lambda t: t.tracking == "serial"):
            template.update(template._serial_company_defaults())

    @api.model
    def default_get(self, fields_list):
        # The company's defaults come through default_get rather than field defaults: a field default
        # also runs when the column is added at install, before res.company has its new columns.
        # product.product delegates inherited fields here, so variants get them too.
        defaults = super().default_get(fields_list)
        company = self.env.company
        if "serial_format" in fields_list and company.serial_default_format:
            defaults.setdefault("serial_format", company.serial_default_format)
        if (
            "serial_uniqueness" in fields_list
            and company.serial_default_uniqueness
            and "default_serial_uniqueness" not in self.env.context
        ):
            defaults["serial_uniqueness"] = company.serial_default_uniqueness
        return defaults

    def write(self, vals):
        becoming_serial = self.browse()
        if vals.get("tracking") == "serial":
            becoming_serial = self.filtered(lambda t: t.tracking != "serial")
        audited = self._serial_policy_snapshot(vals)
        result = super().write(vals)
        self._serial_policy_audit(audited)
        for template in becoming_serial:
            defaults = template._serial_company_defaults(keep=vals)
            if defaults:
                super(ProductTemplate, template).write(defaults)
        return result

    # ------------------------------------------------------------------ entities

    def _serial_entity_domain(self):
        return [("product_id.product_tmpl_id", "in", self.ids)]

    def _compute_serial_entity_counts(self):
        entities = self.env["serial.entity"]
        for template in self:
            if not template.id:
                template.serial_entity_purchased_count = template.serial_entity_sold_count = 0
                continue
            domain = template._serial_entity_domain()
            template.serial_entity_purchased_count = entities.search_count(
                domain + ["|", ("purchase_line_ids", "!=", False), ("picking_ids.picking_type_code", "=", "incoming")]
            )
            # Sold once it is on a confirmed order.
            template.serial_entity_sold_count = entities.search_count(domain + [("sale_line_ids.state", "=", "sale")])

    @api.constrains("serial_entity_model_id")
    def _check_serial_entity_model(self):
        for template in self.filtered("serial_entity_model_id"):
            model = template.serial_entity_model_id
            if model.product_id and model.product_id.product_tmpl_id != template:
                raise ValidationError(
                    _(
                        "The model %(model)s already belongs to %(other)s; each model needs its own product.",
                        model=model.display_name,
                        other=model.product_id.display_name,
                    )
                )

    def action_open_serial_entities(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("serial_tracking.serial_entity_action")
        action["domain"] = self._serial_entity_domain()
        return action

    # ------------------------------------------------------------------ audit and warranty

    def _serial_policy_snapshot(self, vals):
        """{(template, field): old value as text} of the serial policy fields ``vals`` writes."""
        fields_written = [name for name in SERIAL_POLICY_FIELDS if name in vals]
        return {(template, name): template._serial_policy_text(name) for template in self for name in fields_written}

    def _serial_policy_audit(self, snapshot):
        entries = []
        for (template, name), old in snapshot.items():
            new = template._serial_policy_text(name)
            if new != old:
                entries.append(
                    {
                        "action": "policy",
                        "model": template._name,
                        "res_id": template.id,
                        "field_name": name,
                        "old_value": old,
                        "new_value": new,
                        "company_id": template.company_id.id,
                    }
                )
        self.env["serial.audit.log"]._log(entries)
        warranty_changed = {template.id for (template, name) in snapshot if name in SERIAL_WARRANTY_FIELDS}
        if warranty_changed:
            self.env["stock.lot"]._serial_refresh_record(SQL("pp.product_tmpl_id = ANY(%s)", sorted(warranty_changed)))

    def _serial_policy_text(self, name):
        value = self[name]
        field = self._fields[name]
        if field.type == "many2one":
            return value.display_name or ""
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, "") if value else ""
        return "" if value is False and field.type != "boolean" else str(value)
