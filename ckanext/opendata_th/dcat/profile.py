"""The `opendata_th` ckanext-dcat profile: the GD Catalog metadata standard
as DCAT-AP 3 and DCAT-AP HVD.

Chained after `euro_dcat_ap_3` (`ckanext.dcat.rdf.profiles = euro_dcat_ap_3
opendata_th`), it rewrites what that profile cannot know about our schema:

- codes become URIs from the vocabularies: update frequency
  (dct:accrualPeriodicity), data language (dct:language), licence
  (dct:license), file formats (dct:format), HVD category
  (dcatap:hvdCategory); each concept is typed `skos:Concept`, with its
  scheme and Thai and English labels, so a validator needs no outside
  vocabulary to check it;
- Thai and English literals carry language tags;
- the contact point (vcard:Kind) comes from the dataset, the publisher from
  its agency, the years of a statistical dataset become dct:temporal;
- a high-value dataset gets its categories and applicable legislation
  (eli:LegalResource) on the dataset, every distribution and every data
  service;
- each DataStore-backed resource is also a dcat:DataService (the DataStore
  API), linked from its distribution and listed by the catalogue.

Only public, open datasets reach this profile (dcat/actions.py).

RDF -> CKAN (`parse_dataset`, used by the DCAT harvester and the round-trip
test) reverses these mappings: concept URIs become our vocabulary codes,
C.E. dates B.E. years, the bounding box our four bounds, so that nothing
DCAT carries is lost on the way back.
"""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.dcat.profiles import RDFProfile
from ckanext.dcat.utils import resource_uri
from rdflib import BNode, Literal, Node, URIRef
from rdflib.namespace import FOAF, RDF, RDFS, SKOS, XSD, Namespace

from ckanext.opendata_th import vocab
from ckanext.opendata_th.dcat import urls
from ckanext.opendata_th.governance import harvest_scope
from ckanext.opendata_th.hvd import categories, flags
from ckanext.opendata_th.lib import thai
from ckanext.opendata_th.schema import applicable

