/** @odoo-module **/
// A receipt of 12 serial units with the bulk threshold at 5: the serial entry dialog keeps the 12
// generated serials as ranges (no "Show all" list), Confirm hands them to a serial job and the receipt
// says it is busy. Once the job has run (the test runs it between the tours), Validate hands the
// validation to another job and the receipt says so.
import { registry } from "@web/core/registry";

const counter = ".modal .o_field_widget[name=count_label]";
const notice = ".o_form_view .o_serial_job_notice .o_serial_job_notice_text";

registry.category("web_tour.tours").add("serial_tracking_bulk_entry", {
    steps: () => [
        {
            content: "Open the serial entry dialog from the move",
            trigger: ".o_field_widget[name=move_ids_without_package] button[name=action_open_serial_entry]",
            run: "click",
        },
        {
            trigger: `${counter}:contains('Serial numbers (0 / 12)')`,
        },
        {
            trigger: ".modal .o_field_widget[name=gen_prefix] input",
            run: "edit BULK-",
        },
        {
            trigger: ".modal .o_field_widget[name=gen_padding] input",
            run: "edit 3",
        },
        {
            content: "Generate BULK-001 to BULK-012",
            trigger: ".modal button[name=action_generate_range]",
            run: "click",
        },
        {
            trigger: `${counter}:contains('Serial numbers (12 / 12)')`,
        },
        {
            content: "Shown as one range, with no list of 12 lines to open",
            trigger: ".modal .o_field_widget[name=serials_summary]:contains('BULK-001 – BULK-012 (12)')",
        },
        {
            trigger: ".modal .o_serial_entry_bulk_note:visible",
        },
        {
            trigger: ".modal:not(:has(button[name=action_show_all]))",
        },
        {
            trigger: ".modal-footer button[name=action_confirm]",
            run: "click",
        },
        {
            content: "The receipt says a serial job is giving it its serials",
            trigger: `body:not(:has(.modal)) ${notice}:contains('is being given its serials by the serial job')`,
        },
    ],
});

registry.category("web_tour.tours").add("serial_tracking_bulk_validate", {
    steps: () => [
        {
            trigger: ".o_form_view .o_field_widget[name=move_ids_without_package] td[name=serial_ranges]:contains('BULK-001 – BULK-012 (12)')",
        },
        {
            trigger: ".o_form_view button[name=button_validate]",
            run: "click",
        },
        {
            content: "Validation is left to a serial job, and the receipt says so",
            trigger: `${notice}:contains('is being validated by the serial job')`,
        },
        {
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Ready')",
        },
        {
            content: "A second Validate is refused, naming the job",
            trigger: ".o_form_view button[name=button_validate]",
            run: "click",
        },
        {
            trigger: ".modal .modal-body:contains('is being validated by the serial job')",
        },
        {
            trigger: ".modal .modal-footer button.btn-primary",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
    ],
});
