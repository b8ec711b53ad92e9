"""The fictional companies the course is built on, as parameters for the generator.

Each company is a :class:`CompanyProfile`: who it sells to, through which channels, and how its
sales and marketing teams behave in each phase of the story (before the alignment programme, the
programme's first quarter, after it). The generator in :mod:`alignkit.casedata.generate` turns a profile
and its seed into tables; change a number here and ``make data`` rewrites the CSVs.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Channel:
    """A lead source with its own volume, quality, cost and customer value."""

    name: str
    paid: bool
    leads_per_month: float
    score_mean: float  # average lead score (0-100) of this channel's leads
    score_sd: float
    cost_per_lead_usd: float  # what the channel's campaigns cost per lead they bring
    quality: float  # multiplies the chance that a contacted lead qualifies and wins
    mrr_factor: float  # multiplies the segment's monthly revenue for customers from here
    monthly_churn: float  # chance a customer from this channel cancels in a given month


@dataclass(frozen=True)
class Segment:
    """A customer segment: its share of leads, typical revenue and sales cycle."""

    name: str
    share: float  # share of leads
    mrr_usd: float  # typical monthly recurring revenue of a customer
    cycle_days: float  # typical days from opportunity to close


@dataclass(frozen=True)
class Phase:
    """How the two teams behave during one phase of the story."""

    name: str
    mql_threshold: int  # lead score at which marketing hands a lead to sales
    contact_rate: float  # share of MQLs a seller ever contacts
    response_median_hours: float  # typical hours from MQL to a seller's first touch
    accept_factor: float  # multiplies the chance sales accepts a contacted lead
    qualify_factor: float  # multiplies the chance an accepted lead becomes an SQL
    duplicate_rate: float  # share of leads that repeat a contact marketing already had
    mismatch_rate: float  # share of deals where the pitch disagrees with the campaign
    win_factor: float  # multiplies the chance an opportunity is won
    overlap_campaigns: int  # extra campaigns a month that chase the same audience


@dataclass(frozen=True)
class Office:
    """An office: its city, time zone, team and the region it serves."""

    city: str
    time_zone: str  # IANA time-zone name, so daylight saving follows the real rules
    team: str  # "marketing" or "sales"
    region: str  # for sales offices: the region whose leads they work


@dataclass(frozen=True)
class CompanyProfile:
    """Everything the generator needs to write one company's tables."""

    name: str
    slug: str
    seed: int
    first_month: str  # "YYYY-MM"
    months: int
    programme_start: str | None  # "YYYY-MM-DD": the day the alignment programme starts
    dip_months: int  # how long the programme's "worse before better" phase lasts
    product: str
    channels: tuple[Channel, ...]
    segments: tuple[Segment, ...]
    regions: tuple[tuple[str, float], ...]  # (region, share of leads)
    offices: tuple[Office, ...]
    before: Phase
    dip: Phase
    after: Phase
    themes: tuple[str, ...]
    win_rate_base: float
    volume_growth_per_month: float = 0.01
    people_per_office: dict[str, int] = field(default_factory=dict)
    # Slower (>1) or faster (<1) first touch in one region, e.g. where no seller shares the hours.
    region_response_factor: dict[str, float] = field(default_factory=dict)
    # Channels whose extra campaigns chase the same audience (a source of duplicate leads).
    overlapping_channels: tuple[str, ...] = ("paid search", "paid social")
    # What is wrong at this company, for the capstone's checker and the data dictionary.
    problems: dict[str, str] = field(default_factory=dict)


THEMES = ("fewer no-shows", "save admin time", "get paid faster", "fill the calendar")

