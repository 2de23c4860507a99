
from . import serial_entry_wizard
from . import serial_entry_wizard_line
