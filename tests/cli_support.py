"""Running the `serials` command group in-process for the CLI tests.

`runner` is a fixture (conftest.py loads this module as a plugin); `invoke` runs one command
and fails the test on a traceback, which the CLI must never print.
"""

import pytest
from click.testing import CliRunner

from serials_cli.main import main


@pytest.fixture
def runner():
    """A CliRunner keeping stderr apart from stdout."""
    try:
        return CliRunner(mix_stderr=False)  # click < 8.2 mixes stderr in by default
    except TypeError:
        return CliRunner()


def invoke(runner, *args, stdin=None):
    """The Result of `serials ARGS` (stdin: text to read); a traceback or an exception other
    than the exit itself fails the test."""
    result = runner.invoke(main, list(args), input=stdin)
    assert "Traceback" not in result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result
