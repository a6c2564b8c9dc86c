"""The command line: typer commands, one module each. The only code that imports typer/rich."""
