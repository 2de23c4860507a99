/** @odoo-module **/
// A confirmed manufacturing order of 2 serial units, one serial motor each (TM-01 and TM-02 reserved, TM-03
// and TM-04 on hand too): open the components' "Serials", clear, click TM-04 and TM-03 in the On hand list,
// confirm, see them on the component line, then "Produce all with serials".
import { registry } from "@web/core/registry";

const counter = ".modal .o_field_widget[name=count_label]";
const onHandRow = (serial) => `.modal .o_field_widget[name=available_lot_ids] .o_data_row:contains('${serial}')`;
const componentRow = ".o_field_widget[name=move_raw_ids] .o_data_row:contains('Tour Drone Motor')";

registry.category("web_tour.tours").add("serial_tracking_mrp_component_serials", {
    steps: () => [
        {
            content: "Open the serial entry dialog of the component line",
            trigger: `${componentRow} button[name=action_open_serial_entry]`,
            run: "click",
        },
        {
            content: "The reserved serials are preselected",
            trigger: `${counter}:contains('Serial numbers (2 / 2)')`,
        },
        {
            trigger: `${onHandRow("TM-01")}.text-success`,
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
            trigger: `${onHandRow("TM-04")} td.o_data_cell`,
            run: "click",
        },
        {
            trigger: `${counter}:contains('Serial numbers (1 / 2)')`,
        },
        {
            trigger: `${onHandRow("TM-03")} td.o_data_cell`,
            run: "click",
        },
        {
            trigger: `${counter}:contains('Serial numbers (2 / 2)')`,
        },
        {
            trigger: `${onHandRow("TM-01")}:not(.text-success)`,
        },
        {
            trigger: ".modal-footer button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The component line shows the chosen serials",
            trigger: `body:not(:has(.modal)) ${componentRow}:contains('TM-03'):contains('TM-04')`,
        },
        {
            trigger: `${componentRow}:not(:contains('TM-01'))`,
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_serial_produce_all]",
            run: "click",
        },
        {
            content: "The order is done",
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Done')",
        },
    ],
});
