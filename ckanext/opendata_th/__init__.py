"""Thai government open-data catalogue for CKAN."""
