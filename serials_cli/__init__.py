"""The `serials` command line: the engine (serial_core) and the worker from a shell.

main       -- the command group: --config, the error handling, every command registered
options    -- options shared by commands, and the configuration they are given
batch_view -- a worker batch on screen: status in words, a progress bar or plain lines
commands/  -- one module per command or command group
"""
