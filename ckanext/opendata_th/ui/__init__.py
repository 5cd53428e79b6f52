"""The public catalogue's pages: home page figures, facets, grouped metadata.

- `search`: what the catalogue indexes for its facets ("has API", ministry)
  and the facets' titles and item labels in the reader's language.
- `metadata`: the dataset's metadata standard grouped the way readers look
  for it, with vocabulary labels instead of codes and Buddhist-era dates.
- `agencies`: agency pages: names in both languages, ministry, and figures
  counted as the viewer may see them.
- `open_data_day`: the curated featured datasets and every HVD by category.
- `popular`: "Most used", every public dataset ranked by its data's use.
- `preview`: the DataStore views created once a load marks a resource.
- `tags`: tag suggestions only from datasets the caller can read.
- `helpers`: template helpers (HELPER_MODULES) for the home page, the
  dataset page, agency pages, date fields and the language switch.
- `views`: the Open Data Day page's blueprint.
"""
