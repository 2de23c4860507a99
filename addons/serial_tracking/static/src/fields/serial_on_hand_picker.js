/** @odoo-module **/
// The "On hand" list of the serial entry dialog (taking serials out of stock): clicking a serial selects
// it, or unselects it when it is selected already, instead of opening the serial's form.
import { registry } from "@web/core/registry";
import { X2ManyField, x2ManyField } from "@web/views/fields/x2many/x2many_field";

export class SerialOnHandPickerField extends X2ManyField {
    async openRecord(record) {
        const selected = this.props.record.data.lot_ids;
        const change = selected.currentIds.includes(record.resId) ? "remove" : "add";
        await selected.addAndRemove({ [change]: [record.resId] });
    }
}

registry.category("fields").add("serial_on_hand_picker", {
    ...x2ManyField,
    component: SerialOnHandPickerField,
});
