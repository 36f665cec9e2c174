"""The `skillsite` command line. Commands live in app/cli/commands, one module per area."""
