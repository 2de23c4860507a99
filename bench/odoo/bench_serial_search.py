"""Serial search on 1,000,000 serials: the worker's suffix index against Odoo's own ``ilike`` on
``stock.lot.name`` (its trigram GIN index), side by side in the same run, per class of term.

Run on a database where serial_tracking is installed and that may keep the bench's serials (the first run
builds them and commits; later runs reuse them):

    .venv/bin/python bench/odoo/bench_serial_search.py --db serials_bench [--count 1000000] [--repeat 20]

which runs this file inside ``odoo-bin shell`` (Odoo from $ODOO_HOME, odoo.conf, the checkout's addons).
The serials, like a real stock of phones, routers and imports:

* 80% ``996`` + 7 digits from a counter (9960000000, 9960000001, ...): every one starts with 996, and
  the first 100,000 with 99600;
* 15% ``SN-2024-`` + 6 digits; 5% ten random hexadecimal characters.

The build inserts the lots in SQL (the addon's triggers log each one), then times ``serials index
rebuild`` (serial_core.search_index.rebuild) and reports the size of the index against the size of
``stock_lot`` and its trigram index. Then, for each term (a round of all methods per repetition, from an
empty ORM cache; the ilike timings are cut to ``--ilike-repeat`` runs per term, they take up to a second):

* baseline  - the ids and names of 80 lots read by primary key: the machine's pace in this run (the
              index's figures are read against it: the machines these benches run on are often shared);
* index     - serial_core.search_index.search(cr, term, 80): Find Serial and `serials search`;
* list      - stock.lot search([("serial_search", "ilike", term)], limit=80): the first page in stock.lot's
              own order (name, id) through the index;
* ilike     - stock.lot search([("name", "ilike", term)], limit=80): Odoo's own search of the same page;
* page      - the Serial List's first page as the web client asks for it: web_search_read with the
              action's domain and the term, the list view's fields, limit 80, order "name ASC" and
              count_limit 10001 (the page, its records read for display and the count shown);
* page/view - the same with the count_limit the Serial List view sets (its pager says "N+" beyond it);
* page ilike - the page with Odoo's ilike on the serial instead of the index, count_limit 10001;
* page read - web_read of the same page's records with the view's fields alone (by id, no search, no
              count): what showing any page of 80 serials costs, whatever found them; "page/view" minus
              it is what the search and the count add.

Classes of terms: ``shared prefix`` (996, 9960, 99600, SN-2024: most serials hold them), ``common
digits`` (3-4 digits found in a large share of serials: the trigram index reads them all, or the planner
gives up on it for a sequential scan), ``middle fragment`` (5-6 characters from inside one serial),
``whole serial``, ``no match``.
"""

import os
import random
import statistics
import time

PAGE = 80


def launch():
    """Outside Odoo: run this file in ``odoo-bin shell`` with the arguments passed on in the environment."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db", required=True, help="a database where serial_tracking is installed (it keeps the serials)"
    )
    parser.add_argument("--count", type=int, default=1_000_000, help="serials to build (once)")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per term of the index methods")
    parser.add_argument("--ilike-repeat", type=int, default=5, help="timed runs per term of Odoo's ilike")
    parser.add_argument("--rebuild", action="store_true", help="time the index rebuild again on built serials")
    parser.add_argument("--config", default="odoo.conf")
    args = parser.parse_args()
    from odoo_shell import run_in_shell  # bench/odoo/, beside this file

    run_in_shell(
        __file__,
        args.db,
        args.config,
        {
            "BENCH_COUNT": args.count,
            "BENCH_REPEAT": args.repeat,
            "BENCH_ILIKE_REPEAT": args.ilike_repeat,
            "BENCH_REBUILD": int(args.rebuild),
        },
    )


def _serial_names(count):
    phones, stamped = count * 80 // 100, count * 15 // 100
    hexed = count - phones - stamped
    rng = random.Random(42)
    return (
        [f"996{n:07d}" for n in range(phones)]
        + [f"SN-2024-{n:06d}" for n in range(stamped)]
        + [f"{rng.getrandbits(40):010X}" for _ in range(hexed)]
    )


def build(env, count):
    """The bench product and ``count`` lots in SQL, then the index rebuilt from scratch (committed)."""

    product = env["product.product"].search([("default_code", "=", "BENCH-SEARCH")], limit=1)
    if product:
        env.cr.execute("SELECT count(*) FROM stock_lot WHERE product_id = %s", (product.id,))
        if env.cr.fetchone()[0] == count:
            print(f"reusing the {count:,} serials of BENCH-SEARCH")
            if os.environ.get("BENCH_REBUILD") == "1":
                rebuild(env)
            return
        raise SystemExit("bench: BENCH-SEARCH holds another number of serials; use a fresh database")
    product = env["product.product"].create(
        {
            "name": "Bench Search Phone",
            "default_code": "BENCH-SEARCH",
            "type": "consu",
            "is_storable": True,
            "tracking": "serial",
        }
    )
    names = _serial_names(count)
    started = time.perf_counter()
    for start in range(0, count, 100_000):
        env.cr.execute(
            """INSERT INTO stock_lot (name, product_id, company_id, create_uid, write_uid, create_date, write_date)
               SELECT unnest(%s::text[]), %s, %s, 1, 1, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'""",
            (names[start : start + 100_000], product.id, env.company.id),
        )
    insert_s = time.perf_counter() - started
    env.cr.commit()
    print(f"built {count:,} lots in {insert_s:.1f} s (SQL insert, change log filled by the triggers)")
    rebuild(env)


