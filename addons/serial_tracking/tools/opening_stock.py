"""Opening stock from a file: every check before anything is written, then a job of chunks.

check_opening_stock reads the file (serial_core.stockfile) and finds every problem with its row:
unknown product or location, product not tracked by serial, serial breaking the product's pattern,
serial given twice, serial already used in the product's uniqueness scope, quantity not whole,
product without a format to generate from. create_opening_stock_job then generates the serials of
quantity rows and cuts the rows into the chunks of a serial.job; it writes nothing unless the check
found nothing.
"""

from collections import defaultdict

from odoo.exceptions import UserError

from serial_core.errors import ReadError
from serial_core.stockfile import read_stock_file

from .policy import STOCKED_USAGES

# Serials per chunk: one transaction each. Large enough that the per-transaction work (a commit,
# one inventory move batch per product and location) stays small, small enough to keep memory flat.
CHUNK_SIZE = 5000


class OpeningStockPlan:
    """A checked file: its rows resolved to records, and the problems found ("row N: ...")."""

    def __init__(self, env, data, file_name, company):
        self.env = env
        self.company = company
        self.file_name = file_name
        try:
            self.file = read_stock_file(data, file_name)
        except ReadError as error:
            raise UserError(str(error)) from error
        self.problems = [(problem.row, problem.message) for problem in self.file.problems]
        self.products = self._resolve_products()
        self.locations = self._resolve_locations()
        self.rows = [row for row in self.file.rows if row.product in self.products and row.location in self.locations]
        if self.file.by_quantity:
            self._check_numbering()
        else:
            self._check_serials()
        self.problems.sort(key=lambda problem: problem[0] or 0)

    @property
    def messages(self):
        return [message for _row, message in self.problems]

    @property
    def total(self):
        return sum(row.quantity for row in self.rows) if self.file.by_quantity else len(self.rows)

    def _problem(self, row, message):
        self.problems.append((row, self.env._("row %(row)s: %(problem)s", row=row, problem=message)))

    def _rows_by(self, attribute):
        rows = defaultdict(list)
        for row in self.file.rows:
            rows[getattr(row, attribute)].append(row.row)
        return rows

    def _matches(self, attribute, model, key_fields, domain):
        """{cell text: set of records} of the ``attribute`` column's texts, each matched on any of
        ``key_fields``; and {cell text: [rows]}."""
        rows_by_key = self._rows_by(attribute)
        keys = list(rows_by_key)
        found = self.env[model].search(
            ["|"] * (len(key_fields) - 1) + [(name, "in", keys) for name in key_fields] + domain
        )
        matches = defaultdict(set)
        for record in found:
            for name in key_fields:
                if record[name] in rows_by_key:
                    matches[record[name]].add(record)
        return matches, rows_by_key

    def _resolve(self, matches, rows_by_key, why_not):
        """{cell text: record} of the texts naming one acceptable record; a problem for each row of
        the others (``why_not(key, records)``: the reason, or None when the one record is fine)."""
        resolved = {}
        for key, rows in rows_by_key.items():
            why = why_not(key, matches.get(key, set()))
            if why is None:
                resolved[key] = next(iter(matches[key]))
                continue
            for row in rows:
                self._problem(row, why)
        return resolved

    def _resolve_products(self):
        """Products by internal reference, else barcode, tracked by serial."""
        _ = self.env._

        def why_not(key, products):
            if len(products) > 1:
                return _("%(key)s names several products (internal reference or barcode)", key=key)
            if not products:
                return _("unknown product %(key)s (give its internal reference or barcode)", key=key)
            product = next(iter(products))
            if product.tracking != "serial" or not product.is_storable:
                return _("%(product)s is not tracked by serial number", product=product.display_name)
            return None

        matches, rows_by_key = self._matches(
            "product", "product.product", ["default_code", "barcode"], [("company_id", "in", [self.company.id, False])]
        )
        return self._resolve(matches, rows_by_key, why_not)

    def _resolve_locations(self):
        """The company's stock locations by full name, else barcode."""
        _ = self.env._

        def why_not(key, locations):
            if len(locations) > 1:
                return _("%(key)s names several locations (full name or barcode)", key=key)
            if not locations:
                return _(
                    "unknown location %(key)s in %(company)s (give its full name, e.g. WH/Stock, or barcode)",
                    key=key,
                    company=self.company.name,
                )
            if next(iter(locations)).usage not in STOCKED_USAGES:
                return _("%(location)s is not a stock location", location=key)
            return None

        matches, rows_by_key = self._matches(
            "location", "stock.location", ["complete_name", "barcode"], [("company_id", "=", self.company.id)]
        )
        return self._resolve(matches, rows_by_key, why_not)

    def _check_numbering(self):
        for key, product in self.products.items():
            if not product._serial_format_text():
                for row in self.rows:
                    if row.product == key:
                        self._problem(
                            row.row,
                            self.env._(
                                "%(product)s has no serial format or shared sequence to generate serials from",
                                product=product.display_name,
                            ),
                        )

    def _check_serials(self):
        """Pattern, uniqueness scope and repeats across products of one scope."""
        _ = self.env._
        rows_by_product = defaultdict(dict)  # product -> {serial: row}
        for row in self.rows:
            rows_by_product[self.products[row.product]][row.serial] = row.row
        wide_scope = {}  # serial -> (row, product) of products unique per company or globally
        for product, rows in rows_by_product.items():
            for problem in product._serial_problems(list(rows), len(rows)):
                if problem.kind == "pattern":
                    self._problem(rows[problem.serial], problem.message)
            for name in product._serial_conflicts(list(rows), self.company):
                self._problem(
                    rows[name],
                    _(
                        "%(serial)s of %(product)s is already used (uniqueness: %(scope)s)",
                        serial=name,
                        product=product.display_name,
                        scope=product.serial_uniqueness,
                    ),
                )
            if product.serial_uniqueness == "product":
                continue
            for name, row in rows.items():
                first = wide_scope.setdefault(name, (row, product))
                if first[1] != product:
                    self._problem(
                        row,
                        _(
                            "%(serial)s repeats row %(first)s (another product; uniqueness: %(scope)s)",
                            serial=name,
                            first=first[0],
                            scope=product.serial_uniqueness,
                        ),
                    )

    def serial_rows(self):
        """[[product id, location id, serial]] in chunk order (by product and location, then file order);
        quantity rows get their serials generated here (issued from the store: call only to load)."""
        triples = []
        if self.file.by_quantity:
            issued = defaultdict(set)
            for row in self.rows:
                product, location = self.products[row.product], self.locations[row.location]
                names, _skipped = product._serial_generate_free(
                    row.quantity, location=location, exclude=issued[product]
                )
                issued[product].update(names)
                triples += [[product.id, location.id, name] for name in names]
        else:
            triples = [
                [self.products[row.product].id, self.locations[row.location].id, row.serial] for row in self.rows
            ]
        order = {}
        for triple in triples:
            order.setdefault((triple[0], triple[1]), len(order))
        return sorted(triples, key=lambda triple: order[triple[0], triple[1]])


def create_opening_stock_job(plan, chunk_size=CHUNK_SIZE):
    """The queued serial.job loading a plan without problems (its serials generated now)."""
    env = plan.env
    if plan.problems:
        raise UserError(env._("The file has problems; nothing was loaded."))
    rows = plan.serial_rows()
    job = env["serial.job"].create(
        {
            "name": env._("Opening stock from %(file)s", file=plan.file_name),
            "kind": "opening_stock",
            "company_id": plan.company.id,
            "file_name": plan.file_name,
            "total_count": len(rows),
        }
    )
    env["serial.job.chunk"].sudo().create(
        [
            {"job_id": job.id, "sequence": index, "count": len(part), "payload": part}
            for index, part in enumerate(
                (rows[start : start + chunk_size] for start in range(0, len(rows), chunk_size)), 1
            )
        ]
    )
    return job
