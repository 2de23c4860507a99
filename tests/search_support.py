"""A stand-in for the Odoo addon's side of the serial search index: a few host tables and the three views
serial_core.search_index reads, in a test's fresh schema (the addon's own views are tested on Odoo)."""

from serial_core import search_index

HOST_SCHEMA = """
CREATE TABLE host_lot (id serial PRIMARY KEY, name text NOT NULL, product_id integer NOT NULL);
CREATE TABLE host_product (id integer PRIMARY KEY, name text NOT NULL);
CREATE TABLE host_document (id integer PRIMARY KEY, name text NOT NULL, lot_id integer NOT NULL);
CREATE VIEW serial_search_source AS SELECT id AS lot_id, name FROM host_lot;
CREATE VIEW serial_search_link_source AS
    SELECT 'product'::text AS kind, product_id AS ref_id, id AS lot_id FROM host_lot
    UNION ALL SELECT 'picking', id, lot_id FROM host_document;
CREATE VIEW serial_search_ref_name AS
    SELECT 'product'::text AS kind, id AS ref_id, name FROM host_product
    UNION ALL SELECT 'picking', id, name FROM host_document;
INSERT INTO host_product VALUES (1, 'Phone X2'), (2, 'Cable drum');
"""


def create_host(cur):
    cur.execute(HOST_SCHEMA)
    search_index.ensure_schema(cur)


def add_lots(cur, names, product_id=1):
    """Inserts lots and logs them as the addon's triggers do; returns their ids."""
    cur.execute(
        "INSERT INTO host_lot (name, product_id) SELECT unnest(%s::text[]), %s RETURNING id", (list(names), product_id)
    )
    ids = [row[0] for row in cur.fetchall()]
    log_changes(cur, ids)
    return ids


def log_changes(cur, lot_ids):
    cur.execute(f"INSERT INTO {search_index.CHANGE_TABLE} (lot_id) SELECT unnest(%s::integer[])", (list(lot_ids),))


def names_of(cur, lot_ids):
    return sorted(search_index.serial_names(cur, lot_ids).values())
