/** @odoo-module **/
// Serial List: find a serial, see its state and last document, open its typed history and from there
// the delivery that shipped it.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("serial_tracking_serial_list", {
    steps: () => [
        {
            content: "Search the serial",
            trigger: ".o_searchview_input",
            run: "edit TOURLIST-2",
        },
        {
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "Only that serial is listed, shipped, with its delivery as last document",
            trigger: ".o_list_view:not(:has(td[name=name]:contains('TOURLIST-1'))) .o_data_row:has(td[name=name]:contains('TOURLIST-2')):has(td[name=serial_state]:contains('Shipped'))",
        },
        {
            content: "Open its history",
            trigger: ".o_data_row:has(td[name=name]:contains('TOURLIST-2')) button[name=action_serial_history]",
            run: "click",
        },
        {
            content: "Received, then shipped",
            trigger: ".o_list_view .o_data_row:has(td[name=event_type]:contains('Ship')) ~ .o_data_row:has(td[name=event_type]:contains('Receive'))",
        },
        {
            content: "Open the delivery from its row",
            trigger: ".o_data_row:has(td[name=event_type]:contains('Ship')) button[name=action_open_document]",
            run: "click",
        },
        {
            content: "The delivery form is shown",
            trigger: ".o_form_view .o_field_widget[name=picking_type_id]",
        },
    ],
});
