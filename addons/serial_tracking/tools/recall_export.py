"""The .xlsx of a recall, written row by row from PostgreSQL (bounded memory at any size)."""

import xlsxwriter

# Rows read from PostgreSQL at a time: memory stays bounded whatever the recall's size.
FETCH_ROWS = 2000
COLUMNS = ("Serial", "Product", "State", "Current location", "Shipped to", "Shipped on")


def write_recall_xlsx(cursor, recall_id, states, output):
    """Write the lines of recall ``recall_id`` to ``output`` (a binary file) as one sheet; ``states``
    maps serial_state keys to their labels."""
    # constant_memory: each row is written out as soon as the next one starts.
    workbook = xlsxwriter.Workbook(output, {"constant_memory": True, "in_memory": False})
    sheet = workbook.add_worksheet("Recall")
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet.write_row(0, 0, COLUMNS, workbook.add_format({"bold": True}))
    cursor.execute(
        """SELECT line.lot_name, COALESCE(tmpl.name->>'en_US', ''), line.serial_state,
                  COALESCE(loc.complete_name, ''), COALESCE(partner.name, ''), line.shipped_date
             FROM serial_recall_result line
             JOIN product_product product ON product.id = line.product_id
             JOIN product_template tmpl ON tmpl.id = product.product_tmpl_id
        LEFT JOIN stock_location loc ON loc.id = line.location_id
        LEFT JOIN res_partner partner ON partner.id = line.shipped_partner_id
            WHERE line.recall_id = %s
         ORDER BY line.lot_name, line.id""",
        [recall_id],
    )
    row = 1
    while rows := cursor.fetchmany(FETCH_ROWS):
        for serial, product, state, location, partner, shipped in rows:
            sheet.write_row(row, 0, (serial, product, states.get(state, ""), location, partner))
            if shipped:
                sheet.write_datetime(row, 5, shipped, date_format)
            row += 1
    sheet.autofilter(0, 0, max(row - 1, 1), len(COLUMNS) - 1)
    workbook.close()
