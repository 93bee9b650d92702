"""The protokoll as a document and its export: the document model, its canonical content, and the
PDFs (rendering, the safe fetcher, storage of issued PDFs, the seal).

- ``document``: ``ProtokollDocument``, what the preview and the PDF show, in their order.
- ``canonical``: deterministic bytes of the content, and the hash a signature covers.
- ``fetcher``: WeasyPrint's URL fetcher (bundled static files only).
- ``blocks``: signature lines, the ANSLAG/BEVIS block and the evidence of a justerat PDF.
- ``render``: HTML and PDF rendering with WeasyPrint.
- ``store``: PDFs of a justerat protokoll, stored once and registered as issued.
- ``pdf``: ``export_pdf``, the entry point for downloads and ``manage.py export_pdf``.
- ``public_pdf``: the public version of a posted protokoll, as document and sealed PDF.
- ``seal``: the organisation's PAdES seal and its verification.
- ``http``: the download response and its file names.
"""