def rebuild(env):
    """Times serial_core.search_index.rebuild (what `serials index rebuild` runs) and commits it."""
    from serial_core import search_index

    started = time.perf_counter()
    counts = search_index.rebuild(
        env.cr, lambda done, total: done % 200_000 == 0 and print(f"  indexed {done:,} of {total:,} lots", flush=True)
    )
    rebuild_s = time.perf_counter() - started
    env.cr.commit()
    env.cr.execute("ANALYZE stock_lot")
    env.cr.execute(f"ANALYZE {search_index.SUFFIX_TABLE}")
    env.cr.execute(f"ANALYZE {search_index.LINK_TABLE}")
    env.cr.commit()
    print(
        f"index rebuild: {rebuild_s:.1f} s for {counts['lots']:,} lots, {counts['suffixes']:,} suffixes, "
        f"{counts['links']:,} links"
    )


def sizes(env):
    from serial_core import search_index

    cr = env.cr
    cr.execute("SELECT pg_relation_size('stock_lot'), pg_total_relation_size('stock_lot')")
    lot_heap, lot_total = cr.fetchone()
    # Odoo's trigram GIN index on the name (index='trigram').
    cr.execute(
        "SELECT pg_relation_size(format('%I', indexname)::regclass) FROM pg_indexes "
        "WHERE tablename = 'stock_lot' AND indexdef LIKE '%gin_trgm_ops%'"
    )
    trigram = sum(row[0] for row in cr.fetchall())
    index = search_index.index_size(cr)
    mib = 2**20
    print(
        f"size: stock_lot {lot_heap / mib:.0f} MiB (with all its indexes {lot_total / mib:.0f} MiB), "
        f"its trigram index {trigram / mib:.0f} MiB; "
        + ", ".join(f"{table} {size / mib:.0f} MiB" for table, size in index.items())
        + " (tables with their b-trees)"
    )


def terms(env, count):
    """{class: [terms]} drawn from the bench's serials."""
    rng = random.Random(7)
    names = _serial_names(count)
    picks = [names[rng.randrange(count)] for _ in range(10)]
    return {
        "shared prefix": ["996", "9960", "99600", "99601", "SN-2024", "sn-2024-0"],
        "common digits": ["000", "123", "500", "999", "0000", "2024", "1234"],
        "middle fragment": [name[3:9] for name in picks],
        "whole serial": picks[:5],
        "no match": ["ZZZQ9", "xyz-00", "QQQ"],
    }


def serial_list_page(env):
    """(page(field, term, count_limit), the view's count_limit, its fields): the Serial List's first page as the web
    client asks for it (its action's domain, its list view's fields, limit 80, the view's default order)."""
    from lxml import etree

    from odoo.tools.safe_eval import safe_eval

    action = env.ref("serial_tracking.stock_lot_action_serial_list")
    view = env.ref("serial_tracking.stock_lot_view_list_serial")
    arch = etree.fromstring(env["stock.lot"].get_views([(view.id, "list")])["views"]["list"]["arch"])
    lots = env["stock.lot"]
    specification = {}
    for node in arch.iter("field"):
        field = lots._fields[node.get("name")]
        specification[field.name] = {"fields": {"display_name": {}}} if field.relational else {}
    order = ", ".join(f"{part} ASC" for part in arch.get("default_order").split(","))
    domain = safe_eval(action.domain)

    def page(field, term, count_limit):
        return lots.web_search_read(
            [*domain, (field, "ilike", term)], specification, limit=PAGE, order=order, count_limit=count_limit
        )

    return page, int(arch.get("count_limit") or 10000), specification


def _timed(env, run, term, repeat):
    runs = []
    for _ in range(repeat):
        env.invalidate_all()
        started = time.perf_counter()
        run(term)
        runs.append((time.perf_counter() - started) * 1000)
    return runs


