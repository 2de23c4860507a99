/** @odoo-module **/
// A receipt of 5 serial units: open "Serials"; generate 2 (Start and End then show the next free range),
// paste one on the Paste method, choose a file on the Upload method (imported at once: 1 too many), each
// time staying on the chosen method; delete one, confirm, see the ranges on the operation and validate.
import { registry } from "@web/core/registry";

const counter = ".modal .o_field_widget[name=count_label]";
const method = (name) => `.modal .o_field_widget[name=entry_method] .o_selection_badge:contains('${name}')`;

registry.category("web_tour.tours").add("serial_tracking_serial_entry", {
    steps: () => [
        {
            content: "Open the serial entry wizard from the move",
            trigger: ".o_field_widget[name=move_ids_without_package] button[name=action_open_serial_entry]",
            run: "click",
        },
        {
            content: "Nothing entered yet",
            trigger: `${counter}:contains('Serial numbers (0 / 5)')`,
        },
        {
            content: "Confirm is not offered while counts differ",
            trigger: ".modal-footer:not(:has(button[name=action_confirm]))",
        },
        {
            trigger: `${method("Generate")}.active`,
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
            trigger: `${counter}:contains('Serial numbers (2 / 5)')`,
        },
        {
            trigger: ".modal .o_field_widget[name=serials_summary]:contains('TOUR-001 – TOUR-002 (2)')",
        },
        {
            content: "Start and End show the next free range, not 1",
            trigger: ".modal .o_field_widget[name=gen_start] input:value(/^3$/)",
        },
        {
            trigger: ".modal .o_field_widget[name=gen_end] input:value(/^5$/)",
        },
        {
            content: "Still no Confirm with 2 of 5",
            trigger: ".modal-footer:not(:has(button[name=action_confirm]))",
        },
        {
            content: "Paste instead",
            trigger: method("Paste"),
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=paste_text] textarea",
            run: "edit TOUR-010",
        },
        {
            trigger: ".modal button[name=action_add_pasted]",
            run: "click",
        },
        {
            trigger: `${counter}:contains('Serial numbers (3 / 5)')`,
        },
        {
            content: "The dialog stays on the Paste method",
            trigger: `${method("Paste")}.active`,
        },
        {
            trigger: ".modal .o_field_widget[name=paste_text] textarea",
        },
        {
            content: "Upload a file",
            trigger: method("Upload"),
            run: "click",
        },
        {
            content: "Choose a file: no further button to press",
            trigger: ".modal .o_field_widget[name=upload_file] input[type=file]:not(:visible)",
            run() {
                const transfer = new DataTransfer();
                transfer.items.add(new File(["TOUR-011\nTOUR-012\nTOUR-013\n"], "serials.txt", { type: "text/plain" }));
                this.anchor.files = transfer.files;
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "Imported on choosing; the header says what to remove",
            trigger: `${counter}:contains('Serial numbers (6 / 5): 1 too many')`,
        },
        {
            trigger: ".modal .o_field_widget[name=import_message]:contains('serials.txt: 3 serials read.')",
        },
        {
            content: "The dialog stays on the Upload method",
            trigger: `${method("Upload")}.active`,
        },
        {
            trigger: ".modal-footer:not(:has(button[name=action_confirm]))",
        },
        {
            trigger: ".modal button[name=action_show_all]:contains('Show all')",
            run: "click",
        },
        {
            content: "Delete the extra serial",
            trigger: ".modal .o_field_widget[name=line_ids] .o_data_row:contains('TOUR-013') .o_list_record_remove",
            run: "click",
        },
        {
            trigger: `${counter}:contains('Serial numbers (5 / 5)'):not(:contains('too many'))`,
        },
        {
            content: "Confirm appears once the counts match",
            trigger: ".modal-footer button[name=action_confirm]",
            run: "click",
        },
        {
            content: "Back on the receipt, the operation shows its serials as ranges",
            trigger: "body:not(:has(.modal)) .o_field_widget[name=move_ids_without_package] .o_data_row td[name=serial_ranges]:contains('TOUR-001 – TOUR-002 (2), TOUR-010 – TOUR-012 (3)')",
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

// A delivery of 2 serial units (D-1, D-2 reserved; D-3 on hand too): open the move's detailed operations,
// then "Serials"; clear, click serials in the On hand list to select and unselect them (the list keeps its
// order), check that adding a line offers no "New", search, Select all (only the one still needed), confirm.
const onHand = ".modal .o_field_widget[name=available_lot_ids]";
const onHandRow = (serial) => `${onHand} .o_data_row:contains('${serial}')`;
// The On hand list in first-in, first-out order, as it opened.
const onHandInOrder = ["D-1", "D-2", "D-3"].map((serial, index) => ({
    trigger: `${onHand} .o_data_row:eq(${index}):contains('${serial}')`,
}));

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
            content: "The reserved serials are preselected and highlighted in the On hand list",
            trigger: `${counter}:contains('Serial numbers (2 / 2)')`,
        },
        {
            trigger: `${onHandRow("D-1")}.text-success`,
        },
        {
            trigger: `${onHandRow("D-3")}:not(.text-success)`,
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
            content: "A click on a serial selects it (no form opens)",
            trigger: `${onHandRow("D-3")} td.o_data_cell`,
            run: "click",
        },
        {
            trigger: `${counter}:contains('Serial numbers (1 / 2)')`,
        },
        {
            content: "D-3 is among the selected serials and no serial form opened",
            trigger: ".modal .o_field_widget[name=lot_ids] .o_data_row:contains('D-3')",
        },
        {
            trigger: "body:not(:has(.modal .o_field_widget[name=ref]))",
        },
        {
            trigger: `${onHandRow("D-3")}.text-success`,
        },
        {
            trigger: `${onHandRow("D-2")} td.o_data_cell`,
            run: "click",
        },
        {
            trigger: `${counter}:contains('Serial numbers (2 / 2)')`,
        },
        {
            content: "A second click unselects it",
            trigger: `${onHandRow("D-2")} td.o_data_cell`,
            run: "click",
        },
        {
            trigger: `${counter}:contains('Serial numbers (1 / 2)')`,
        },
        {
            content: "The unselected serial keeps its place",
            trigger: `${onHandRow("D-2")}:not(.text-success)`,
        },
        ...onHandInOrder,
        {
            content: "Adding a line searches on-hand serials only, without a New button",
            trigger: ".modal .o_field_widget[name=lot_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger: ".modal .o_list_view .o_data_row:contains('D-1')",
        },
        {
            trigger: ".modal-footer:has(.o_select_button):not(:has(.o_create_button))",
        },
        {
            trigger: ".modal-footer:has(.o_select_button) .o_form_button_cancel",
            run: "click",
        },
        {
            trigger: "body:not(:has(.o_select_button))",
        },
        {
            trigger: ".modal .o_field_widget[name=search_text] input",
            run: "edit D-1 && press Tab",
        },
        {
            content: "Only the matching on-hand serial is listed",
            trigger: `${onHand}:not(:has(.o_data_row:contains('D-3'))) .o_data_row:contains('D-1')`,
        },
        {
            trigger: ".modal button[name=action_select_all]",
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
