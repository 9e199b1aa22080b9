"""Services: what drives the formats on a store (importing and exporting files, opening a
project with its sample articles). A layer of its own, above the formats and the core and
below the command line and the window (see ``docs/architecture.md`` and the import-linter
contracts in ``pyproject.toml``): the core never imports a format, and a format never
imports a service."""
