"""Is the cluster's profile complete, and does it meet the eligibility thresholds?"""

from flask_babel import gettext as _

from certtrack import formats
from certtrack.models import Cluster
from certtrack.workflow.policy import Policy

PROFILE_FIELDS = (
    "name",
    "country",
    "region",
    "sector",
    "website",
    "staff_fte",
    "committed_members",
    "member_types",
)


def missing_profile_fields(cluster: Cluster) -> list[str]:
    return [name for name in PROFILE_FIELDS if getattr(cluster, name) in (None, "", [])]


def eligibility_problems(cluster: Cluster, policy: Policy) -> dict[str, str]:
    """Field name -> why the cluster is not eligible. Empty when it is."""
    problems: dict[str, str] = {}
    if cluster.staff_fte is not None and cluster.staff_fte < policy.min_staff_fte:
        problems["staff_fte"] = _(
            "The cluster management has %(fte)s FTE staff; at least %(min)s are required.",
            fte=formats.number(cluster.staff_fte),
            min=formats.number(policy.min_staff_fte),
        )
    members = cluster.committed_members
    if members is not None and members < policy.min_committed_members:
        problems["committed_members"] = _(
            "The cluster has %(n)s committed members; at least %(min)s are required.",
            n=members,
            min=policy.min_committed_members,
        )
    if len(set(cluster.member_types or [])) < policy.min_member_types:
        problems["member_types"] = _(
            "At least %(min)s different member types are required.",
            min=policy.min_member_types,
        )
    if policy.require_english_website and not cluster.website_in_english:
        problems["website_in_english"] = _("The cluster needs a website in English.")
    if policy.require_eccp_listing and not cluster.eccp_listed:
        problems["eccp_listed"] = _(
            "The cluster must be listed on the European Cluster Collaboration Platform."
        )
    return problems
