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
        {
            trigger: ".o_form_view button[name=button_validate]",
            run: "click",
        },
        {
            content: "The receipt is done",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Done')",
        },
    ],
});

// A delivery of 2 serial units (reserved): open the move's detailed operations, then "Serials";
// clear the reservation, search, select all that is listed, auto select the rest and confirm.
registry.category("web_tour.tours").add("serial_tracking_serial_remove", {
    steps: () => [
        {
            content: "Open the move's detailed operations",
            trigger: ".o_field_widget[name=move_ids_without_package] .o_data_row button[name='Open Move']",
            run: "click",
        },
        {
            content: "Serials from the detailed operations",
            trigger: ".modal button[name=action_open_serial_entry]",
            run: "click",
        },
        {
            content: "The reserved serials are preselected",
            trigger: `${counter}:contains('Serial numbers (2 / 2)')`,
        },
        {
            trigger: ".modal button[name=action_clear]",
            run: "click",
        },
        {
            trigger: `${counter}:contains('Serial numbers (0 / 2)')`,
        },
        {
            content: "No Confirm with nothing selected",
            trigger: ".modal-footer:not(:has(button[name=action_confirm]))",
        },
        {
            trigger: ".modal .o_field_widget[name=search_text] input",
            run: "edit D-3 && press Tab",
        },
        {
            content: "Only the matching on-hand serial is listed",
            trigger: ".modal .o_field_widget[name=available_lot_ids]:not(:has(.o_data_row:contains('D-1'))) .o_data_row:contains('D-3')",
        },
        {
            trigger: ".modal button[name=action_select_all]",
            run: "click",
        },
        {
            trigger: `${counter}:contains('Serial numbers (1 / 2)')`,
        },
        {
            content: "Auto select adds the oldest serial",
            trigger: ".modal button[name=action_auto_select]",
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
            content: "The wizard is closed; the detailed operations show the chosen serials",
            trigger: "body:not(:has(.o_field_widget[name=count_label])) .modal .o_field_widget[name=move_line_ids] .o_data_row:contains('D-3')",
        },
        {
            trigger: ".modal .o_field_widget[name=move_line_ids]:not(:has(.o_data_row:contains('D-2')))",
        },
        {
            trigger: ".modal-footer .o_form_button_save",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            trigger: ".o_form_view button[name=button_validate]",
            run: "click",
        },
        {
            content: "The delivery is done",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Done')",
        },
    ],
});
