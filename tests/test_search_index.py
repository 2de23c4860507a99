"""serial_core.search_index: suffixes and terms (pure), then the index on a real PostgreSQL through the
three host views (tests/search_support.py stands in for the addon): drain, search, rebuild."""

import pytest

from serial_core import search_index
from tests.search_support import add_lots, create_host, log_changes, names_of

# --- pure: suffixes and terms -------------------------------------------------------------------


def test_suffixes_of_a_serial_are_every_tail_of_three_characters_or_more():
    assert search_index.suffixes("99600123") == ["99600123", "9600123", "600123", "00123", "0123", "123"]


def test_suffixes_are_lower_cased_trimmed_and_unique():
    assert search_index.suffixes("  AbC ") == ["abc"]
    assert search_index.suffixes("aaaa") == ["aaaa", "aaa"]
    assert search_index.suffixes("ab") == []
    assert search_index.suffixes("") == []


def test_long_serials_keep_suffixes_of_the_maximum_length():
    serial = "x" * 30 + "y" * (search_index.MAX_SUFFIX + 10)
    tails = search_index.suffixes(serial)
    assert max(map(len, tails)) == search_index.MAX_SUFFIX
    assert all(len(tail) >= search_index.MIN_FRAGMENT for tail in tails)


def test_a_term_is_trimmed_and_lower_cased():
    assert search_index.normalise_term("  SN-0042 ") == "sn-0042"


@pytest.mark.parametrize("term", ["", "  ", "ab", " a ", None])
def test_a_term_shorter_than_three_characters_is_refused(term):
    with pytest.raises(search_index.SearchTermError, match="at least 3 characters"):
        search_index.normalise_term(term)


def test_like_wildcards_in_a_term_are_plain_characters():
    assert search_index.prefix_pattern("A_1%\\") == "a\\_1\\%\\\\%"
    assert search_index.contains_pattern("50%") == "%50\\%%"


# --- on PostgreSQL ------------------------------------------------------------------------------


@pytest.fixture
def host(cur):
    create_host(cur)
    return cur


def _drain(cur):
    total = 0
    while taken := search_index.drain_batch(cur, batch_size=2):
        total += taken
    return total


def _search(cur, term, limit=80):
    return names_of(cur, search_index.search(cur, term, limit))


@pytest.mark.services
def test_logged_lots_are_found_by_any_fragment_after_the_drain(host):
    add_lots(host, ["99600123", "99600124", "SN-ABC-77"])
    assert _search(host, "00123") == []  # logged, not indexed yet
    assert _drain(host) == 3
    assert _search(host, "996") == ["99600123", "99600124"]
    assert _search(host, "0012") == ["99600123", "99600124"]
    assert _search(host, "00123") == ["99600123"]
    assert _search(host, "abc-7") == ["SN-ABC-77"]
    assert _search(host, "c-77") == ["SN-ABC-77"]
    assert _search(host, "zzz") == []
    assert search_index.pending_changes(host) == 0


@pytest.mark.services
def test_a_rename_and_a_delete_follow_from_the_log(host):
    renamed, deleted = add_lots(host, ["OLD-1111", "GONE-2222"])
    _drain(host)
    host.execute("UPDATE host_lot SET name = 'NEW-3333' WHERE id = %s", (renamed,))
    host.execute("DELETE FROM host_lot WHERE id = %s", (deleted,))
    log_changes(host, [renamed, deleted])
    _drain(host)
    assert _search(host, "old-1") == []
    assert _search(host, "w-333") == ["NEW-3333"]
    assert _search(host, "2222") == []
    host.execute(f"SELECT count(*) FROM {search_index.SUFFIX_TABLE} WHERE lot_id = %s", (deleted,))
    assert host.fetchone()[0] == 0


@pytest.mark.services
def test_draining_the_same_change_twice_changes_nothing(host):
    (lot,) = add_lots(host, ["TWICE-5555"])
    log_changes(host, [lot, lot])
    _drain(host)
    host.execute(f"SELECT count(*) FROM {search_index.SUFFIX_TABLE}")
    assert host.fetchone()[0] == len(search_index.suffixes("TWICE-5555"))


@pytest.mark.services
def test_products_and_documents_match_by_a_fragment_of_their_name(host):
    phones = add_lots(host, ["P-1", "P-2"], product_id=1)
    (drum,) = add_lots(host, ["D-1"], product_id=2)
    host.execute("INSERT INTO host_document VALUES (10, 'WH/IN/00042', %s)", (phones[0],))
    log_changes(host, [phones[0]])
    _drain(host)
    assert _search(host, "phone") == ["P-1", "P-2"]
    assert _search(host, "DRUM") == ["D-1"]
    assert _search(host, "in/0004") == ["P-1"]
    assert drum not in search_index.search(host, "phone")
    sql, params = search_index.match_query(host, "phone")
    host.execute(sql, params)
    assert names_of(host, [row[0] for row in host.fetchall()]) == ["P-1", "P-2"]


@pytest.mark.services
def test_a_fragment_every_serial_shares_returns_the_limit_each_lot_once(host):
    # 996996xx holds "996" twice: the lot still counts once.
    add_lots(host, [f"996996{n:02d}" for n in range(50)] + [f"996{n:05d}" for n in range(200)])
    _drain(host)
    found = search_index.search(host, "996", limit=30)
    assert len(found) == len(set(found)) == 30
    sql, params = search_index.match_query(host, "996")
    host.execute(f"SELECT count(DISTINCT lot_id) FROM ({sql}) matches", params)
    assert host.fetchone()[0] == 250


