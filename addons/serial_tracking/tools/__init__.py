# Helpers shared by the models and wizards: no models here.
from . import engine, messages, policy
