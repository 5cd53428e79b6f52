"""DCAT-AP 3 and DCAT-AP HVD output of the catalogue (ckanext-dcat).

- `profile`: the `opendata_th` RDF profile, chained after `euro_dcat_ap_3`.
- `urls`: the URLs it points at (DataStore endpoint, API documentation).
- `actions`: DCAT endpoints see only public, open datasets.
"""
