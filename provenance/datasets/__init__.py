"""Dataset files: the YAML and JSON people write, and loading them into the store.

``files`` (safe reading), ``format`` (the pydantic models of a file and so its JSON Schema,
rendered by ``schema``), ``evidence`` (excerpt anchors and content hashes), ``citations`` (a
statement's reports and the ``via`` shorthand), ``plan`` (checking files against each other and
the database into rows to write) and ``loader`` (the one transaction that writes them). Modules
here may import ``provenance.store`` and the top-level shared modules.
"""
