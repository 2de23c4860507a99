from . import test_validation
from . import test_serial_entry_add
from . import test_serial_entry_remove
from . import test_auto_generate
from . import test_tour_serial_entry
