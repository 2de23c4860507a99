/** @odoo-module **/
// A quotation line of 3 units requiring serials: open "Serials", paste a collapsed range, select it,
// confirm the dialog, then confirm the order.
import { registry } from "@web/core/registry";

const counter = ".modal .o_field_widget[name=count_label]";

registry.category("web_tour.tours").add("serial_tracking_sale_serials", {
    steps: () => [
        {
            content: "Open the serial entry dialog of the order line",
            trigger: ".o_field_widget[name=order_line] .o_data_row button[name=action_open_serial_entry]",
            run: "click",
        },
        {
            trigger: `${counter}:contains('Serial numbers (0 / 3)')`,
        },
        {
            content: "Paste a collapsed range",
            trigger: ".modal .o_field_widget[name=paste_text] textarea",
            // Without the optional " (3)": the tour's run command drops a closing parenthesis.
            run: "edit TS-0002 – TS-0004",
        },
        {
            trigger: ".modal button[name=action_add_pasted]",
            run: "click",
        },
        {
            content: "The range expanded to three serials",
            trigger: `${counter}:contains('Serial numbers (3 / 3)')`,
        },
        {
            trigger: ".modal-footer button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The line shows its serials",
            trigger: "body:not(:has(.modal)) .o_field_widget[name=order_line] .o_data_row .o_field_many2many_tags:contains('TS-0003')",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The order is confirmed",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Sales Order')",
        },
    ],
});
