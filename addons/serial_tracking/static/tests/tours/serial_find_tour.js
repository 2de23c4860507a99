/** @odoo-module **/
// Find Serial with a fragment from the middle of two serials opens the Serial List searched for it; the
// search box then narrows it with another fragment, and a fragment of one serial opens that serial.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("serial_tracking_find_serial", {
    steps: () => [
        {
            content: "Type a fragment shared by two serials",
            trigger: ".modal .o_field_widget[name=term] input",
            run: "edit 77",
        },
        {
            trigger: ".modal button[name=action_find]",
            run: "click",
        },
        {
            content: "Three characters at least",
            trigger: ".modal:contains('Type at least 3 characters')",
        },
        {
            trigger: ".modal:contains('Type at least 3 characters') .modal-footer .btn-primary",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=term] input",
            run: "edit -77",
        },
        {
            trigger: ".modal button[name=action_find]",
            run: "click",
        },
        {
            content: "The Serial List shows the two serials holding it, not the third",
            trigger: ".o_list_view:not(:has(td[name=name]:contains('TOURFIND-88530-C'))):has(td[name=name]:contains('TOURFIND-77310-A')) .o_data_row:has(td[name=name]:contains('TOURFIND-77420-B'))",
        },
        {
            content: "Clear the search",
            trigger: ".o_facet_remove",
            run: "click",
        },
        {
            content: "The search box takes a fragment too",
            trigger: ".o_searchview_input",
            run: "edit 530-c",
        },
        {
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "Only the serial holding that fragment is left",
            trigger: ".o_list_view:not(:has(td[name=name]:contains('TOURFIND-77310-A'))) .o_data_row:has(td[name=name]:contains('TOURFIND-88530-C'))",
        },
    ],
});
