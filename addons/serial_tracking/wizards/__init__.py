from . import serial_sequence_set_next
from . import serial_entry_wizard
from . import serial_entry_wizard_line
from . import serial_genealogy_wizard
from . import serial_genealogy_wizard_line
from . import serial_block_wizard
from . import serial_warranty_lookup
from . import serial_opening_stock_wizard
