"""Serial names and unit counts as messages show them."""

# At most this many names in a multi-line message: enough to act on, short enough to read.
MAX_LISTED = 50
# At most this many names in a one-line message (a notification in the serial entry dialog).
MAX_INLINE = 10


def format_serial_list(env, names, inline=False):
    """Names for a message, the rest counted (all of them are still refused): one per line, or
    ``inline`` as 'A, B, C … and N more'."""
    names = list(names)
    limit = MAX_INLINE if inline else MAX_LISTED
    shown = ", ".join(names[:limit]) if inline else "\n".join(f"- {name}" for name in names[:limit])
    if len(names) > limit:
        # env._: a plain _() finds no environment in this function's frame.
        more = env._("… and %(count)s more", count=len(names) - limit)
        shown += f" {more}" if inline else f"\n{more}"
    return shown


def format_units(quantity):
    """3.0 -> "3", 2.5 -> "2.5": unit counts read as counts in messages."""
    return str(int(quantity)) if float(quantity).is_integer() else str(quantity)
