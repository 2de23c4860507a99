"""The serial policy's choices and the stock locations it treats as on hand."""

SERIAL_UNIQUENESS = [
    ("product", "Per product"),
    ("company", "Per company"),
    ("global", "Across all companies"),
]

SERIAL_ENTITY_RULES = [
    ("none", "No entity"),
    ("on_order", "Create on order"),
    ("on_receipt", "Create on receipt"),
]

# Location usages where units are on hand, as in Odoo's inventory: a move leaving one takes existing
# serials, units there can wait for serials, and adjustments count them.
STOCKED_USAGES = ("internal", "transit")

# The product fields of the serial policy: every change of one is written to the serial audit log.
SERIAL_WARRANTY_FIELDS = ("serial_warranty_months", "serial_warranty_starts")
SERIAL_POLICY_FIELDS = (
    "tracking",
    "serial_pattern",
    "serial_required_on_receipt",
    "serial_required_on_sale",
    "serial_auto_generate",
    "serial_format",
    "serial_sequence_id",
    "serial_uniqueness",
    "serial_entity_rule",
) + SERIAL_WARRANTY_FIELDS
