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
