"""One module per `serials` command or command group, each exposing it as `command`."""