@pytest.mark.services
def test_the_fragment_search_is_an_index_range_scan(host):
    add_lots(host, [f"996{n:05d}" for n in range(2000)])
    _drain(host)
    host.execute(f"ANALYZE {search_index.SUFFIX_TABLE}")
    host.execute("SET enable_seqscan = off")  # on a table this small the planner would rather read it all
    host.execute(
        f"EXPLAIN SELECT lot_id FROM {search_index.SUFFIX_TABLE} WHERE suffix LIKE %s ORDER BY suffix LIMIT 80",
        (search_index.prefix_pattern("99600"),),
    )
    plan = "\n".join(row[0] for row in host.fetchall())
    assert f"Index Only Scan using {search_index.SUFFIX_TABLE}_pkey" in plan
    assert "Index Cond: ((suffix >= '99600'::text) AND (suffix < '99601'::text))" in plan


@pytest.mark.services
def test_rebuild_builds_from_the_sources_and_clears_the_log(host):
    add_lots(host, ["R-AAA-1", "R-BBB-2", "R-CCC-3"])
    host.execute(f"INSERT INTO {search_index.SUFFIX_TABLE} VALUES ('stale', 999)")
    seen = []
    counts = search_index.rebuild(host, progress=lambda done, total: seen.append((done, total)), chunk=2)
    assert counts == {"lots": 3, "suffixes": 15, "links": 3}
    assert seen == [(2, 3), (3, 3)]
    assert search_index.pending_changes(host) == 0
    assert _search(host, "bbb") == ["R-BBB-2"]
    assert search_index.search(host, "stale") == []
    host.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s ORDER BY 1", (search_index.SUFFIX_TABLE,))
    table = search_index.SUFFIX_TABLE
    assert [row[0] for row in host.fetchall()] == [f"{table}_lot_idx", f"{table}_pkey"]


@pytest.mark.services
def test_without_the_host_views_the_index_says_what_is_missing(cur):
    with pytest.raises(search_index.SearchIndexError, match="no serial_search_source view.*serial_tracking addon"):
        search_index.check_sources(cur)
    assert search_index.pending_changes(cur) == 0


def _walk(cur, term, limit=search_index.WALK_LIMIT, wanted=0):
    return [lot_id for step, _last in search_index.name_ordered(cur, term, limit, wanted) for _name, lot_id in step]


@pytest.mark.services
def test_the_walk_in_name_order_gives_every_match_once_in_name_order(host):
    names = [f"996{n:05d}" for n in range(0, 3000, 7)] + ["A-99600-996", "zz-99600", "SN-0996", "X-123"]
    add_lots(host, names)
    _drain(host)
    for term in ("996", "9960", "99600", "0996", "600-99"):
        expected = sorted((name, lot_id) for lot_id, name in search_index.serial_names(host, _walk(host, term)).items())
        assert [lot_id for _name, lot_id in expected] == _walk(host, term), term
        assert sorted(names_of(host, _walk(host, term))) == sorted(name for name in names if term in name.lower()), term
    assert _walk(host, "qqq") == []
    walked = _walk(host, "996")
    for wanted in (1, 10, 80, 5000):
        assert _walk(host, "0996", wanted=wanted) == _walk(host, "0996"), wanted
    search_index.rebuild(host)
    assert _walk(host, "996") == walked, "the rebuild makes the same name order"


@pytest.mark.services
def test_a_walk_past_its_limit_says_so_and_a_rename_moves_the_serial(host):
    lot_ids = add_lots(host, [f"WLK-{n:04d}" for n in range(600)])
    _drain(host)
    with pytest.raises(search_index.WalkTooLong):
        _walk(host, "wlk", limit=search_index.WALK_FIRST)
    host.execute("UPDATE host_lot SET name = 'AAA-WLK' WHERE id = %s", (lot_ids[-1],))
    log_changes(host, [lot_ids[-1]])
    _drain(host)
    assert _walk(host, "wlk")[:2] == [lot_ids[-1], lot_ids[0]]
    host.execute(f"SELECT count(*) FROM {search_index.GRAM_TABLE} WHERE lot_id = %s", (lot_ids[-1],))
    assert host.fetchone()[0] == len(search_index.grams("AAA-WLK"))


@pytest.mark.services
def test_a_walk_reads_what_the_share_of_matches_says_it_needs(host):
    # One name in ten holds "4567", every one holds both its grams: after a first step of 200 entries
    # (20 matches), 80 matches need 750 more entries, not 800 and then 3,200.
    names = [f"X{n:05d}4567" if n % 10 == 0 else f"X{n:05d}-456-567" for n in range(3000)]
    add_lots(host, names)
    _drain(host)
    gram_order = sorted(names)
    found, lasts = [], []
    for step, last in search_index.name_ordered(host, "4567", wanted=80):
        found += step
        lasts.append(gram_order.index(last[0]) + 1)
        if len(found) >= 80:
            break
    holding = sorted(name for name in names if "4567" in name)
    assert len(found) >= 80 and [name for name, _lot_id in found] == holding[: len(found)]
    assert lasts == [200, 950], "entries read after each step"
    assert search_index._next_step(200, 200, 0, 80) == 800  # nothing to go by: fourfold
    assert search_index._next_step(800, 1000, 100, 80) == 3200  # as many as wanted: fourfold
    assert search_index._next_step(200, 200, 75, 80) == search_index.WALK_FIRST
