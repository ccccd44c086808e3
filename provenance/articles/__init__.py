"""Articles in: from a raw article to a draft dataset a person reviews.

``ingest`` (text, markdown and saved HTML into documents), ``extraction`` (finding source, cue
and content spans), ``extract`` (the extractor's entry points and its JSONL form) and ``drafts``
(spans into a self-contained draft dataset). Modules here may import ``provenance.datasets``,
``provenance.store`` and the top-level shared modules.
"""
