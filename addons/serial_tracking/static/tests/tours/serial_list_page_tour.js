/** @odoo-module **/
// Serial List searched by a fragment many serials share: the first page in serial order, the pager
// saying "200+" until a click asks for the exact count.
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("serial_tracking_serial_list_page", {
    steps: () => [
        {
            content: "Search a fragment more than 200 serials hold",
            trigger: ".o_searchview_input",
            run: "edit PGTOUR",
        },
        {
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "The first page starts with the first serial in name order; the pager counts to 200",
            trigger: ".o_list_view .o_data_row:first-child td[name=name]:contains('A-PGTOUR-000')",
        },
        {
            content: "Ask for the exact count",
            trigger: ".o_pager_limit_fetch:contains('200+')",
            run: "click",
        },
        {
            content: "Every serial holding the fragment is counted",
            trigger: ".o_pager_limit:not(.o_pager_limit_fetch):contains('230')",
        },
        {
            content: "The next page follows in name order",
            trigger: ".o_pager_next",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:first-child td[name=name]:contains('A-PGTOUR-080')",
        },
    ],
});
