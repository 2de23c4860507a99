/** @odoo-module **/
// A sequence that issued 20 serials (ST-0007 exists): Set Next Number opens at 20; going back to 5
// names ST-0007 and needs the box ticked; the preview then lists the next serials one a line.
import { registry } from "@web/core/registry";

const dialog = ".modal:has(.o_field_widget[name=last_issued])";

registry.category("web_tour.tours").add("serial_tracking_set_next", {
    steps: () => [
        {
            trigger: ".o_form_view button[name=action_open_set_next]",
            run: "click",
        },
        {
            content: "The dialog opens at the last number issued",
            trigger: `${dialog} .o_field_widget[name=last_issued] input:value(20)`,
        },
        {
            trigger: `${dialog} .o_field_widget[name=next_serial]:contains('ST-0021')`,
        },
        {
            content: "Going forward shows no warning",
            trigger: `${dialog}:not(:has(.o_serial_move_back:visible))`,
        },
        {
            trigger: `${dialog} .o_field_widget[name=last_issued] input`,
            run: "edit 5 && press Tab",
        },
        {
            content: "Going back names the serials that exist",
            trigger: `${dialog} .o_serial_move_back:contains('ST-0007'):contains('Numbers 6 to 20')`,
        },
        {
            content: "Set without ticking the box is refused",
            trigger: `${dialog} .modal-footer button[name=action_apply]`,
            run: "click",
        },
        {
            trigger: ".o_error_dialog:contains('ST-0007'):contains('Issue these numbers again')",
        },
        {
            trigger: ".o_error_dialog .modal-footer .o-default-button",
            run: "click",
        },
        {
            trigger: `${dialog} .o_field_widget[name=confirm_move_back] input`,
            run: "click",
        },
        {
            trigger: `${dialog} .modal-footer button[name=action_apply]`,
            run: "click",
        },
        {
            content: "The preview lists the next serials one a line",
            trigger: ".o_notification.o_serial_preview .o_notification_content:contains('ST-0006')",
            run() {
                const content = this.anchor;
                if (getComputedStyle(content).whiteSpace !== "pre-line") {
                    throw new Error(`preview white-space is ${getComputedStyle(content).whiteSpace}`);
                }
                const lineHeight = parseFloat(getComputedStyle(content).lineHeight);
                if (content.getBoundingClientRect().height < 4 * lineHeight) {
                    throw new Error("the preview's serials are not one a line");
                }
            },
        },
        {
            trigger: "body:not(:has(.modal))",
        },
    ],
});
