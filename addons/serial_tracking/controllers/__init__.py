from . import serial_labels
from . import serial_recall_export
