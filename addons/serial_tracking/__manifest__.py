{
    "name": "Serial Tracking",
    "summary": "Serial-number policy, generation, entry and validation for every stock move",
    "version": "18.0.1.0.0",
    "category": "Inventory/Inventory",
    "author": "Serial Tracking developers",
    "website": "https://example.invalid/serial_tracking",
    "license": "LGPL-3",
    "depends": ["stock", "purchase_stock", "sale_stock", "mrp"],
    "external_dependencies": {"python": ["serial_core"]},
    "data": [
        "security/serial_tracking_security.xml",
        "security/ir.model.access.csv",
        "views/product_template_views.xml",
        "views/serial_sequence_views.xml",
        "views/serial_allocation_todo_views.xml",
        "views/res_config_settings_views.xml",
        "views/serial_tracking_menus.xml",
        "wizards/serial_entry_wizard_views.xml",
        "views/stock_move_views.xml",
        "views/stock_picking_views.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "serial_tracking/static/src/scss/*.scss",
        ],
        "web.assets_tests": [
            "serial_tracking/static/src/tours/*.js",
        ],
    },
    "installable": True,
    "application": False,
}