BRIGHTLINE = CompanyProfile(
    name="Brightline",
    slug="brightline",
    seed=20251001,
    first_month="2025-01",
    months=18,
    programme_start="2025-10-01",
    dip_months=3,
    product="scheduling software for small service businesses",
    channels=(
        Channel("paid search", True, 250, 50, 16, 62, 1.00, 1.00, 0.024),
        Channel("paid social", True, 320, 38, 15, 30, 0.70, 0.85, 0.044),
        Channel("content", False, 210, 55, 14, 22, 1.10, 1.05, 0.020),
        Channel("webinars", True, 70, 64, 12, 115, 1.25, 1.25, 0.016),
        Channel("referrals", False, 45, 70, 12, 40, 1.45, 1.30, 0.010),
    ),
    # Prices of a scheduling product for service businesses: a one-person studio pays about $69 a
    # month, a small team about $219, a chain of locations about $749 (our assumption, not a survey).
    segments=(
        Segment("solo", 0.45, 69, 14),
        Segment("small team", 0.40, 219, 28),
        Segment("multi-location", 0.15, 749, 55),
    ),
    regions=(("North America", 0.5), ("EMEA", 0.3), ("APAC", 0.2)),
    offices=(
        Office("Toronto", "America/Toronto", "marketing", ""),
        Office("Lisbon", "Europe/Lisbon", "marketing", ""),
        Office("Austin", "America/Chicago", "sales", "North America"),
        Office("Warsaw", "Europe/Warsaw", "sales", "EMEA"),
        Office("Singapore", "Asia/Singapore", "sales", "APAC"),
    ),
    before=Phase("before", 35, 0.74, 26.0, 0.80, 1.00, 0.09, 0.45, 1.00, 2),
    dip=Phase("first quarter", 55, 0.85, 9.0, 0.95, 0.60, 0.05, 0.35, 0.62, 1),
    after=Phase("after", 55, 0.96, 1.5, 1.15, 1.15, 0.02, 0.12, 1.12, 0),
    themes=THEMES,
    win_rate_base=0.38,
    people_per_office={"Toronto": 4, "Lisbon": 3, "Austin": 6, "Warsaw": 4, "Singapore": 3},
)

_NORTHFIELD_PHASE = Phase("before", 72, 0.93, 3.0, 1.0, 1.0, 0.02, 0.5, 1.0, 0)

NORTHFIELD = CompanyProfile(
    name="Northfield",
    slug="northfield",
    seed=20260301,
    first_month="2025-07",
    months=12,
    programme_start=None,
    dip_months=0,
    product="job-scheduling and invoicing software for trades businesses (plumbers, electricians, builders)",
    channels=(
        Channel("paid search", True, 180, 58, 14, 75, 1.05, 1.00, 0.025),
        Channel("events", True, 60, 60, 15, 260, 0.80, 1.10, 0.030),
        Channel("partners", False, 90, 66, 12, 45, 1.35, 1.20, 0.015),
        Channel("content", False, 150, 54, 14, 25, 1.10, 1.00, 0.022),
    ),
    segments=(
        Segment("solo", 0.35, 49, 12),
        Segment("small team", 0.45, 159, 25),
        Segment("multi-location", 0.20, 520, 60),
    ),
    regions=(("EMEA", 0.45), ("North America", 0.35), ("APAC", 0.20)),
    offices=(
        Office("London", "Europe/London", "marketing", ""),
        Office("Manchester", "Europe/London", "sales", "EMEA"),
        Office("Chicago", "America/Chicago", "sales", "North America"),
        Office("Sydney", "Australia/Sydney", "sales", "APAC"),
    ),
    before=_NORTHFIELD_PHASE,
    dip=_NORTHFIELD_PHASE,
    after=_NORTHFIELD_PHASE,
    themes=THEMES,
    win_rate_base=0.34,
    volume_growth_per_month=0.0,
    people_per_office={"London": 4, "Manchester": 4, "Chicago": 3, "Sydney": 2},
    region_response_factor={"APAC": 9.0},
    overlapping_channels=(),
    problems={
        "mql bar too high": "Marketing passes only leads scoring 72 or more, so sales gets few MQLs, accepts "
        "almost all of them and has capacity to spare, while good leads below the bar wait.",
        "slow follow-up in APAC": "APAC leads wait many times longer for a first touch than other regions: "
        "the Sydney team is small and marketing's hand-overs arrive outside its hours.",
        "mixed messages": "Half the deals are pitched on a different message from the campaign that brought "
        "the lead, and those deals are won far less often.",
        "expensive channel": "Events cost several times more per customer than any other channel.",
    },
)

COMPANIES = {BRIGHTLINE.slug: BRIGHTLINE, NORTHFIELD.slug: NORTHFIELD}
