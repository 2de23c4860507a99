/** @odoo-module **/
// A receipt of 3 serial units: open "Serials", generate 2, see the counter and no Confirm,
// generate the third, see Confirm appear and confirm.
import { registry } from "@web/core/registry";

const counter = ".modal .o_field_widget[name=count_label]";

registry.category("web_tour.tours").add("serial_tracking_serial_entry", {
    steps: () => [
        {
            content: "Open the serial entry wizard from the move",
            trigger: ".o_field_widget[name=move_ids_without_package] button[name=action_open_serial_entry]",
            run: "click",
        },
        {
            content: "Nothing entered yet",
            trigger: `${counter}:contains('Serial numbers (0 / 3)')`,
        },
        {
            content: "Confirm is not offered while counts differ",
            trigger: ".modal-footer:not(:has(button[name=action_confirm]))",
        },
        {
            trigger: ".modal .o_field_widget[name=gen_prefix] input",
            run: "edit TOUR-",
        },
        {
            trigger: ".modal .o_field_widget[name=gen_padding] input",
            run: "edit 3",
        },
        {
            trigger: ".modal .o_field_widget[name=gen_end] input",
            run: "edit 2",
        },
        {
            content: "Generate TOUR-001 and TOUR-002",
            trigger: ".modal button[name=action_generate_range]",
            run: "click",
        },
        {
            trigger: `${counter}:contains('Serial numbers (2 / 3)')`,
        },
        {
            trigger: ".modal .o_field_widget[name=serials_summary]:contains('TOUR-001 – TOUR-002 (2)')",
        },
        {
            content: "Still no Confirm with 2 of 3",
            trigger: ".modal-footer:not(:has(button[name=action_confirm]))",
        },
        {
            content: "Start at 3: End follows (one serial missing)",
            trigger: ".modal .o_field_widget[name=gen_start] input",
            run: "edit 3 && press Tab",
        },
        {
            trigger: ".modal .o_field_widget[name=gen_end] input:value(3)",
        },
        {
            trigger: ".modal button[name=action_generate_range]",
            run: "click",
        },
        {
            trigger: `${counter}:contains('Serial numbers (3 / 3)')`,
        },
        {
            content: "Confirm appears once the counts match",
            trigger: ".modal-footer button[name=action_confirm]",
            run: "click",
        },
        {
            content: "Back on the receipt",
            trigger: "body:not(:has(.modal))",
        },
    ],
});
