from setuptools import find_namespace_packages, setup

setup(
    name="ckanext-opendata_th",
    version="0.1.0",
    description="Thai government open-data catalogue for CKAN 2.12",
    long_description=open("README.rst", encoding="utf-8").read(),
    license="AGPL-3.0-or-later",
    python_requires=">=3.11",
    packages=find_namespace_packages(include=["ckanext", "ckanext.*"]),
    include_package_data=True,
    package_data={
        "ckanext.opendata_th": ["**/*.yaml", "**/*.json", "**/*.csv", "templates/**/*", "i18n/**/*", "migration/**/*", "public/**/*"]
    },
    # Dependencies are pinned in requirements*.txt and installed by bin/stack.
    install_requires=[],
    entry_points={
        "ckan.plugins": [
            "opendata_th = ckanext.opendata_th.plugin:OpendataThPlugin",
            "opendata_th_harvest = ckanext.opendata_th.plugin:OpendataThHarvestPlugin",
            "opendata_th_ckan_harvester = ckanext.opendata_th.harvest.harvester:OpendataThCkanHarvester",
        ],
        "babel.extractors": ["ckan = ckan.lib.extract:extract_ckan"],
        "ckan.rdf.profiles": ["opendata_th = ckanext.opendata_th.dcat.profile:OpendataThProfile"],
    },
    message_extractors={
        "ckanext": [
            ("**.py", "python", None),
            ("**.js", "javascript", None),
            ("**/templates/**.html", "ckan", None),
        ],
    },
)