DCT = Namespace("http://purl.org/dc/terms/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
SCHEMA = Namespace("http://schema.org/")

IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"

FREQUENCY_SCHEME = "http://publications.europa.eu/resource/authority/frequency"
ACCESS_RIGHT_PUBLIC = URIRef("http://publications.europa.eu/resource/authority/access-right/PUBLIC")
ACCESS_RIGHT_SCHEME = URIRef("http://publications.europa.eu/resource/authority/access-right")
LICENCE_TYPE_SCHEME = URIRef("http://purl.org/adms/licencetype/1.0")

_THAI = re.compile("[\u0e00-\u0e7f]")


def lang_of(text: str) -> str:
    """The language tag of one of our free-text values: Thai if it has Thai script."""
    return "th" if _THAI.search(text) else "en"


def tagged(text: str) -> Literal:
    return Literal(text, lang=lang_of(text))


class OpendataThProfile(RDFProfile):
    """Our schema on top of `euro_dcat_ap_3` (see the module docstring)."""

    # --- RDF -> CKAN -----------------------------------------------------

    def parse_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> dict[str, Any]:
        """Our schema's fields from what `euro_dcat_ap_3` and this profile publish."""
        self._parse_frequency(dataset_dict, dataset_ref)
        self._parse_languages(dataset_dict, dataset_ref)
        self._parse_licence(dataset_dict, dataset_ref)
        self._parse_contact(dataset_dict)
        self._parse_provenance(dataset_dict, dataset_ref)
        self._parse_modified(dataset_dict, dataset_ref)
        self._parse_access_rights(dataset_dict, dataset_ref)
        self._parse_years(dataset_dict, dataset_ref)
        self._parse_bbox(dataset_dict, dataset_ref)
        self._parse_hvd(dataset_dict, dataset_ref)
        for resource in dataset_dict.get("resources") or []:
            self._parse_distribution(resource)
        return dataset_dict

    def _codes(self, subject: Node, predicate: Node, vocabulary: str) -> list[str]:
        """The vocabulary codes of the concepts linked by `predicate`, in a stable order."""
        terms = vocab.get(vocabulary)
        codes = {terms.code_for(str(value)) for value in self.g.objects(subject, predicate)}
        return [code for code in terms.codes if code in codes]

    def _parse_frequency(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        codes = self._codes(dataset_ref, DCT.accrualPeriodicity, "update_frequency")
        if codes:
            # One period per update is all a frequency concept can say.
            dataset_dict["update_frequency_unit"] = codes[0]
            dataset_dict["update_frequency_interval"] = "1"

    def _parse_languages(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        codes = self._codes(dataset_ref, DCT.language, "data_language")
        if codes:
            dataset_dict["data_language"] = codes

    def _parse_licence(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        """The licence of the distributions (we publish the dataset's on each)."""
        for distribution in self._distributions(dataset_ref):
            codes = self._codes(distribution, DCT.license, "license")
            if codes:
                dataset_dict["license_id"] = codes[0]
                return

    def _parse_contact(self, dataset_dict: dict[str, Any]) -> None:
        contacts = dataset_dict.get("contact") or []
        if contacts and isinstance(contacts[0], dict):
            if contacts[0].get("name"):
                dataset_dict["maintainer"] = contacts[0]["name"]
            if contacts[0].get("email"):
                dataset_dict["maintainer_email"] = str(contacts[0]["email"]).removeprefix("mailto:")

    def _parse_provenance(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        for statement in self.g.objects(dataset_ref, DCT.provenance):
            label = self.g.value(statement, RDFS.label) if not isinstance(statement, Literal) else statement
            if label:
                dataset_dict["data_source"] = str(label)
                return

    def _parse_modified(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        """dct:modified is when the data changed: our last_updated_date (a date)."""
        value = self.g.value(dataset_ref, DCT.modified)
        if value is not None:
            dataset_dict["last_updated_date"] = str(value)[:10]

    def _parse_access_rights(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        # We publish only public, open datasets, and say so with PUBLIC.
        if (dataset_ref, DCT.accessRights, ACCESS_RIGHT_PUBLIC) in self.g:
            dataset_dict.setdefault("data_category", "public")
            dataset_dict.setdefault("data_classification", "open")

    def _parse_years(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        """dct:temporal's C.E. dates as our B.E. years of data."""
        for period in self.g.objects(dataset_ref, DCT.temporal):
            for key, predicates in (
                ("first_year_of_data", (DCAT.startDate, SCHEMA.startDate)),
                ("last_year_of_data", (DCAT.endDate, SCHEMA.endDate)),
            ):
                year = _year_of(next((v for p in predicates for v in self.g.objects(period, p)), None))
                if year:
                    dataset_dict[key] = str(thai.to_be_year(year))

    def _parse_bbox(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        """The bounding box (dcat:bbox or locn:geometry) as `spatial` and our four bounds."""
        # RDFProfile's reader, not our _spatial (which rewrites the graph).
        spatial = RDFProfile._spatial(self, dataset_ref, DCT.spatial)
        geojson = spatial.get("bbox") or spatial.get("geom")
        bounds = _bounds(geojson)
        if not geojson or bounds is None:
            return
        dataset_dict["spatial"] = geojson
        west, south, east, north = bounds
        dataset_dict.update(
            west_bound_longitude=str(west),
            east_bound_longitude=str(east),
            south_bound_latitude=str(south),
            north_bound_latitude=str(north),
        )

    def _parse_hvd(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        """HVD categories (EU ones and national dct:subject ones) and legislation."""
        eu = [categories.code_for(str(uri)) for uri in self.g.objects(dataset_ref, DCATAP.hvdCategory)]
        national = [
            code
            for code in (
                categories.code_for(_national_code(str(uri))) for uri in self.g.objects(dataset_ref, DCT.subject)
            )
            if code and categories.by_code()[code].national
        ]
        # A national category is published with its EU one; do not count that twice.
        implied = {categories.by_code()[code].eu for code in national}
        codes = [code for code in eu if code and code not in implied] + national
        if codes:
            dataset_dict[flags.FLAG] = "true"
            dataset_dict[flags.CATEGORY] = [c for c in categories.by_code() if c in codes]
        legislation = sorted(str(uri) for uri in self.g.objects(dataset_ref, DCATAP.applicableLegislation))
        if legislation:
            dataset_dict[flags.LEGISLATION] = legislation

    def _parse_distribution(self, resource: dict[str, Any]) -> None:
        """The resource's format as our format's name (the vocabulary's English label)."""
        ref = URIRef(resource["distribution_ref"]) if resource.get("distribution_ref") else None
        if ref is None:
            return
        codes = self._codes(ref, DCT["format"], "data_format")
        if codes:
            resource["format"] = vocab.get("data_format").term(codes[0]).label_for("en")

    # --- CKAN -> RDF -----------------------------------------------------

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        # Chained after `schemaorg` (ckanext.dcat.structured_data.profiles),
        # this profile adds schema.org facts instead: a separate profile
        # would need another entry point, and the DCAT triples below have
        # no place in a page's JSON-LD.
        # Values kept for fields of another data type are not the dataset's (schema/applicable.py).
        dataset_dict = applicable.without_foreign_fields(dataset_dict)
        if (dataset_ref, RDF.type, SCHEMA.Dataset) in self.g:
            self._schema_org(dataset_dict, dataset_ref)
            return
        hvd = flags.is_hvd(dataset_dict)
        self._tag_literals(dataset_ref, (DCT.title, DCT.description, DCAT.keyword))
        self._frequency(dataset_dict, dataset_ref)
        self._languages(dataset_dict, dataset_ref)
        self._access_rights(dataset_ref)
        self._temporal(dataset_dict, dataset_ref)
        self._provenance(dataset_dict, dataset_ref)
        self._modified(dataset_dict, dataset_ref)
        self._spatial(dataset_ref)
        contact = self._contact_point(dataset_ref)
        self._publisher(dataset_ref)
        self._hvd_dataset(dataset_dict, dataset_ref, hvd)
        for resource in dataset_dict.get("resources") or []:
            distribution = URIRef(resource_uri(resource))
            self._distribution(dataset_dict, resource, distribution, hvd)
            if flags.as_bool(resource.get("datastore_active")):
                self._data_service(dataset_dict, resource, dataset_ref, distribution, contact, hvd)

    def graph_from_catalog(self, catalog_dict: dict[str, Any] | None, catalog_ref: Node) -> None:
        g = self.g
        g.remove((catalog_ref, DCT.title, None))
        g.add((catalog_ref, DCT.title, Literal(tk.config["ckanext.opendata_th.portal_name"], lang="th")))
        g.add((catalog_ref, DCT.title, Literal(tk.config["ckanext.opendata_th.portal_name_en"], lang="en")))
        description = (catalog_dict or {}).get("description") or tk.config.get("ckan.site_description")
        g.remove((catalog_ref, DCT.description, None))
        g.add((catalog_ref, DCT.description, tagged(description or tk.config["ckanext.opendata_th.portal_name_en"])))
        g.remove((catalog_ref, DCT.language, None))
        for locale in tk.aslist(tk.config.get("ckan.locales_offered") or "th en"):
            self._add_concept(catalog_ref, DCT.language, "data_language", locale, DCT.LinguisticSystem)
        for homepage in g.objects(catalog_ref, FOAF.homepage):
            g.add((homepage, RDF.type, FOAF.Document))
        publisher = URIRef(urls.catalog_publisher())
        g.add((catalog_ref, DCT.publisher, publisher))
        g.add((publisher, RDF.type, FOAF.Agent))
        g.add((publisher, FOAF.name, Literal(tk.config["ckanext.opendata_th.portal_name"], lang="th")))
        g.add((publisher, FOAF.name, Literal(tk.config["ckanext.opendata_th.portal_name_en"], lang="en")))

    # --- schema.org (the dataset page's JSON-LD) -----------------------------

    def _schema_org(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        """What `schemaorg` cannot read from our schema: years, languages, bounding box."""
        self._tag_literals(dataset_ref, (SCHEMA.name, SCHEMA.description, SCHEMA.keywords))
        first = _ce_year(dataset_dict.get("first_year_of_data"))
        last = _ce_year(dataset_dict.get("last_year_of_data"))
        if (first or last) and (dataset_ref, SCHEMA.temporalCoverage, None) not in self.g:
            # An ISO 8601 interval of C.E. years; ".." is an open end.
            coverage = f"{first or '..'}/{last or '..'}"
            self.g.add((dataset_ref, SCHEMA.temporalCoverage, Literal(coverage)))
        if (dataset_ref, SCHEMA.inLanguage, None) not in self.g:
            for code in flags.as_list(dataset_dict.get("data_language")):
                if code != vocab.OTHER and code in vocab.get("data_language"):
                    self.g.add((dataset_ref, SCHEMA.inLanguage, Literal(code)))  # our codes are ISO 639-1
        # A member may see a private or restricted dataset's page: say "free"
        # only of what the public may have in full.
        self.g.set((dataset_ref, SCHEMA.isAccessibleForFree, Literal(harvest_scope(dataset_dict) == "full")))
        self._schema_org_box(dataset_dict, dataset_ref)

    def _schema_org_box(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        """The bounding box as schema:box ("south west north east") on the place's GeoShape."""
        keys = ("south_bound_latitude", "west_bound_longitude", "north_bound_latitude", "east_bound_longitude")
        values = [str(dataset_dict.get(key) or "").strip() for key in keys]
        if not all(values):
            return
        place = self.g.value(dataset_ref, SCHEMA.spatialCoverage)
        if place is None:
            place = BNode()
            self.g.add((dataset_ref, SCHEMA.spatialCoverage, place))
            self.g.add((place, RDF.type, SCHEMA.Place))
        shape = self.g.value(place, SCHEMA.geo)
        if shape is None:
            shape = BNode()
            self.g.add((place, SCHEMA.geo, shape))
            self.g.add((shape, RDF.type, SCHEMA.GeoShape))
        self.g.set((shape, SCHEMA.box, Literal(" ".join(values))))

    # --- dataset ----------------------------------------------------------

    def _tag_literals(self, subject: Node, predicates: tuple[Node, ...]) -> None:
        """Give untagged plain literals a language tag (Thai script -> th, else en)."""
        for predicate in predicates:
            for value in list(self.g.objects(subject, predicate)):
                if isinstance(value, Literal) and value.language is None and value.datatype is None:
                    self.g.remove((subject, predicate, value))
                    self.g.add((subject, predicate, tagged(str(value))))

    def _add_concept(self, subject: Node, predicate: Node, vocabulary: str, value: Any, *classes: Node) -> bool:
        """Link to a vocabulary term by its URI, typed, with its scheme and labels.

        Returns False (adding nothing) for a value without a URI.
        """
        terms = vocab.get(vocabulary)
        code = terms.code_for(str(value)) if value else None
        uri = terms.term(code).uri if code else None
        if not code or not uri:
            return False
        term, concept = terms.term(code), URIRef(uri)
        self.g.add((subject, predicate, concept))
        for cls in (SKOS.Concept, *classes):
            self.g.add((concept, RDF.type, cls))
        self._labels(concept, term.label)
        if terms.uri:
            self._scheme(concept, URIRef(terms.uri), terms.label)
        return True

    def _labels(self, concept: Node, label: dict[str, str]) -> None:
        for lang in ("th", "en"):
            if label.get(lang):
                self.g.add((concept, SKOS.prefLabel, Literal(label[lang], lang=lang)))

    def _scheme(self, concept: Node, scheme: URIRef, label: dict[str, str]) -> None:
        self.g.add((concept, SKOS.inScheme, scheme))
        self.g.add((scheme, RDF.type, SKOS.ConceptScheme))
        for lang in ("th", "en"):
            if label.get(lang):
                self.g.add((scheme, DCT.title, Literal(label[lang], lang=lang)))

    def _frequency(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        # The EU list names single periods; "every 2 years" has no concept of
        # its own among our codes, so it is published as OTHER.
        self.g.remove((dataset_ref, DCT.accrualPeriodicity, None))
        unit = dataset_dict.get("update_frequency_unit")
        interval = str(dataset_dict.get("update_frequency_interval") or "1").strip()
        code = unit if interval in ("", "1") else "other"
        self._add_concept(dataset_ref, DCT.accrualPeriodicity, "update_frequency", code, DCT.Frequency)

    def _languages(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        self.g.remove((dataset_ref, DCT.language, None))
        for code in flags.as_list(dataset_dict.get("data_language")):
            self._add_concept(dataset_ref, DCT.language, "data_language", code, DCT.LinguisticSystem)

    def _access_rights(self, dataset_ref: Node) -> None:
        # Only public, open datasets are published (dcat/actions.py).
        self.g.remove((dataset_ref, DCT.accessRights, None))
        self.g.add((dataset_ref, DCT.accessRights, ACCESS_RIGHT_PUBLIC))
        self.g.add((ACCESS_RIGHT_PUBLIC, RDF.type, SKOS.Concept))
        self.g.add((ACCESS_RIGHT_PUBLIC, RDF.type, DCT.RightsStatement))
        self._labels(ACCESS_RIGHT_PUBLIC, {"th": "สาธารณะ", "en": "public"})
        self._scheme(ACCESS_RIGHT_PUBLIC, ACCESS_RIGHT_SCHEME, {"en": "Access right"})

    def _temporal(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        """The years of the data (B.E. in our schema) as a period of time in C.E."""
        first, last = _ce_year(dataset_dict.get("first_year_of_data")), _ce_year(dataset_dict.get("last_year_of_data"))
        if not first and not last:
            return
        period = BNode()
        self.g.add((dataset_ref, DCT.temporal, period))
        self.g.add((period, RDF.type, DCT.PeriodOfTime))
        if first:
            self.g.add((period, DCAT.startDate, Literal(datetime.date(first, 1, 1), datatype=XSD.date)))
        if last:
            self.g.add((period, DCAT.endDate, Literal(datetime.date(last, 12, 31), datatype=XSD.date)))

    def _provenance(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        source = dataset_dict.get("data_source")
        if not source:
            return
        statement = BNode()
        self.g.add((dataset_ref, DCT.provenance, statement))
        self.g.add((statement, RDF.type, DCT.ProvenanceStatement))
        self.g.add((statement, RDFS.label, tagged(str(source))))

    def _modified(self, dataset_dict: dict[str, Any], dataset_ref: Node) -> None:
        """dct:modified is when the data changed (last_updated_date), if the agency says so."""
        updated = dataset_dict.get("last_updated_date")
        if updated:
            self.g.remove((dataset_ref, DCT.modified, None))
            self._add_date_triple(dataset_ref, DCT.modified, updated)

    def _spatial(self, dataset_ref: Node) -> None:
        """Our `spatial` is always the dataset's bounding box: publish it as dcat:bbox.

        DCAT-AP 3.0.1's two SHACL files disagree on locn:geometry (a literal
        in shapes.ttl, a locn:Geometry node in dcat-ap-SHACL.ttl), so no
        value of it can pass both; dcat:bbox (a literal) is the property
        DCAT itself defines for a bounding box.
        """
        for location in list(self.g.objects(dataset_ref, DCT.spatial)):
            for geometry in list(self.g.objects(location, LOCN.geometry)):
                self.g.remove((location, LOCN.geometry, geometry))
                if (location, DCAT.bbox, None) not in self.g:
                    self.g.add((location, DCAT.bbox, geometry))

    def _contact_point(self, dataset_ref: Node) -> Node | None:
        """ckanext-dcat's contact (vcard:Organization) is also a vcard:Kind, with a tagged name."""
        contact = self.g.value(dataset_ref, DCAT.contactPoint)
        if contact is None:
            return None
        self.g.add((contact, RDF.type, VCARD.Kind))
        self._tag_literals(contact, (VCARD.fn,))
        for address in self.g.objects(contact, VCARD.hasEmail):
            self.g.add((address, RDF.type, RDFS.Resource))  # the HVD range of hasEmail
        return contact

    def _publisher(self, dataset_ref: Node) -> None:
        for publisher in self.g.objects(dataset_ref, DCT.publisher):
            self._tag_literals(publisher, (FOAF.name,))
            for homepage in self.g.objects(publisher, FOAF.homepage):
                self.g.add((homepage, RDF.type, FOAF.Document))

    def _hvd_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Node, hvd: bool) -> None:
        # ckanext-dcat copies the stored values (our codes) as literals: replace them.
        self.g.remove((dataset_ref, DCATAP.hvdCategory, None))
        self.g.remove((dataset_ref, DCATAP.applicableLegislation, None))
        if hvd:
            self._hvd_properties(dataset_dict, dataset_ref)
        else:
            self._legislation(dataset_dict, dataset_ref)

    def _hvd_properties(self, dataset_dict: dict[str, Any], subject: Node) -> None:
        """Legislation and categories, for an HVD and each of its data services."""
        self._legislation(dataset_dict, subject)
        codes = flags.category_codes(dataset_dict)
        for category in categories.eu_categories(codes):
            self._hvd_category(subject, category)
        for category in (categories.by_code()[code] for code in codes):
            if category.national:
                self._national_category(subject, category)

    def _legislation(self, dataset_dict: dict[str, Any], subject: Node) -> None:
        for uri in flags.legislation(dataset_dict):
            legal = URIRef(uri)
            self.g.add((subject, DCATAP.applicableLegislation, legal))
            self.g.add((legal, RDF.type, ELI.LegalResource))

    def _hvd_category(self, subject: Node, category: categories.Category) -> None:
        assert category.uri
        concept = URIRef(category.uri)
        self.g.add((subject, DCATAP.hvdCategory, concept))
        self.g.add((concept, RDF.type, SKOS.Concept))
        self._labels(concept, category.label)
        scheme = categories.scheme_uri()
        if scheme:
            self._scheme(concept, URIRef(scheme), vocab.get(categories.VOCABULARY).label)

    def _national_category(self, subject: Node, category: categories.Category) -> None:
        """A national category: a concept of the site's scheme, broader-matched to its EU one."""
        concept = URIRef(category.uri or urls.national_category(category.code))
        self.g.add((subject, DCT.subject, concept))
        self.g.add((concept, RDF.type, SKOS.Concept))
        self._labels(concept, category.label)
        self._scheme(concept, URIRef(urls.national_scheme()), vocab.get(categories.VOCABULARY).label)
        eu = categories.by_code().get(category.eu or "")
        if eu and eu.uri:
            self.g.add((concept, SKOS.broadMatch, URIRef(eu.uri)))

    # --- distributions and services -----------------------------------------

    def _distribution(self, dataset_dict: dict[str, Any], resource: dict[str, Any], ref: Node, hvd: bool) -> None:
        self._tag_literals(ref, (DCT.title, DCT.description))
        self._format(resource, ref)
        self._media_type(ref)
        self._licence(dataset_dict, ref)
        self._rights(resource, ref)
        if hvd:
            self.g.remove((ref, DCATAP.applicableLegislation, None))
            self._legislation(dataset_dict, ref)
        if (ref, DCAT.accessURL, None) not in self.g:
            # Every distribution needs an access URL: its page on the catalogue.
            self.g.add((ref, DCAT.accessURL, URIRef(urls.resource_page(dataset_dict, resource))))
        for url in self.g.objects(ref, DCAT.accessURL):
            self.g.add((url, RDF.type, RDFS.Resource))
        for url in self.g.objects(ref, DCAT.downloadURL):
            self.g.add((url, RDF.type, RDFS.Resource))

    def _format(self, resource: dict[str, Any], ref: Node) -> None:
        """dct:format from the EU file-type list; a format it lacks is left out
        (a plain string is not a dct:MediaTypeOrExtent)."""
        self.g.remove((ref, DCT["format"], None))
        if resource.get("format"):
            self._add_concept(ref, DCT["format"], "data_format", resource["format"], DCT.MediaTypeOrExtent)

    def _media_type(self, ref: Node) -> None:
        """ckanext-dcat writes the MIME type as a string; DCAT-AP wants the IANA URI."""
        for value in list(self.g.objects(ref, DCAT.mediaType)):
            if isinstance(value, Literal):
                self.g.remove((ref, DCAT.mediaType, value))
                media_type = URIRef(IANA_MEDIA_TYPES + str(value).strip())
                self.g.add((ref, DCAT.mediaType, media_type))
                self.g.add((media_type, RDF.type, DCT.MediaType))

    def _licence(self, dataset_dict: dict[str, Any], ref: Node) -> None:
        """The dataset's licence (our resources have none of their own), at most one."""
        for old in list(self.g.objects(ref, DCT.license)):
            self.g.remove((ref, DCT.license, old))
        terms = vocab.get("license")
        code = terms.code_for(dataset_dict.get("license_id") or "")
        term = terms.term(code) if code else None
        if term is None or not term.uri:
            return
        licence = URIRef(term.uri)
        self.g.add((ref, DCT.license, licence))
        self.g.add((licence, RDF.type, DCT.LicenseDocument))
        self.g.add((licence, RDFS.label, Literal(term.label_for("en"), lang="en")))
        # The licence type: the ADMS list has no per-licence mapping in our
        # vocabulary, so say so honestly rather than guess.
        licence_type = URIRef("http://purl.org/adms/licencetype/UnknownIPR")
        self.g.set((licence, DCT.type, licence_type))
        self.g.add((licence_type, RDF.type, SKOS.Concept))
        self._labels(licence_type, {"en": "Unknown IPR"})
        self._scheme(licence_type, LICENCE_TYPE_SCHEME, {"en": "Licence type"})

    def _rights(self, resource: dict[str, Any], ref: Node) -> None:
        condition = resource.get("resource_accessible_condition")
        if condition:
            statement = BNode()
            self.g.add((ref, DCT.rights, statement))
            self.g.add((statement, RDF.type, DCT.RightsStatement))
            self.g.add((statement, RDFS.label, tagged(str(condition))))

    def _data_service(
        self,
        dataset_dict: dict[str, Any],
        resource: dict[str, Any],
        dataset_ref: Node,
        distribution: Node,
        contact: Node | None,
        hvd: bool,
    ) -> None:
        """The DataStore API of one resource, as a dcat:DataService."""
        g = self.g
        service = URIRef(urls.data_service(resource_uri(resource)))
        g.add((distribution, DCAT.accessService, service))
        g.add((service, RDF.type, DCAT.DataService))
        name = resource.get("name") or resource.get("id") or ""
        g.add((service, DCT.title, Literal(f"API ข้อมูล {name}", lang="th")))
        g.add((service, DCT.title, Literal(f"DataStore API: {name}", lang="en")))
        endpoint = URIRef(urls.datastore_endpoint(resource))
        g.add((service, DCAT.endpointURL, endpoint))
        g.add((endpoint, RDF.type, RDFS.Resource))
        description = urls.endpoint_description(dataset_dict, resource)
        if description:
            g.add((service, DCAT.endpointDescription, URIRef(description)))
            g.add((URIRef(description), RDF.type, RDFS.Resource))
        page = URIRef(urls.api_documentation(dataset_dict, resource))
        g.add((service, FOAF.page, page))
        g.add((page, RDF.type, FOAF.Document))
        g.add((service, DCAT.servesDataset, dataset_ref))
        if contact is not None:
            g.add((service, DCAT.contactPoint, contact))
        for licence in list(g.objects(distribution, DCT.license))[:1]:
            g.add((service, DCT.license, licence))
        g.add((service, DCT.accessRights, ACCESS_RIGHT_PUBLIC))
        if hvd:
            self._hvd_properties(dataset_dict, service)
        for catalog in g.subjects(RDF.type, DCAT.Catalog):
            g.add((catalog, DCAT.service, service))


def _ce_year(value: Any) -> int | None:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return thai.to_ce_year(year)


def _year_of(value: Any) -> int | None:
    """The year of an xsd:date, xsd:dateTime or xsd:gYear literal."""
    match = re.match(r"\s*(\d{4})", str(value)) if value is not None else None
    return int(match.group(1)) if match else None


def _national_code(uri: str) -> str:
    """A national category's code: the last segment of its URI in the site's scheme."""
    prefix = urls.national_scheme() + "/"
    return uri.removeprefix(prefix) if uri.startswith(prefix) else uri


def _bounds(geojson: Any) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of a GeoJSON geometry; None if it is not one."""
    try:
        geometry = json.loads(geojson) if isinstance(geojson, str) else geojson
        points = list(_points(geometry["coordinates"]))
    except (TypeError, ValueError, KeyError):
        return None
    if not points:
        return None
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _points(coordinates: Any) -> Any:
    """Every (x, y) of a GeoJSON coordinates array, however deeply nested."""
    if coordinates and isinstance(coordinates[0], (int, float)):
        yield float(coordinates[0]), float(coordinates[1])
        return
    for item in coordinates:
        yield from _points(item)
