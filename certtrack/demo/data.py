# ruff: noqa: E501  (tabular data reads best one record per line)
"""The demo's people and clusters: Informest's seven CLUS3 clusters (from the 2014 press
release) and one example cluster for each of its three international counterparts."""

from decimal import Decimal
from typing import Any

from certtrack.models import Level, TargetKind

PASSWORD = "certtrack-demo"  # noqa: S105  (the demo's published password)

AGENCIES = [
    ("Informest", "INF", "IT", "Friuli Venezia Giulia", "https://www.informest.it"),
    ("CzechInvest", "CZI", "CZ", "Czech Republic", "https://www.czechinvest.org"),
    ("SV Oltenia Regional Development Agency", "SVO", "RO", "Sud-Vest Oltenia", None),
    ("Instituto de Fomento de la Region de Murcia", "INFO", "ES", "Region de Murcia", None),
]

# Programme targets: agency, kind, level, number, the due day's year after today's and
# its month and day (Informest aims for "at least 3 Gold labels").
TARGETS = [
    ("INF", TargetKind.LABELS_AT_LEVEL, Level.GOLD, 3, 1, 12, 31),
    ("INF", TargetKind.ALL_CLUSTERS_LABELLED, None, None, 0, 12, 31),
    ("CZI", TargetKind.LABELS_AT_LEVEL, Level.SILVER, 2, 2, 6, 30),
]

# name, agency, country, region, sector, website, staff FTE, committed members, types
CLUSTERS = [
    ("Consorzio AREA", "INF", "IT", "Trieste", "Science and technology park", "https://www.areasciencepark.it", "6.0", 64, ["research", "sme", "university", "public_body"]),
    ("DITENAVE", "INF", "IT", "Monfalcone", "Naval and nautical technologies", "https://www.ditenave.it", "2.5", 48, ["sme", "large_company", "research"]),
    ("CMB s.c.r.l.", "INF", "IT", "Basovizza", "Molecular biomedicine", "https://www.cmb-fvg.example", "1.5", 22, ["sme", "research", "university"]),
    ("Polo Tecnologico di Pordenone", "INF", "IT", "Pordenone", "ICT and innovation services", "https://www.polo.pn.it", "4.0", 71, ["sme", "research", "public_body"]),
    ("Parco Agroalimentare di San Daniele", "INF", "IT", "San Daniele del Friuli", "Agri-food", "https://www.parcoagroalimentare.example", "1.0", 30, ["sme", "large_company", "finance"]),
    ("ASDI Sedia", "INF", "IT", "Manzano", "Furniture: the chair district", "https://www.asdisedia.example", "2.0", 55, ["sme", "large_company", "public_body"]),
    ("DITEDI", "INF", "IT", "Tavagnacco", "Digital technologies", "https://www.ditedi.it", "3.0", 40, ["sme", "university", "research"]),
    ("Moravian Engineering Cluster", "CZI", "CZ", "Moravia-Silesia", "Mechanical engineering", "https://engineering-cluster.example", "2.0", 35, ["sme", "large_company", "university"]),
    ("Oltenia Automotive Cluster", "SVO", "RO", "Craiova", "Automotive suppliers", "https://oltenia-auto.example", "1.0", 18, ["sme", "large_company"]),
    ("Murcia Agrifood Technology Cluster", "INFO", "ES", "Murcia", "Agri-food technology", "https://agrifood-murcia.example", "5.0", 90, ["sme", "large_company", "research", "university"]),
]  # fmt: skip

# key, name, email, role, agency, cluster, country, languages, affiliation
PEOPLE = [
    ("admin", "Platform Administrator", "admin@certtrack.example", "admin", None, None, None, [], None),
    ("informest", "Chiara Zanetti", "coordinator@informest.example", "coordinator", "INF", None, None, [], None),
    ("czechinvest", "Tomas Dvorak", "coordinator@czechinvest.example", "coordinator", "CZI", None, None, [], None),
    ("oltenia", "Elena Ionescu", "coordinator@adroltenia.example", "coordinator", "SVO", None, None, [], None),
    ("murcia", "Carmen Lopez", "coordinator@info-murcia.example", "coordinator", "INFO", None, None, [], None),
    ("anna", "Anna Keller", "anna.keller@experts.example", "consultant", None, None, "DE", ["de", "en"], "Keller Cluster Consulting"),
    ("luis", "Luis Ortega", "luis.ortega@experts.example", "consultant", None, None, "ES", ["es", "en"], None),
    ("petr", "Petr Novak", "petr.novak@experts.example", "consultant", None, None, "CZ", ["cs", "en", "de"], None),
    ("ioana", "Ioana Popescu", "ioana.popescu@experts.example", "consultant", None, None, "RO", ["ro", "en", "fr"], None),
    # Works for Consorzio AREA: the assignment form explains why she cannot assess it.
    ("giulia", "Giulia Bianchi", "giulia.bianchi@experts.example", "consultant", None, None, "IT", ["it", "en"], "Consorzio AREA"),
    ("sofia", "Sofia Lindqvist", "sofia.lindqvist@experts.example", "consultant", None, None, "SE", ["sv", "en"], None),
    ("area", "Marco Furlan", "manager@area.example", "manager", None, "Consorzio AREA", None, [], None),
    ("ditenave", "Paola Bressan", "manager@ditenave.example", "manager", None, "DITENAVE", None, [], None),
    ("cmb", "Stefano Valent", "manager@cmb.example", "manager", None, "CMB s.c.r.l.", None, [], None),
    ("polo", "Laura De Marchi", "manager@polo.example", "manager", None, "Polo Tecnologico di Pordenone", None, [], None),
    ("parco", "Giorgio Tomasin", "manager@parco.example", "manager", None, "Parco Agroalimentare di San Daniele", None, [], None),
    ("sedia", "Roberta Zorzi", "manager@asdisedia.example", "manager", None, "ASDI Sedia", None, [], None),
    ("ditedi", "Davide Cargnelutti", "manager@ditedi.example", "manager", None, "DITEDI", None, [], None),
    ("moravian", "Jana Horakova", "manager@engineering-cluster.example", "manager", None, "Moravian Engineering Cluster", None, [], None),
    ("oltenia_mgr", "Andrei Marin", "manager@oltenia-auto.example", "manager", None, "Oltenia Automotive Cluster", None, [], None),
    ("murcia_mgr", "Javier Sanchez", "manager@agrifood-murcia.example", "manager", None, "Murcia Agrifood Technology Cluster", None, [], None),
]  # fmt: skip


def cluster_profile(row: tuple[Any, ...]) -> dict[str, Any]:
    name, _agency, country, region, sector, website, fte, members, types = row
    return {
        "name": name,
        "country": country,
        "region": region,
        "sector": sector,
        "website": website,
        "website_in_english": True,
        "eccp_listed": True,
        "staff_fte": Decimal(fte),
        "committed_members": members,
        "member_types": types,
    }
