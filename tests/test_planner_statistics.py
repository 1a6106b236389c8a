"""The planner's statistics after bulk work: what a large agency holds is estimated
from every row, so the pages' plans fit it (the labels API sorted every label when
SQLite's sample of 1,000 rows put an agency of 10,000 clusters at about 1,000)."""

from sqlalchemy import func, insert, select, text

from certtrack.extensions import db
from certtrack.models import Agency, Cluster, Label
from certtrack.services.planner_statistics import analyse

CLUSTERS = 1_500  # more than that sample


def one_agency_holds_every_cluster() -> None:
    agency = Agency(name="A large agency", short_name="LA", region="Friuli", country="IT")
    db.session.add(agency)
    db.session.flush()
    db.session.execute(
        insert(Cluster),
        [
            {"agency_id": agency.id, "name": f"Cluster {n}", "country": "IT"}
            for n in range(CLUSTERS)
        ],
    )
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Cluster)) == CLUSTERS


def estimated_clusters_of_one_agency() -> float:
    if db.engine.dialect.name == "sqlite":
        stat = db.session.scalar(
            text("SELECT stat FROM sqlite_stat1 WHERE idx = 'ix_cluster_agency_id'")
        )
        return float(stat.split()[1])  # rows per distinct value
    distinct, rows = db.session.execute(
        text(
            "SELECT s.n_distinct, c.reltuples FROM pg_stats s JOIN pg_class c"
            " ON c.relname = s.tablename"
            " WHERE s.tablename = 'cluster' AND s.attname = 'agency_id'"
        )
    ).one()
    values = -distinct * rows if distinct < 0 else distinct  # negative: a share of the rows
    return rows / values


def test_after_a_bulk_load_an_agencys_clusters_are_estimated_from_every_row(ctx):
    one_agency_holds_every_cluster()
    analyse()
    assert estimated_clusters_of_one_agency() >= 0.9 * CLUSTERS


def test_a_pass_that_wrote_many_rows_analyses_the_clusters_too(ctx):
    one_agency_holds_every_cluster()
    analyse(Label, Cluster)
    assert estimated_clusters_of_one_agency() >= 0.9 * CLUSTERS
