"""The public catalogue's pages: home page figures, facets, grouped metadata.

- `search`: what the catalogue indexes for its facets ("has API", ministry)
  and the facets' titles and item labels in the reader's language.
- `metadata`: the dataset's metadata standard grouped the way readers look
  for it, with vocabulary labels instead of codes and Buddhist-era dates.
- `helpers`: template helpers (HELPER_MODULES) for the home page, the
  dataset page, date fields and the language switch.
"""
