/** @odoo-module **/
// "Serials to Allocate" and "Physical Inventory": the dialogs that end in a success notification.
import { registry } from "@web/core/registry";

const counter = ".modal .o_field_widget[name=count_label]";

// 5 units of "Allocate Tour Widget" wait for serials: allocate 3 of them; the other 2 keep waiting.
registry.category("web_tour.tours").add("serial_tracking_allocate_some", {
    steps: () => [
        {
            trigger: ".o_data_row:contains('Allocate Tour Widget') button[name=action_allocate_serials]",
            run: "click",
        },
        {
            trigger: `${counter}:contains('Serial numbers (0 / 5)')`,
        },
        {
            trigger: ".modal .o_field_widget[name=gen_prefix] input",
            run: "edit AT-",
        },
        {
            trigger: ".modal .o_field_widget[name=gen_end] input",
            run: "edit 3",
        },
        {
            trigger: ".modal button[name=action_generate_range]",
            run: "click",
        },
        {
            content: "3 of 5: Confirm is offered, the header says what stays without serial",
            trigger: `${counter}:contains('Serial numbers (3 / 5): 2 left without serial')`,
        },
        {
            trigger: ".modal-footer button[name=action_confirm]",
            run: "click",
        },
        {
            content: "A notification says what was done",
            trigger: ".o_notification:contains('3 serials allocated to Allocate Tour Widget at WH/Stock. 2 unit(s) still without serial.')",
        },
        {
            content: "The dialog is closed and the list shows the 2 units still waiting",
            trigger: "body:not(:has(.modal)) .o_data_row:contains('Allocate Tour Widget') td[name=quantity]:contains('2')",
        },
    ],
});

// A count of 2 units of "Count Tour Widget" without serial waits in Physical Inventory: Apply says why it
// cannot be applied as it is and offers Adjust Serials, which enters the 2 units with their serials.
registry.category("web_tour.tours").add("serial_tracking_count_without_serials", {
    steps: () => [
        {
            trigger: ".o_searchview_input",
            run: "edit Count Tour Widget && press Enter",
        },
        {
            trigger: ".o_data_row:contains('Count Tour Widget') button[name=action_apply_inventory]",
            run: "click",
        },
        {
            content: "The count's own words, and no empty 'Tracked Products' dialog behind",
            trigger: ".modal:contains('Count Tour Widget at WH/Stock: counted 2, 0 in stock, so 2 more without a serial number')",
        },
        {
            trigger: "body:not(:has(.modal:contains('Tracked Products')))",
        },
        {
            trigger: ".modal-footer button:contains('Adjust Serials')",
            run: "click",
        },
        {
            content: "Adjust Serials, prefilled; the number of serials is a count",
            trigger: ".modal .o_field_widget[name=quantity] input:value(/^2$/)",
        },
        {
            trigger: ".modal .o_field_widget[name=product_id] input:value('Count Tour Widget')",
        },
        {
            trigger: ".modal button[name=action_start_adjustment]",
            run: "click",
        },
        {
            trigger: `${counter}:contains('Serial numbers (0 / 2)')`,
        },
        {
            trigger: ".modal .o_field_widget[name=gen_prefix] input",
            run: "edit CT-",
        },
        {
            trigger: ".modal .o_field_widget[name=gen_padding] input",
            run: "edit 3",
        },
        {
            trigger: ".modal button[name=action_generate_range]",
            run: "click",
        },
        {
            trigger: `${counter}:contains('Serial numbers (2 / 2)')`,
        },
        {
            trigger: ".modal-footer button[name=action_confirm]",
            run: "click",
        },
        {
            trigger: ".o_notification:contains('2 serials of Count Tour Widget added at WH/Stock.')",
        },
        {
            content: "Back on the counts: the new serials are in stock, no count is left to apply",
            trigger: "body:not(:has(.modal)) .o_data_row:contains('CT-001')",
        },
        {
            content: "The count without serial is settled: nothing left to apply on it",
            trigger: ".o_list_view:not(:has(.o_data_row:contains('Count Tour Widget'):not(:contains('CT-')) button[name=action_apply_inventory]))",
        },
    ],
});
