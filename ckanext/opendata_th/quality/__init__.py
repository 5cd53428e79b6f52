"""Quality: a score for every dataset, what it lost and how to gain it back.

A score is computed in phases, one module each:

1. `facts`: what the catalogue knows of the dataset (metadata, its tables' load and dictionary);
2. `links`: whether each resource answers (one real request per external link);
3. `measure`: one pure function per indicator of `indicators.yaml`;
4. `score`: the measures weighed into points, a rating and the fixes that gain the most;
5. `store`: kept per dataset and day, so the history shows improvement.

`jobs` runs them in the background after every change and nightly;
`report` words a stored score for a page or the API; `actions`, `auth` and
`helpers` are what CKAN calls.
"""