def _percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def bench(env):
    from serial_core import search_index

    count = int(os.environ["BENCH_COUNT"])
    repeat = int(os.environ["BENCH_REPEAT"])
    ilike_repeat = int(os.environ["BENCH_ILIKE_REPEAT"])
    build(env, count)
    sizes(env)
    lots = env["stock.lot"]
    env.cr.execute("SELECT id FROM stock_lot ORDER BY id DESC LIMIT %s", (PAGE,))
    page_ids = [row[0] for row in env.cr.fetchall()]

    def baseline(term):  # the cheapest query of a page: the machine's own pace, to read the others against
        env.cr.execute("SELECT id, name FROM stock_lot WHERE id = ANY(%s)", (page_ids,))
        return env.cr.fetchall()

    web_page, view_count_limit, specification = serial_list_page(env)
    shown_ids = {}

    def page_view(term):
        result = web_page("serial_search", term, view_count_limit + 1)
        shown_ids[term] = [row["id"] for row in result["records"]]
        return result

    methods = [
        ("baseline", baseline, repeat),
        ("index", lambda term: search_index.search(env.cr, term, PAGE), repeat),
        ("list", lambda term: lots.search([("serial_search", "ilike", term)], limit=PAGE), repeat),
        ("ilike", lambda term: lots.search([("name", "ilike", term)], limit=PAGE), ilike_repeat),
        ("page", lambda term: web_page("serial_search", term, 10001), max(3, repeat // 4)),
        ("page/view", page_view, repeat),
        ("page read", lambda term: lots.browse(shown_ids[term]).web_read(specification), repeat),
        ("page ilike", lambda term: web_page("name", term, 10001), ilike_repeat),
    ]
    print(
        f"\nms per search of one page ({PAGE} lots) among {count:,} serials; p50 / p95 / max over all runs of the class"
        f" (the Serial List view's count_limit: {view_count_limit})"
    )
    print(
        f"{'class':<16} {'terms':>5} "
        + " ".join(f"{name + ' p50/p95/max':>24}" for name, _, _ in methods)
        + f" {'index/baseline p95':>19} {'ilike/index p95':>16} {'page ilike/page p95':>20}"
    )
    worst_index_p95, worst_term = 0.0, None
    worst_list_p95, worst_list_term = 0.0, None
    worst_page_p95, worst_page_term = 0.0, None
    for label, class_terms in terms(env, count).items():
        timed = {name: [] for name, _, _ in methods}
        for term in class_terms:
            for name, run, runs in methods:
                run(term)  # warm: the figures are for a database in memory, as a busy one is
                timed[name] += _timed(env, run, term, runs)
            term_p95 = _percentile(timed["index"][-repeat:], 0.95)
            if term_p95 > worst_index_p95:
                worst_index_p95, worst_term = term_p95, term
            list_p95 = _percentile(timed["list"][-repeat:], 0.95)
            if list_p95 > worst_list_p95:
                worst_list_p95, worst_list_term = list_p95, term
            page_p95 = _percentile(timed["page/view"][-repeat:], 0.95)
            if page_p95 > worst_page_p95:
                worst_page_p95, worst_page_term = page_p95, term
        cells = []
        for name, _, _ in methods:
            values = timed[name]
            cells.append(f"{statistics.median(values):>7.1f} /{_percentile(values, 0.95):>7.1f} /{max(values):>7.1f}")
        p95 = {name: max(_percentile(values, 0.95), 1e-6) for name, values in timed.items()}
        print(
            f"{label:<16} {len(class_terms):>5} "
            + " ".join(f"{cell:>24}" for cell in cells)
            + f" {p95['index'] / p95['baseline']:>19.1f} {p95['ilike'] / p95['index']:>16.0f}"
            + f" {p95['page ilike'] / p95['page']:>20.0f}"
        )
    print(f"\nworst index p95 of any single term: {worst_index_p95:.2f} ms ({worst_term!r}; target: at most 10 ms)")
    print(f"worst list p95 of any single term: {worst_list_p95:.2f} ms ({worst_list_term!r}; target: at most 10 ms)")
    print(
        f"worst page/view p95 of any single term: {worst_page_p95:.2f} ms ({worst_page_term!r}; target: at most 10 ms)"
    )
    print(
        f"load average during the run: {' '.join(f'{load:.1f}' for load in os.getloadavg())} on {os.cpu_count()} cores"
    )
    env.cr.rollback()


if "env" in globals():
    bench(env)  # noqa: F821  (given by odoo-bin shell)
elif __name__ == "__main__":
    launch()
