"""Automatic DataStore loading of tabular resources (issue 5).

The phases, one module each, so each can be tested alone:

- ``detect``   bytes -> text: encoding (Thai-aware), delimiter, table layout
               (title rows, header, footers);
- ``values``   one cell -> a typed value: Thai digits, thousands separators,
               negatives, percent, Buddhist-era dates, null markers, codes;
- ``infer``    the type of each column over the whole file (streaming);
- ``columns``  column ids that PostgreSQL accepts (63 bytes) with the header
               kept as the label;
- ``readers``  CSV/TSV, XLSX, XLS, ODS and JSON as streams of rows, with limits;
- ``fulltext`` Thai word segmentation for the DataStore's ``_full_text``;
- ``pdpa``     personal-data columns (citizen ids, phones, e-mails);
- ``load``     COPY into a staging table, swap into the DataStore in one
               transaction, data dictionary;
- ``status``   job status and PDPA decisions, kept in the DataStore database;
- ``jobs``     the background job and what queues it.

Walls: nothing here imports api/, hvd/ or dcat/; every job can be re-run.
"""
