"""The demo union: a realistic, made-up register to try Tolpuddle with.

``tolpuddle demo`` loads it into an empty database. It is modelled on the world of
Napo, the union for probation and family court staff in England, Wales and Northern
Ireland. The 35 probation trusts (from 01/04/2010) became 21 community rehabilitation
companies (CRCs) and the National Probation Service on 01/06/2014; the CRCs' work came
back into the National Probation Service on 26/06/2021. Cafcass, Cafcass Cymru and the
Probation Board for Northern Ireland employ the rest. The employers are real public
bodies and companies; every person, address and phone number is invented: names come
from lists of common names, phone numbers from the ranges Ofcom keeps for drama,
emails are at example.org.

The same seed always builds the same union: every date in it is fixed (the register
stands as at ``AS_AT``), never taken from today. The build has two steps:
``demo_plan`` works out every row in memory, in plain Python, and ``demo_write``
writes them in bulk in one transaction (a few seconds for 9,000 members on SQLite).
``demo_build`` then adds, in the same transaction, the union's industrial action
(``tolpuddle.disputes.demo``): that is dated from today, so that its ballots,
mandate and strike days stay current whenever the demo is built.
"""

from __future__ import annotations

import dataclasses
import datetime
import random
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q

from tolpuddle.core.bulk import planner_statistics_refresh
from tolpuddle.core.models import User
from tolpuddle.members import services
from tolpuddle.members.models import (
    Branch,
    Employer,
    EmployerSuccession,
    EmployerType,
    Employment,
    Membership,
    MembershipCategory,
    MembershipEvent,
    MembershipEventKind,
    MembershipStatus,
    Nation,
    PaymentMethod,
    Person,
    Position,
    Region,
    Role,
    SubscriptionRate,
    Workplace,
    search_key,
)
from tolpuddle.members.normalise import normalise_phone, normalise_postcode
from tolpuddle.members.selectors import MEMBERSHIP_STAFF_GROUP

if TYPE_CHECKING:
    from tolpuddle.disputes.demo import DemoDisputes

DEMO_PASSWORD: Final = "tolpuddle-demo"  # noqa: S105 - public, for the demo only
DEFAULT_MEMBERS: Final = 9000
DEFAULT_SEED: Final = 1834  # the year the Tolpuddle Martyrs were transported
MINIMUM_MEMBERS: Final = 100

# The day the demo register stands at. Nothing in it happens later.
AS_AT: Final = datetime.date(2026, 10, 31)
TRUSTS_FORMED: Final = datetime.date(2010, 4, 1)
TRANSFORMING_REHABILITATION: Final = datetime.date(2014, 6, 1)
REUNIFICATION: Final = datetime.date(2021, 6, 26)
RATES_FROM: Final = datetime.date(2024, 4, 1)

BATCH_SIZE: Final = 1000


@dataclass(frozen=True)
class DemoSignIn:
    username: str
    who: str
    is_staff: bool = False
    # Staff and officers see other members' data: the back office asks them for a
    # second factor, so the demo gives them one (DEMO_TOTP_SECRET).
    needs_second_factor: bool = False


# The demo's sign-ins, all with DEMO_PASSWORD. `tolpuddle demo_signins` prints them.
DEMO_SIGNINS: Final[tuple[DemoSignIn, ...]] = (
    DemoSignIn("member", "a member in good standing"),
    DemoSignIn("rep", "a member who is a workplace rep", needs_second_factor=True),
    DemoSignIn(
        "secretary", "a member who is a branch secretary", needs_second_factor=True
    ),
    DemoSignIn(
        "membership",
        "membership staff at head office",
        is_staff=True,
        needs_second_factor=True,
    ),
)
# The authenticator-app key of every demo sign-in that has a second factor. It is
# public, like the password: `tolpuddle demo_code` prints the current code.
DEMO_TOTP_SECRET: Final = "TOLPUDDLEDEMOKEY2345TOLPUDDLE234"  # noqa: S105 - public
HQ_STAFF_FIRST_NAME: Final = "Jo"
HQ_STAFF_LAST_NAME: Final = "Whitfield"
HQ_STAFF_EMAIL: Final = "membership.team@example.org"
# The member, rep and secretary sign-ins come from this branch where it has them.
SIGNIN_BRANCH: Final = "Greater Manchester and Cheshire"


class DemoError(Exception):
    """The demo cannot be built here (the register is not empty, or not migrated)."""


# --- The world: nations, regions, branches, employers, workplaces -------------------


@dataclass(frozen=True)
class Town:
    name: str
    outward: tuple[str, ...]  # postcode districts: ("LS1", "LS2")
    post_town: str = ""

    @property
    def address_town(self) -> str:
        return self.post_town or self.name


_TOWN = re.compile(
    r"^(?P<name>.+?) (?P<area>[A-Z]{1,2})(?P<districts>(?: \d+)+)(?: \((?P<post_town>.+)\))?$"
)


def _towns(spec: str) -> tuple[Town, ...]:
    """``"Bristol BS 1 2; Isle of Wight PO 30 (Newport)"``: each town's name, its
    postcode area and districts, and its post town when that is not its name."""
    towns = []
    for part in spec.split(";"):
        match = _TOWN.match(part.strip())
        if match is None:  # pragma: no cover - the tables below are fixed
            raise ValueError(f"Not a town: {part!r}")
        area = match["area"]
        outward = tuple(f"{area}{district}" for district in match["districts"].split())
        towns.append(Town(match["name"], outward, match["post_town"] or ""))
    return tuple(towns)


@dataclass(frozen=True)
class Area:
    """A probation trust's area (or Northern Ireland's): its towns and who it became."""

    employer: str
    crc: str  # the CRC that took on its work in 2014; empty outside England and Wales
    branch: str
    weight: float  # its share of the members
    phone: str  # an Ofcom drama range in national form, less its last three digits
    towns: tuple[Town, ...]
    approved_premises: int = 1


# Ofcom's drama ranges that the phonenumbers library accepts as valid.
PHONE_LONDON = "020 7946 0"
PHONE_BIRMINGHAM = "0121 496 0"
PHONE_LEEDS = "0113 496 0"
PHONE_SHEFFIELD = "0114 496 0"
PHONE_LEICESTER = "0116 496 0"
PHONE_BRISTOL = "0117 496 0"
PHONE_READING = "0118 496 0"
PHONE_LIVERPOOL = "0151 496 0"
PHONE_MANCHESTER = "0161 496 0"
PHONE_TYNESIDE = "0191 498 0"
PHONE_CARDIFF = "029 2018 0"
PHONE_BELFAST = "028 9649 6"

BENCH = "Bedfordshire, Northamptonshire, Cambridgeshire and Hertfordshire CRC"
BGSW = "Bristol, Gloucestershire, Somerset and Wiltshire CRC"
CGM = "Cheshire and Greater Manchester CRC"
CUMBRIA_LANCS = "Cumbria and Lancashire CRC"
DLNR = "Derbyshire, Leicestershire, Nottinghamshire and Rutland CRC"
DDC = "Dorset, Devon and Cornwall CRC"
DTV = "Durham Tees Valley CRC"
ESSEX = "Essex CRC"
HIOW = "Hampshire and Isle of Wight CRC"
HLNY = "Humberside, Lincolnshire and North Yorkshire CRC"
KSS = "Kent, Surrey and Sussex CRC"
LONDON = "London CRC"
MERSEYSIDE = "Merseyside CRC"
NORFOLK_SUFFOLK = "Norfolk and Suffolk CRC"
NORTHUMBRIA = "Northumbria CRC"
SOUTH_YORKSHIRE = "South Yorkshire CRC"
SWM = "Staffordshire and West Midlands CRC"
THAMES_VALLEY = "Thames Valley CRC"
WALES = "Wales CRC"
WWM = "Warwickshire and West Mercia CRC"
WEST_YORKSHIRE = "West Yorkshire CRC"
CRCS: Final = (
    BENCH,
    BGSW,
    CGM,
    CUMBRIA_LANCS,
    DLNR,
    DDC,
    DTV,
    ESSEX,
    HIOW,
    HLNY,
    KSS,
    LONDON,
    MERSEYSIDE,
    NORFOLK_SUFFOLK,
    NORTHUMBRIA,
    SOUTH_YORKSHIRE,
    SWM,
    THAMES_VALLEY,
    WALES,
    WWM,
    WEST_YORKSHIRE,
)
NPS = "National Probation Service"
CAFCASS = "Cafcass"
CAFCASS_CYMRU = "Cafcass Cymru"
PBNI = "Probation Board for Northern Ireland"

# The 35 probation trusts of England and Wales, 2010 to 2014: the CRC that took on
# their work, the union branch, a share of the members, a phone range and the towns.
# fmt: off
TRUST_AREAS: Final = (
    Area("Avon and Somerset Probation Trust", BGSW, "South West", 3.0, PHONE_BRISTOL,
         _towns("Bristol BS 1 2 3 4 5 13 16; Bath BA 1 2; Taunton TA 1 2; Weston-super-Mare BS 22 23 24; Yeovil BA 20 21")),
    Area("Bedfordshire Probation Trust", BENCH, "Eastern", 1.3, PHONE_LONDON,
         _towns("Bedford MK 40 41 42; Luton LU 1 2 3 4")),
    Area("Cambridgeshire and Peterborough Probation Trust", BENCH, "Eastern", 1.5, PHONE_LEICESTER,
         _towns("Cambridge CB 1 2 4 5; Peterborough PE 1 2 3 4; Huntingdon PE 28 29")),
    Area("Cheshire Probation Trust", CGM, "Greater Manchester and Cheshire", 2.0, PHONE_LIVERPOOL,
         _towns("Chester CH 1 2 3 4; Crewe CW 1 2; Warrington WA 1 2 4 5; Macclesfield SK 10 11")),
    Area("Cumbria Probation Trust", CUMBRIA_LANCS, "Cumbria and Lancashire", 1.0, PHONE_MANCHESTER,
         _towns("Carlisle CA 1 2 3; Barrow-in-Furness LA 13 14; Workington CA 14; Kendal LA 9")),
    Area("Derbyshire Probation Trust", DLNR, "East Midlands", 2.0, PHONE_SHEFFIELD,
         _towns("Derby DE 1 21 22 23 24; Chesterfield S 40 41; Buxton SK 17")),
    Area("Devon and Cornwall Probation Trust", DDC, "South West", 3.0, PHONE_BRISTOL,
         _towns("Exeter EX 1 2 4; Plymouth PL 1 2 4 5 6; Truro TR 1; Barnstaple EX 31 32; Torquay TQ 1 2")),
    Area("Dorset Probation Trust", DDC, "South West", 1.2, PHONE_BRISTOL,
         _towns("Bournemouth BH 1 7 8 9; Poole BH 12 14 15; Weymouth DT 3 4")),
    Area("Durham Tees Valley Probation Trust", DTV, "North East", 2.0, PHONE_TYNESIDE,
         _towns("Middlesbrough TS 1 3 4 5; Durham DH 1; Darlington DL 1 3; Hartlepool TS 24 25 26; Stockton-on-Tees TS 18 19 20")),
    Area("Essex Probation Trust", ESSEX, "Essex", 2.5, PHONE_LONDON,
         _towns("Chelmsford CM 1 2; Colchester CO 1 2 3 4; Basildon SS 13 14 15 16; Southend-on-Sea SS 1 2 3; Harlow CM 17 18 19 20")),
    Area("Gloucestershire Probation Trust", BGSW, "South West", 1.0, PHONE_BRISTOL,
         _towns("Gloucester GL 1 2 3 4; Cheltenham GL 50 51 52 53")),
    Area("Greater Manchester Probation Trust", CGM, "Greater Manchester and Cheshire", 7.0, PHONE_MANCHESTER,
         _towns("Manchester M 1 4 8 9 11 12 13 14 15; Salford M 5 6 7; Bolton BL 1 2 3; Oldham OL 1 4 8 9; Stockport SK 1 2 3 4; Wigan WN 1 2 3 5; Rochdale OL 11 12 16"),
         approved_premises=2),
    Area("Hampshire Probation Trust", HIOW, "Hampshire and Isle of Wight", 3.0, PHONE_READING,
         _towns("Southampton SO 14 15 16 17 18 19; Portsmouth PO 1 2 3 4 5 6; Basingstoke RG 21 22 24; Winchester SO 22 23; Isle of Wight PO 30 (Newport)")),
    Area("Hertfordshire Probation Trust", BENCH, "Eastern", 1.3, PHONE_LONDON,
         _towns("Watford WD 17 18 19 24 25; Stevenage SG 1 2; St Albans AL 1 3 4; Hatfield AL 10")),
    Area("Humberside Probation Trust", HLNY, "North, South and East Yorkshire", 2.0, PHONE_LEEDS,
         _towns("Hull HU 1 2 3 4 5 6 7 8 9; Grimsby DN 31 32 33 34; Scunthorpe DN 15 16 17; Beverley HU 17")),
    Area("Kent Probation Trust", KSS, "Kent, Surrey and Sussex", 3.0, PHONE_LONDON,
         _towns("Maidstone ME 14 15 16; Canterbury CT 1 2; Chatham ME 4 5; Folkestone CT 19 20; Ashford TN 23 24; Margate CT 9")),
    Area("Lancashire Probation Trust", CUMBRIA_LANCS, "Cumbria and Lancashire", 3.0, PHONE_MANCHESTER,
         _towns("Preston PR 1 2; Blackburn BB 1 2; Blackpool FY 1 2 3 4; Lancaster LA 1; Burnley BB 10 11 12")),
    Area("Leicestershire and Rutland Probation Trust", DLNR, "East Midlands", 2.0, PHONE_LEICESTER,
         _towns("Leicester LE 1 2 3 4 5; Loughborough LE 11; Hinckley LE 10")),
    Area("Lincolnshire Probation Trust", HLNY, "East Midlands", 1.5, PHONE_LEICESTER,
         _towns("Lincoln LN 1 2 5 6; Boston PE 21; Grantham NG 31; Skegness PE 25")),
    Area("London Probation Trust", LONDON, "London", 12.0, PHONE_LONDON,
         _towns("Southwark SE 1 5 15 (London); Camden NW 1 3 5 (London); Hackney E 5 8 9 (London); "
                "Tower Hamlets E 1 2 3 14 (London); Lambeth SW 2 4 8 9 (London); Lewisham SE 4 6 13 (London); "
                "Croydon CR 0 2 7; Ealing W 3 5 7 13 (London); Haringey N 4 8 15 17 (London); "
                "Brent NW 2 6 10 (London); Greenwich SE 3 7 10 18 (London); Newham E 6 7 13 15 16 (London); "
                "Barnet N 2 3 12 20 (London); Hounslow TW 3 4 5"),
         approved_premises=3),
    Area("Merseyside Probation Trust", MERSEYSIDE, "Merseyside", 3.0, PHONE_LIVERPOOL,
         _towns("Liverpool L 1 3 4 5 6 7 8 9 11 15; Birkenhead CH 41 42 43; St Helens WA 9 10; Southport PR 8 9; Bootle L 20 30")),
    Area("Norfolk and Suffolk Probation Trust", NORFOLK_SUFFOLK, "Eastern", 2.3, PHONE_LONDON,
         _towns("Norwich NR 1 2 3 4 5 6 7; Ipswich IP 1 2 3 4; Great Yarmouth NR 30 31; Bury St Edmunds IP 32 33; King's Lynn PE 30")),
    Area("Northamptonshire Probation Trust", BENCH, "Eastern", 1.2, PHONE_LEICESTER,
         _towns("Northampton NN 1 2 3 4 5; Kettering NN 15 16; Corby NN 17 18")),
    Area("Northumbria Probation Trust", NORTHUMBRIA, "North East", 3.5, PHONE_TYNESIDE,
         _towns("Newcastle upon Tyne NE 1 2 4 5 6 7; Sunderland SR 1 2 3 4 5; Gateshead NE 8 9 10; North Shields NE 29 30; Ashington NE 63; South Shields NE 33 34"),
         approved_premises=2),
    Area("Nottinghamshire Probation Trust", DLNR, "East Midlands", 2.5, PHONE_LEICESTER,
         _towns("Nottingham NG 1 2 3 5 6 7 8 11; Mansfield NG 18 19; Newark NG 24; Worksop S 80 81")),
    Area("South Yorkshire Probation Trust", SOUTH_YORKSHIRE, "North, South and East Yorkshire", 3.0, PHONE_SHEFFIELD,
         _towns("Sheffield S 1 2 3 5 6 8 9 10 11; Doncaster DN 1 2 4 5; Rotherham S 60 61 65; Barnsley S 70 71 75")),
    Area("Staffordshire and West Midlands Probation Trust", SWM, "West Midlands", 7.0, PHONE_BIRMINGHAM,
         _towns("Birmingham B 1 4 5 6 7 8 10 11 12 13 14 15 19 20 21 23; Wolverhampton WV 1 2 3 4 6 10; Coventry CV 1 2 3 4 6; "
                "Walsall WS 1 2 3 4 5; Stoke-on-Trent ST 1 2 3 4 6; Stafford ST 16 17; Dudley DY 1 2 3; West Bromwich B 70 71; Solihull B 90 91 92"),
         approved_premises=2),
    Area("Surrey and Sussex Probation Trust", KSS, "Kent, Surrey and Sussex", 3.5, PHONE_LONDON,
         _towns("Guildford GU 1 2 4; Brighton BN 1 2 3; Crawley RH 10 11; Hastings TN 34 35; Redhill RH 1; Worthing BN 11 12 13 14; Chichester PO 19")),
    Area("Thames Valley Probation Trust", THAMES_VALLEY, "Thames Valley", 3.5, PHONE_READING,
         _towns("Reading RG 1 2 4 6 30; Oxford OX 1 2 3 4; Milton Keynes MK 1 2 3 6 9 10 13 14 15; Slough SL 1 2 3; High Wycombe HP 11 12 13; Aylesbury HP 19 20 21; Banbury OX 16")),
    Area("Wales Probation Trust", WALES, "Cymru", 5.0, PHONE_CARDIFF,
         _towns("Cardiff CF 10 11 14 23 24; Swansea SA 1 2 5 6; Newport NP 19 20; Wrexham LL 11 12 13; Bangor LL 57; "
                "Merthyr Tydfil CF 47 48; Aberystwyth SY 23; Carmarthen SA 31; Bridgend CF 31"),
         approved_premises=2),
    Area("Warwickshire Probation Trust", WWM, "Mercia", 1.0, PHONE_BIRMINGHAM,
         _towns("Warwick CV 34; Nuneaton CV 10 11; Leamington Spa CV 31 32; Rugby CV 21 22")),
    Area("West Mercia Probation Trust", WWM, "Mercia", 2.5, PHONE_BIRMINGHAM,
         _towns("Worcester WR 1 2 3 4 5; Shrewsbury SY 1 2 3; Hereford HR 1 2 4; Telford TF 1 2 3 7; Kidderminster DY 10 11")),
    Area("West Yorkshire Probation Trust", WEST_YORKSHIRE, "West Yorkshire", 5.0, PHONE_LEEDS,
         _towns("Leeds LS 1 2 6 7 8 9 11 12 14 15; Bradford BD 1 3 5 7 8; Wakefield WF 1 2; Huddersfield HD 1 2 3 5; Halifax HX 1 3; Dewsbury WF 12 13"),
         approved_premises=2),
    Area("Wiltshire Probation Trust", BGSW, "South West", 1.0, PHONE_BRISTOL,
         _towns("Swindon SN 1 2 3 5; Salisbury SP 1 2; Chippenham SN 14 15; Trowbridge BA 14")),
    Area("York and North Yorkshire Probation Trust", HLNY, "North, South and East Yorkshire", 1.5, PHONE_LEEDS,
         _towns("York YO 1 10 24 26 30 31; Harrogate HG 1 2 3; Scarborough YO 11 12; Northallerton DL 6 7")),
)
NORTHERN_IRELAND_AREA: Final = Area(
    PBNI, "", "Northern Ireland", 0.0, PHONE_BELFAST,
    _towns("Belfast BT 1 2 5 6 7 9 12 14 15; Lisburn BT 27 28; Newry BT 34 35; Ballymena BT 42 43; Omagh BT 78 79; Coleraine BT 51 52; Craigavon BT 62 63 64 65 66"),
    approved_premises=0,
)
# fmt: on
AREAS: Final = (*TRUST_AREAS, NORTHERN_IRELAND_AREA)
NI_AREA: Final = len(TRUST_AREAS)

# Where the family court teams are: towns from the areas above.
CAFCASS_TEAMS: Final = (
    "Southwark", "Croydon", "Birmingham", "Coventry", "Manchester", "Liverpool", "Leeds",
    "Sheffield", "Newcastle upon Tyne", "Middlesbrough", "Nottingham", "Leicester",
    "Bristol", "Plymouth", "Reading", "Milton Keynes", "Brighton", "Chelmsford", "Norwich",
    "Canterbury", "Southampton", "Preston", "Hull", "Stoke-on-Trent",
)  # fmt: skip
CAFCASS_CYMRU_TEAMS: Final = ("Cardiff", "Swansea", "Newport", "Wrexham", "Bangor")

REGIONS: Final = (
    ("London", "ENG"),
    ("South East and Eastern", "ENG"),
    ("South West and South Central", "ENG"),
    ("Midlands", "ENG"),
    ("North East", "ENG"),
    ("North West", "ENG"),
    ("Yorkshire and Humberside", "ENG"),
    ("Cymru", "WLS"),
    ("Northern Ireland", "NIR"),
)
FAMILY_COURTS_BRANCH: Final = "Family Courts"
BRANCHES: Final[tuple[tuple[str, str | None], ...]] = (
    ("London", "London"),
    ("Kent, Surrey and Sussex", "South East and Eastern"),
    ("Essex", "South East and Eastern"),
    ("Eastern", "South East and Eastern"),
    ("Thames Valley", "South West and South Central"),
    ("Hampshire and Isle of Wight", "South West and South Central"),
    ("South West", "South West and South Central"),
    ("West Midlands", "Midlands"),
    ("Mercia", "Midlands"),
    ("East Midlands", "Midlands"),
    ("North East", "North East"),
    ("Greater Manchester and Cheshire", "North West"),
    ("Merseyside", "North West"),
    ("Cumbria and Lancashire", "North West"),
    ("West Yorkshire", "Yorkshire and Humberside"),
    ("North, South and East Yorkshire", "Yorkshire and Humberside"),
    ("Cymru", "Cymru"),
    ("Northern Ireland", "Northern Ireland"),
    (FAMILY_COURTS_BRANCH, None),  # a national section: family court staff anywhere
)

OFFICE = "office"
COURT = "court"
APPROVED_PREMISES = "approved premises"
TEAM = "family court team"

APPROVED_PREMISES_NAMES: Final = (
    "Ashdown", "Beechwood", "Cedar", "Elmfield", "Hawthorn", "Heathfield", "Holly",
    "Juniper", "Larch", "Linden", "Maple", "Oakwood", "Rowan", "Sycamore", "Willow",
    "Alder", "Birch", "Chestnut", "Hazel", "Laurel", "Poplar", "Yew", "Aspen", "Bramley",
    "Clover", "Fernlea", "Foxglove", "Ivybank", "Lavender", "Meadow", "Orchard",
    "Primrose", "Thistle", "Heather", "Bluebell", "Kingfisher", "Wren", "Linnet",
    "Skylark", "Harebell", "Marigold", "Goldcrest", "Redwing", "Whitebeam",
)  # fmt: skip
OFFICE_STREETS: Final = (
    "Station Road", "Crown Street", "Victoria Road", "Castle Street", "Market Place",
    "Bridge Street", "Queen Street", "Albert Road", "Chapel Street", "King Street",
    "Church Street", "Union Street", "Park Row", "Mill Lane", "George Street",
    "Princes Street", "Water Street", "Commercial Road", "Regent Street", "Exchange Street",
)  # fmt: skip
HOME_STREETS: Final = (
    "Acacia Avenue", "Beech Grove", "Cherry Tree Close", "Dale View", "Elm Road",
    "Ferndale Road", "Gladstone Street", "Hillside Crescent", "Holly Bank", "Ivy Lane",
    "Jubilee Road", "Kings Drive", "Laburnum Grove", "Meadow Way", "Nelson Street",
    "Orchard Close", "Park Avenue", "Queens Road", "Rose Hill", "St John's Road",
    "The Green", "Thornton Road", "Valley Road", "Windsor Road", "Woodland Drive",
    "York Street", "Brook Lane", "Canal Side", "Coronation Street", "Chestnut Avenue",
)  # fmt: skip

# Postcode inward codes use these letters only.
INWARD_LETTERS: Final = "ABDEFGHJLNPQRSTUWXYZ"


@dataclass(frozen=True)
class EmployerPlan:
    name: str
    type: str
    nation: str  # a nation's code
    existed_from: datetime.date | None
    existed_until: datetime.date | None


@dataclass(frozen=True)
class SuccessionPlan:
    predecessor: int
    successor: int
    on: datetime.date
    note: str


@dataclass(frozen=True)
class WorkplacePlan:
    employer: int
    name: str
    kind: str
    address_line_1: str
    address_line_2: str
    town: str
    postcode: str
    area: int
    town_index: int


@dataclass
class World:
    employers: list[EmployerPlan] = field(default_factory=list)
    successions: list[SuccessionPlan] = field(default_factory=list)
    workplaces: list[WorkplacePlan] = field(default_factory=list)
    trust: list[int] = field(default_factory=list)  # the employer for each area
    crc: list[int] = field(default_factory=list)  # the CRC for each trust area
    nps: int = 0
    cafcass: int = 0
    cafcass_cymru: int = 0
    # Each area's workplaces (its trust's, or the PBNI's) by kind.
    area_workplaces: list[dict[str, list[int]]] = field(default_factory=list)
    crc_copy: dict[int, int] = field(default_factory=dict)  # trust workplace -> CRC's
    nps_copy: dict[int, int] = field(default_factory=dict)  # trust workplace -> NPS's
    cafcass_teams: list[int] = field(default_factory=list)
    cafcass_cymru_teams: list[int] = field(default_factory=list)


def _postcode(rng: random.Random, outward: Sequence[str]) -> str:
    letters = rng.choice(INWARD_LETTERS) + rng.choice(INWARD_LETTERS)
    return normalise_postcode(f"{rng.choice(outward)} {rng.randint(0, 9)}{letters}")


def _find_town(name: str, areas: Sequence[int]) -> tuple[int, int]:
    for area_index in areas:
        for town_index, town in enumerate(AREAS[area_index].towns):
            if town.name == name:
                return area_index, town_index
    raise LookupError(name)  # pragma: no cover - the tables above are fixed


class _WorldPlanner:
    """Plans the employers, their successions and their workplaces."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.world = World()

    def plan(self) -> World:
        self._employers()
        self._successions()
        self._probation_workplaces()
        self._family_court_teams()
        names = {(w.employer, w.name) for w in self.world.workplaces}
        if len(names) != len(self.world.workplaces):  # pragma: no cover - fixed tables
            raise DemoError("Two demo workplaces of one employer share a name.")
        return self.world

    def _employer(
        self,
        name: str,
        type: str,
        nation: str,
        existed_from: datetime.date | None,
        existed_until: datetime.date | None = None,
    ) -> int:
        self.world.employers.append(
            EmployerPlan(name, type, nation, existed_from, existed_until)
        )
        return len(self.world.employers) - 1

    def _employers(self) -> None:
        world = self.world
        day = _days(1)
        for area in TRUST_AREAS:
            nation = "WLS" if area.branch == "Cymru" else "ENG"
            world.trust.append(
                self._employer(
                    area.employer,
                    EmployerType.PUBLIC,
                    nation,
                    TRUSTS_FORMED,
                    TRANSFORMING_REHABILITATION - day,
                )
            )
        self.crcs = {
            name: self._employer(
                name,
                EmployerType.PRIVATE,
                "WLS" if name == WALES else "ENG",
                TRANSFORMING_REHABILITATION,
                REUNIFICATION - day,
            )
            for name in CRCS
        }
        world.crc = [self.crcs[area.crc] for area in TRUST_AREAS]
        # The NPS worked in England and Wales; an employer has one nation here.
        world.nps = self._employer(
            NPS, EmployerType.CIVIL_SERVICE, "ENG", TRANSFORMING_REHABILITATION
        )
        world.cafcass = self._employer(
            CAFCASS, EmployerType.PUBLIC, "ENG", datetime.date(2001, 4, 1)
        )
        world.cafcass_cymru = self._employer(
            CAFCASS_CYMRU, EmployerType.CIVIL_SERVICE, "WLS", datetime.date(2005, 4, 1)
        )
        self.pbni = self._employer(PBNI, EmployerType.PUBLIC, "NIR", None)

    def _successions(self) -> None:
        world = self.world
        for trust, crc in zip(world.trust, world.crc, strict=True):
            world.successions.append(
                SuccessionPlan(
                    trust,
                    crc,
                    TRANSFORMING_REHABILITATION,
                    "Transforming Rehabilitation: the trust's work with low and medium "
                    "risk offenders passed to the community rehabilitation company.",
                )
            )
            world.successions.append(
                SuccessionPlan(
                    trust,
                    world.nps,
                    TRANSFORMING_REHABILITATION,
                    "Transforming Rehabilitation: court work, approved premises and "
                    "high risk offenders passed to the National Probation Service.",
                )
            )
        world.successions.extend(
            SuccessionPlan(
                crc,
                world.nps,
                REUNIFICATION,
                "Probation reunification: the company's work came back into the "
                "National Probation Service.",
            )
            for crc in self.crcs.values()
        )

    def _workplace(
        self, employer: int, name: str, kind: str, place: tuple[int, int], *lines: str
    ) -> int:
        """A workplace in ``place`` (an area and one of its towns) at ``lines``."""
        area, town_index = place
        line_1, line_2 = (*lines, "")[:2]
        town = AREAS[area].towns[town_index]
        postcode = _postcode(self.rng, town.outward[:2])
        self.world.workplaces.append(
            WorkplacePlan(
                employer,
                name,
                kind,
                line_1,
                line_2,
                town.address_town,
                postcode,
                area,
                town_index,
            )
        )
        return len(self.world.workplaces) - 1

    def _copy(self, index: int, employer: int) -> int:
        """The same workplace (name, address) under another employer."""
        self.world.workplaces.append(
            dataclasses.replace(self.world.workplaces[index], employer=employer)
        )
        return len(self.world.workplaces) - 1

    def _probation_workplaces(self) -> None:
        rng = self.rng
        world = self.world
        houses = iter(APPROVED_PREMISES_NAMES)
        for a, area in enumerate(AREAS):
            owner = world.trust[a] if a < NI_AREA else self.pbni
            kinds: dict[str, list[int]] = {OFFICE: [], COURT: [], APPROVED_PREMISES: []}
            world.area_workplaces.append(kinds)
            for t, town in enumerate(area.towns):
                street = f"{rng.randint(1, 120)} {rng.choice(OFFICE_STREETS)}"
                name = f"{town.name} Probation Office"
                kinds[OFFICE].append(
                    self._workplace(owner, name, OFFICE, (a, t), street)
                )
            for t, town in enumerate(area.towns[: 2 if len(area.towns) >= 4 else 1]):
                court = f"{town.name} Magistrates' Court"
                name = f"{court} Team"
                street = rng.choice(OFFICE_STREETS)
                kinds[COURT].append(
                    self._workplace(owner, name, COURT, (a, t), court, street)
                )
            for number in range(area.approved_premises):
                t = number % len(area.towns)
                street = f"{rng.randint(2, 90)} {rng.choice(HOME_STREETS)}"
                name = f"{next(houses)} House Approved Premises"
                kinds[APPROVED_PREMISES].append(
                    self._workplace(owner, name, APPROVED_PREMISES, (a, t), street)
                )
        # The CRCs and the NPS shared the trusts' offices; court teams and approved
        # premises went to the NPS alone.
        for a in range(NI_AREA):
            for index in world.area_workplaces[a][OFFICE]:
                world.crc_copy[index] = self._copy(index, world.crc[a])
        for a in range(NI_AREA):
            for indexes in world.area_workplaces[a].values():
                for index in indexes:
                    world.nps_copy[index] = self._copy(index, world.nps)

    def _family_court_teams(self) -> None:
        world = self.world
        wales = [i for i, area in enumerate(TRUST_AREAS) if area.branch == "Cymru"]
        for teams, owner, names, areas in (
            (world.cafcass_teams, world.cafcass, CAFCASS_TEAMS, range(NI_AREA)),
            (
                world.cafcass_cymru_teams,
                world.cafcass_cymru,
                CAFCASS_CYMRU_TEAMS,
                wales,
            ),
        ):
            for name in names:
                a, t = _find_town(name, areas)
                street = f"{self.rng.randint(1, 120)} {self.rng.choice(OFFICE_STREETS)}"
                teams.append(
                    self._workplace(
                        owner, f"{name} Family Court Team", TEAM, (a, t), street
                    )
                )


# --- People ------------------------------------------------------------------------

FEMALE_NAMES: Final = (
    "Aisha", "Alice", "Amira", "Amy", "Anna", "Abigail", "Agnieszka", "Charlotte", "Chloe",
    "Claire", "Deborah", "Eleanor", "Ellen", "Emma", "Farah", "Fatima", "Gemma", "Grace",
    "Hannah", "Helen", "Jade", "Jasmine", "Jennifer", "Joanne", "Joy", "Karen", "Kate",
    "Laura", "Leah", "Lucy", "Maria", "Megan", "Michelle", "Natalie", "Ngozi", "Nicola",
    "Olivia", "Priya", "Rachel", "Rebecca", "Ruth", "Sadia", "Sarah", "Shabana", "Sophie",
    "Stephanie", "Susan", "Yasmin", "Zainab", "Louise", "Julie", "Angela", "Catherine",
)  # fmt: skip
MALE_NAMES: Final = (
    "Aaron", "Adam", "Ahmed", "Alan", "Andrew", "Ben", "Callum", "Chris", "Daniel",
    "Darren", "David", "Dean", "Gareth", "George", "Hassan", "Ian", "Imran", "Jack",
    "Jamal", "James", "John", "Jonathan", "Kevin", "Kwame", "Lee", "Liam", "Marek", "Mark",
    "Martin", "Matthew", "Michael", "Mohammed", "Nathan", "Neil", "Oliver", "Paul", "Peter",
    "Raj", "Richard", "Robert", "Ryan", "Samuel", "Simon", "Stephen", "Thomas", "Tom",
    "Tunde", "Usman", "Wayne", "William", "Graham", "Steven",
)  # fmt: skip
WELSH_FEMALE_NAMES: Final = (
    "Cerys",
    "Ffion",
    "Sian",
    "Rhian",
    "Nia",
    "Carys",
    "Angharad",
    "Lowri",
)
WELSH_MALE_NAMES: Final = (
    "Rhys",
    "Dafydd",
    "Gethin",
    "Owain",
    "Iwan",
    "Huw",
    "Emyr",
    "Aled",
)
IRISH_FEMALE_NAMES: Final = (
    "Niamh",
    "Aoife",
    "Siobhan",
    "Roisin",
    "Ciara",
    "Orla",
    "Mairead",
)
IRISH_MALE_NAMES: Final = (
    "Ciaran",
    "Eoin",
    "Padraig",
    "Conor",
    "Declan",
    "Seamus",
    "Fergal",
)
SURNAMES: Final = (
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
    "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards",
    "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood",
    "Turner", "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King",
    "Baker", "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis",
    "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook",
    "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox",
    "Richards", "Khan", "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Singh",
    "Begum", "Wilkinson", "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason",
    "Ali", "Hunt", "Hussain", "Campbell", "Matthews", "Owen", "Palmer", "Holmes", "Mills",
    "Barnes", "Knight", "Lloyd", "Butler", "Russell", "Barker", "Fisher", "Stevens",
    "Jenkins", "Murray", "Dixon", "Harvey", "Ahmed", "Okafor", "Mensah", "Nowak",
    "Kowalski", "O'Brien", "Chowdhury", "Rahman", "Iqbal", "Francis", "Graham", "Reid",
    "Fraser", "Kaur", "Gill", "Sharma", "Akhtar", "Hart", "Pearson", "Osei",
)  # fmt: skip
WELSH_SURNAMES: Final = (
    "Jones", "Williams", "Davies", "Evans", "Thomas", "Roberts", "Lewis", "Hughes", "Morgan",
    "Griffiths", "Rees", "Jenkins", "Price", "Pritchard", "Powell", "Llewellyn", "Parry",
    "Vaughan", "Bowen", "Howells",
)  # fmt: skip
IRISH_SURNAMES: Final = (
    "Murphy", "Kelly", "O'Neill", "McCann", "Doherty", "Quinn", "Campbell", "Wilson",
    "Robinson", "McLaughlin", "Boyle", "Gallagher", "Hamilton", "Stewart", "Thompson",
    "Magee", "Devlin", "Hughes", "McKeown", "Maguire",
)  # fmt: skip

# (job category, pay bands, weight, where it is done: COURT means an office, or now
# and then a court team)
Job = tuple[str, tuple[str, ...], float, str]
PROBATION_JOBS: Final[tuple[Job, ...]] = (
    ("Probation Officer", ("Band 4",), 36, COURT),
    ("Probation Services Officer", ("Band 3",), 28, COURT),
    ("Senior Probation Officer", ("Band 5",), 8, OFFICE),
    ("Administrator", ("Band 2", "Band 3"), 12, COURT),
    ("Approved Premises Residential Worker", ("Band 3",), 6, APPROVED_PREMISES),
    ("Approved Premises Manager", ("Band 5",), 1, APPROVED_PREMISES),
    ("Programmes Facilitator", ("Band 3",), 4, OFFICE),
    ("Victim Liaison Officer", ("Band 3",), 2, OFFICE),
    ("Senior Manager", ("Band 6",), 1.5, OFFICE),
    ("Head of Service", ("Band 7",), 0.5, OFFICE),
)
FAMILY_COURT_JOBS: Final[tuple[Job, ...]] = (
    ("Family Court Adviser", ("Band 5",), 55, TEAM),
    ("Senior Family Court Adviser", ("Band 6",), 10, TEAM),
    ("Practice Supervisor", ("Band 6",), 8, TEAM),
    ("Service Manager", ("Band 7",), 3, TEAM),
    ("Business Support Officer", ("Band 2", "Band 3"), 18, TEAM),
)
NORTHERN_IRELAND_JOBS: Final[tuple[Job, ...]] = (
    ("Probation Officer", ("Band 4",), 40, COURT),
    ("Probation Services Officer", ("Band 3",), 28, COURT),
    ("Senior Probation Officer", ("Band 5",), 8, OFFICE),
    ("Administrator", ("Band 2", "Band 3"), 15, OFFICE),
    ("Community Service Supervisor", ("Band 3",), 6, OFFICE),
    ("Area Manager", ("Band 6",), 2, OFFICE),
)
STUDENT_JOB: Final[Job] = ("PQiP Learner", ("Band 3",), 1, OFFICE)
SECOND_JOB: Final = "Approved Premises Residential Worker"
# In 2014 court work, approved premises and high risk cases went to the NPS; this
# is each job's chance of going there from an office.
NPS_SHARE: Final = {
    "Probation Officer": 0.65,
    "Senior Probation Officer": 0.55,
    "Probation Services Officer": 0.35,
    "Administrator": 0.45,
    "Programmes Facilitator": 0.0,
    "Victim Liaison Officer": 1.0,
    "Senior Manager": 0.6,
    "Head of Service": 0.6,
}
PART_TIME_HOURS: Final = ("18.5", "22.5", "30", "29.6", "14.8", "26")
FULL_TIME_HOURS: Final = Decimal("37")

MONTHLY_RATES: Final = {
    "Band 2": Decimal("10.50"),
    "Band 3": Decimal("13.20"),
    "Band 4": Decimal("16.40"),
    "Band 5": Decimal("19.10"),
    "Band 6": Decimal("22.30"),
    "Band 7": Decimal("25.00"),
}
FLAT_RATES: Final = {
    MembershipCategory.FULL: Decimal("16.40"),  # pay band not known
    MembershipCategory.STUDENT: Decimal("3.00"),
    MembershipCategory.RETIRED: Decimal("4.50"),
    MembershipCategory.ASSOCIATE: Decimal("8.00"),
    MembershipCategory.HONORARY: Decimal("0.00"),
}

RESIGNATION_REASONS: Final = (
    "Left the service for another job.",
    "Moving abroad.",
    "Cannot afford the subscription at the moment.",
    "Left to care for a relative.",
    "",
)

# How the members divide (the rest are active full members).
SHARES: Final = {
    "applicant": 0.005,
    "deceased": 0.005,
    "lapsed": 0.045,
    "resigned": 0.08,
    "retired": 0.04,
    "student": 0.02,
}
SECTORS: Final = (
    ("probation", 82.0),
    ("cafcass", 11.5),
    ("cafcass_cymru", 1.5),
    ("pbni", 5.0),
)
PAYMENT_METHODS: Final = (
    (PaymentMethod.DIRECT_DEBIT, 55.0),
    (PaymentMethod.PAYROLL, 35.0),
    (PaymentMethod.CARD, 7.0),
    (PaymentMethod.CHEQUE, 3.0),
)


# --- The plan: every row, in memory -----------------------------------------------


@dataclass
class PersonPlan:
    title: str
    first_name: str
    last_name: str
    email: str
    phone: str
    address_line_1: str
    address_line_2: str
    town: str
    postcode: str
    date_of_birth: datetime.date


@dataclass
class JobPlan:
    membership: int
    employer: int
    workplace: int | None
    job_category: str
    hours: Decimal
    pay_band: str
    started_on: datetime.date
    ended_on: datetime.date | None


@dataclass
class EventPlan:
    kind: str
    effective_on: datetime.date
    status_from: str = ""
    status_to: str = ""
    reason: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    job: int | None = None  # the employment the event is about
    previous_job: int | None = None  # a transfer's old employment
    position: int | None = None


@dataclass
class MemberPlan:
    person: PersonPlan
    membership_number: str | None
    category: str
    status: str
    branch: int
    applied_on: datetime.date
    joined_on: datetime.date | None
    left_on: datetime.date | None
    payment_method: str
    arrears: Decimal
    arrears_since: datetime.date | None
    jobs: list[int] = field(default_factory=list)
    events: list[EventPlan] = field(default_factory=list)


@dataclass
class PositionPlan:
    membership: int
    role: str  # a role's slug
    branch: int | None
    workplace: int | None
    started_on: datetime.date


@dataclass
class DemoPlan:
    seed: int
    world: World
    members: list[MemberPlan]
    jobs: list[JobPlan]
    positions: list[PositionPlan]
    signins: dict[str, int]  # username -> member (for the members among them)


@dataclass
class _Core:
    """Who a member is, before numbering: the first pass of the plan."""

    kind: str
    sector: str
    area: int
    workplace: int  # in the sector's first employer: a trust's, Cafcass's, the PBNI's
    job: Job
    hours: Decimal
    pay_band: str
    to_nps: bool  # where the job went in 2014
    applied_on: datetime.date
    joined_on: datetime.date | None
    left_on: datetime.date | None
    job_started_on: datetime.date
    job_ends_on: datetime.date | None
    date_of_birth: datetime.date
    order: int


@dataclass(frozen=True)
class _Dates:
    applied_on: datetime.date
    joined_on: datetime.date | None
    left_on: datetime.date | None
    job_started_on: datetime.date
    job_ends_on: datetime.date | None
    date_of_birth: datetime.date


KIND_STATUS: Final = {
    "applicant": MembershipStatus.APPLICANT,
    "lapsed": MembershipStatus.LAPSED,
    "resigned": MembershipStatus.RESIGNED,
    "deceased": MembershipStatus.DECEASED,
}
KIND_CATEGORY: Final = {
    "student": MembershipCategory.STUDENT,
    "retired": MembershipCategory.RETIRED,
}
BRANCH_NAMES: Final = [name for name, _region in BRANCHES]


def _between(
    rng: random.Random, first: datetime.date, last: datetime.date
) -> datetime.date:
    if last <= first:
        return first
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _years_after(day: datetime.date, years: int) -> datetime.date:
    return _years_before(day, -years)


def _days(count: int) -> datetime.timedelta:
    return datetime.timedelta(days=count)


def _boundary(day: datetime.date) -> datetime.date:
    """The latest reorganisation of probation on or before ``day``."""
    latest = TRUSTS_FORMED
    for change in (TRANSFORMING_REHABILITATION, REUNIFICATION):
        if change <= day:
            latest = change
    return latest


class _Planner:
    def __init__(self, *, members: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.count = members
        self.seed = seed
        self.world = _WorldPlanner(self.rng).plan()
        self.area_weights = [area.weight for area in TRUST_AREAS]
        self.emails: dict[str, int] = {}
        self.members: list[MemberPlan] = []
        self.jobs: list[JobPlan] = []
        self.positions: list[PositionPlan] = []
        self.current: dict[int, JobPlan] = {}  # member -> their main job as at AS_AT

    # First pass: who each member is.

    def _kinds(self) -> list[str]:
        kinds = [
            kind
            for kind, share in SHARES.items()
            for _ in range(max(1, round(self.count * share)))
        ]
        kinds += ["active"] * (self.count - len(kinds))
        self.rng.shuffle(kinds)
        return kinds

    def _choose_job(self, jobs: Sequence[Job]) -> Job:
        return self.rng.choices(jobs, weights=[job[2] for job in jobs])[0]

    def _choose_workplace(self, area: int, where: str) -> int:
        kinds = self.world.area_workplaces[area]
        if where == COURT and kinds[COURT] and self.rng.random() < 0.3:
            return self.rng.choice(kinds[COURT])
        if where == APPROVED_PREMISES and kinds[APPROVED_PREMISES]:
            return self.rng.choice(kinds[APPROVED_PREMISES])
        offices = kinds[OFFICE]
        # The first town is the biggest.
        return self.rng.choices(offices, weights=[3] + [1] * (len(offices) - 1))[0]

    def _where(self, kind: str) -> tuple[str, int, int, Job]:
        """Sector, area, first workplace and job."""
        rng = self.rng
        if kind == "student":
            sector = "probation"
        else:
            sector = rng.choices(
                [s for s, _ in SECTORS], weights=[w for _, w in SECTORS]
            )[0]
        if sector == "probation":
            area = rng.choices(range(NI_AREA), weights=self.area_weights)[0]
            job = STUDENT_JOB if kind == "student" else self._choose_job(PROBATION_JOBS)
            return sector, area, self._choose_workplace(area, job[3]), job
        if sector == "pbni":
            job = self._choose_job(NORTHERN_IRELAND_JOBS)
            return sector, NI_AREA, self._choose_workplace(NI_AREA, job[3]), job
        world = self.world
        teams = (
            world.cafcass_teams if sector == "cafcass" else world.cafcass_cymru_teams
        )
        workplace = rng.choice(teams)
        return (
            sector,
            world.workplaces[workplace].area,
            workplace,
            self._choose_job(FAMILY_COURT_JOBS),
        )

    def _dates(self, kind: str) -> _Dates:
        rng = self.rng
        if kind == "applicant":
            applied_on = AS_AT - _days(rng.randint(0, 56))
            birth = _between(
                rng, _years_before(applied_on, 50), _years_before(applied_on, 22)
            )
            return _Dates(applied_on, None, None, applied_on, None, birth)
        if kind == "student":
            joined_on = _between(rng, datetime.date(2023, 9, 1), AS_AT - _days(60))
            started_on = max(REUNIFICATION, joined_on - _days(rng.randint(0, 90)))
            birth = _between(
                rng, _years_before(joined_on, 45), _years_before(joined_on, 21)
            )
            applied_on = joined_on - _days(rng.randint(3, 35))
            return _Dates(applied_on, joined_on, None, started_on, None, birth)
        if kind == "retired":
            retired_on = _between(rng, datetime.date(2012, 1, 1), AS_AT - _days(30))
            birth = _years_before(retired_on, rng.randint(60, 67)) - _days(
                rng.randint(0, 364)
            )
            earliest = max(_years_after(birth, 25), datetime.date(1988, 1, 1))
            joined_on = _between(rng, earliest, _years_before(retired_on, 5))
            started_on = joined_on - _days(rng.randint(0, 720))
            applied_on = joined_on - _days(rng.randint(3, 35))
            return _Dates(applied_on, joined_on, None, started_on, retired_on, birth)
        # Careers in probation are long, and recruitment since 2021 has been heavy.
        if rng.random() < 0.6:
            ago = rng.randint(0, 38 * 365)
        else:
            ago = min(int(rng.expovariate(1 / (5 * 365.25))), 38 * 365)
        joined_on = AS_AT - _days(ago)
        left_on = None
        if kind != "active":
            joined_on = min(joined_on, AS_AT - _days(rng.randint(120, 800)))
            first, last = joined_on + _days(60), AS_AT - _days(1)
            left_on = max(_between(rng, first, last), _between(rng, first, last))
        started_on = joined_on
        if rng.random() < 0.7:  # most had the job before they joined
            started_on -= _days(rng.randint(0, 720))
        oldest = max(_years_before(AS_AT, 66), _years_before(joined_on, 50))
        birth = _between(rng, oldest, _years_before(joined_on, 21))
        applied_on = joined_on - _days(rng.randint(3, 35))
        return _Dates(applied_on, joined_on, left_on, started_on, left_on, birth)

    def _core(self, kind: str, order: int) -> _Core:
        rng = self.rng
        sector, area, workplace, job = self._where(kind)
        category, bands, _weight, where = job
        if bands[0] in ("Band 6", "Band 7") or kind == "student" or rng.random() < 0.8:
            hours = FULL_TIME_HOURS
        else:
            hours = Decimal(rng.choice(PART_TIME_HOURS))
        if (
            where == APPROVED_PREMISES
            or self.world.workplaces[workplace].kind != OFFICE
        ):
            to_nps = True
        else:
            to_nps = rng.random() < NPS_SHARE.get(category, 0.5)
        dates = self._dates(kind)
        return _Core(
            kind=kind,
            sector=sector,
            area=area,
            workplace=workplace,
            job=job,
            hours=hours,
            pay_band=rng.choice(bands),
            to_nps=to_nps,
            applied_on=dates.applied_on,
            joined_on=dates.joined_on,
            left_on=dates.left_on,
            job_started_on=max(
                dates.job_started_on, _years_after(dates.date_of_birth, 20)
            ),
            job_ends_on=dates.job_ends_on,
            date_of_birth=dates.date_of_birth,
            order=order,
        )

    # Second pass: the rows.

    def _person(self, core: _Core) -> PersonPlan:
        rng = self.rng
        area = AREAS[core.area]
        female = rng.random() < 0.68  # the probation workforce is mostly women
        if area.branch == "Cymru" and rng.random() < 0.4:
            first = rng.choice(WELSH_FEMALE_NAMES if female else WELSH_MALE_NAMES)
            last = rng.choice(WELSH_SURNAMES)
        elif core.area == NI_AREA and rng.random() < 0.6:
            first = rng.choice(IRISH_FEMALE_NAMES if female else IRISH_MALE_NAMES)
            last = rng.choice(IRISH_SURNAMES)
        else:
            first = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
            last = rng.choice(SURNAMES)
        roll = rng.random()
        if roll < 0.01:
            title = "Mx"
        elif roll < 0.02:
            title = "Dr"
        elif roll < 0.3:
            title = ""
        else:
            title = rng.choice(("Ms", "Mrs", "Miss", "Ms")) if female else "Mr"
        local = "".join(
            ch for ch in f"{first}.{last}".lower() if ch.isalpha() or ch == "."
        )
        seen = self.emails.get(local, 0) + 1
        self.emails[local] = seen
        email = f"{local}{seen if seen > 1 else ''}@example.org"
        phone = ""
        if rng.random() < 0.9:
            phone = normalise_phone(f"{area.phone}{rng.randint(0, 999):03d}")
        workplace = self.world.workplaces[core.workplace]
        town_index = (
            workplace.town_index
            if rng.random() < 0.7
            else rng.randrange(len(area.towns))
        )
        town = area.towns[town_index]
        street = f"{rng.randint(1, 240)} {rng.choice(HOME_STREETS)}"
        line_1, line_2 = street, ""
        if rng.random() < 0.15:
            line_1, line_2 = f"Flat {rng.randint(1, 40)}", street
        return PersonPlan(
            title=title,
            first_name=first,
            last_name=last,
            email=email,
            phone=phone,
            address_line_1=line_1,
            address_line_2=line_2,
            town=town.address_town,
            postcode=_postcode(rng, town.outward),
            date_of_birth=core.date_of_birth,
        )

    def _segments(
        self, core: _Core
    ) -> list[tuple[int, int, datetime.date, datetime.date]]:
        """Where the job was held and when: (employer, workplace, from, until); the
        last runs on (``AS_AT`` stands for "still going")."""
        world = self.world
        w = core.workplace
        if core.sector != "probation":
            owner = world.workplaces[w].employer
            existed_from = world.employers[owner].existed_from
            start = max(core.job_started_on, existed_from or core.job_started_on)
            end = core.job_ends_on or AS_AT
            return [(owner, w, start, end)] if start <= end else []
        start = max(core.job_started_on, _boundary(core.joined_on or core.applied_on))
        end = core.job_ends_on or AS_AT
        a = core.area
        day = _days(1)
        timeline = [
            (world.trust[a], w, TRUSTS_FORMED, TRANSFORMING_REHABILITATION - day)
        ]
        if core.to_nps:
            timeline.append(
                (world.nps, world.nps_copy[w], TRANSFORMING_REHABILITATION, AS_AT)
            )
        else:
            timeline.append(
                (
                    world.crc[a],
                    world.crc_copy[w],
                    TRANSFORMING_REHABILITATION,
                    REUNIFICATION - day,
                )
            )
            timeline.append((world.nps, world.nps_copy[w], REUNIFICATION, AS_AT))
        segments = []
        for employer, workplace, first, last in timeline:
            begins, ends = max(first, start), min(last, end)
            if begins <= ends:
                segments.append((employer, workplace, begins, ends))
        return segments

    def _add_job(self, member: int, job: JobPlan) -> int:
        self.jobs.append(job)
        self.members[member].jobs.append(len(self.jobs) - 1)
        return len(self.jobs) - 1

    def _member(self, index: int, core: _Core, number: str | None) -> None:
        rng = self.rng
        status = KIND_STATUS.get(core.kind, MembershipStatus.ACTIVE)
        branch = (
            FAMILY_COURTS_BRANCH
            if core.sector == "cafcass"
            else AREAS[core.area].branch
        )
        payment = rng.choices(
            [m for m, _ in PAYMENT_METHODS], weights=[w for _, w in PAYMENT_METHODS]
        )[0]
        member = MemberPlan(
            person=self._person(core),
            membership_number=number,
            category=KIND_CATEGORY.get(core.kind, MembershipCategory.FULL),
            status=status,
            branch=BRANCH_NAMES.index(branch),
            applied_on=core.applied_on,
            joined_on=core.joined_on,
            left_on=core.left_on,
            payment_method=PaymentMethod.DIRECT_DEBIT if number is None else payment,
            arrears=Decimal("0.00"),
            arrears_since=None,
        )
        self.members.append(member)
        member.events.append(
            EventPlan(
                MembershipEventKind.APPLIED,
                core.applied_on,
                status_to=MembershipStatus.APPLICANT,
            )
        )
        if core.joined_on is not None:
            member.events.append(
                EventPlan(
                    MembershipEventKind.APPROVED,
                    core.joined_on,
                    status_from=MembershipStatus.APPLICANT,
                    status_to=MembershipStatus.ACTIVE,
                    data={"membership_number": number},
                )
            )
        last_job = self._jobs(index, core)
        self._arrears(core, member)
        self._leaving(core, member, last_job)
        if last_job is not None and self.jobs[last_job].ended_on is None:
            self.current[index] = self.jobs[last_job]
            self._second_job(index, core)

    def _jobs(self, index: int, core: _Core) -> int | None:
        """The member's job, split where it passed from employer to employer; the
        last part's index."""
        events = self.members[index].events
        previous: int | None = None
        for employer, workplace, begins, ends in self._segments(core):
            job = self._add_job(
                index,
                JobPlan(
                    membership=index,
                    employer=employer,
                    workplace=workplace,
                    job_category=core.job[0],
                    hours=core.hours,
                    pay_band=core.pay_band,
                    started_on=begins,
                    ended_on=None if ends == AS_AT else ends,  # nobody leaves on AS_AT
                ),
            )
            if previous is not None:
                if begins == TRANSFORMING_REHABILITATION:
                    reason = "Transforming Rehabilitation"
                else:
                    reason = "Probation reunification"
                events.append(
                    EventPlan(
                        MembershipEventKind.TRANSFERRED,
                        begins,
                        reason=reason,
                        job=job,
                        previous_job=previous,
                    )
                )
            elif begins >= (core.joined_on or core.applied_on):  # started as a member
                events.append(
                    EventPlan(MembershipEventKind.EMPLOYMENT_STARTED, begins, job=job)
                )
            previous = job
        return previous

    def _arrears(self, core: _Core, member: MemberPlan) -> None:
        rng = self.rng
        if core.joined_on is None:
            return
        rate = MONTHLY_RATES.get(core.pay_band, FLAT_RATES[MembershipCategory.FULL])
        if core.kind == "lapsed" and core.left_on is not None:
            member.arrears = rate * rng.randint(3, 4)
            since = core.left_on - _days(rng.randint(90, 150))
        elif core.kind == "active" and rng.random() < 0.02:
            member.arrears = rate * rng.randint(1, 2)
            since = AS_AT - _days(rng.randint(30, 75))
        else:
            return
        member.arrears_since = max(core.joined_on, since)
        member.events.append(
            EventPlan(
                MembershipEventKind.ARREARS_RECORDED,
                member.arrears_since,
                data={"from": "0.00", "to": str(member.arrears)},
            )
        )

    def _leaving(self, core: _Core, member: MemberPlan, last_job: int | None) -> None:
        events = member.events
        if core.kind == "retired" and core.job_ends_on is not None:
            if last_job is not None:
                events.append(
                    EventPlan(
                        MembershipEventKind.EMPLOYMENT_ENDED,
                        core.job_ends_on,
                        reason="Retired.",
                        job=last_job,
                    )
                )
            events.append(
                EventPlan(
                    MembershipEventKind.DETAILS_CHANGED,
                    core.job_ends_on,
                    reason="Retired.",
                    data={"changed": {"category": ["full", "retired"]}},
                )
            )
            return
        if core.left_on is None:
            return
        if core.kind in ("lapsed", "resigned") and last_job is not None:
            events.append(
                EventPlan(
                    MembershipEventKind.EMPLOYMENT_ENDED, core.left_on, job=last_job
                )
            )
        reason = ""
        data: dict[str, Any] = {}
        if core.kind == "lapsed":
            kind = MembershipEventKind.LAPSED
            reason = f"Arrears of £{member.arrears}"
            data = {"arrears": str(member.arrears)}
        elif core.kind == "resigned":
            kind = MembershipEventKind.RESIGNED
            reason = self.rng.choice(RESIGNATION_REASONS)
        else:
            kind = MembershipEventKind.DIED
        events.append(
            EventPlan(
                kind,
                core.left_on,
                status_from=MembershipStatus.ACTIVE,
                status_to=member.status,
                reason=reason,
                data=data,
            )
        )

    def _second_job(self, index: int, core: _Core) -> None:
        """Some hold a second, part-time job: relief shifts at an approved premises."""
        rng = self.rng
        world = self.world
        aps = world.area_workplaces[core.area][APPROVED_PREMISES]
        joined = core.joined_on
        if (
            core.sector != "probation"
            or core.kind != "active"
            or not aps
            or joined is None
        ):
            return
        if rng.random() >= 0.04:
            return
        last = AS_AT - _days(30)
        begins = _between(rng, max(joined, REUNIFICATION) + _days(30), last)
        if begins >= last:
            return
        job = self._add_job(
            index,
            JobPlan(
                membership=index,
                employer=world.nps,
                workplace=world.nps_copy[rng.choice(aps)],
                job_category=SECOND_JOB,
                hours=Decimal(rng.choice(("7.5", "11", "15"))),
                pay_band="Band 3",
                started_on=begins,
                ended_on=None,
            ),
        )
        self.members[index].events.append(
            EventPlan(MembershipEventKind.EMPLOYMENT_STARTED, begins, job=job)
        )

    # Third pass: who holds which position, and the sign-ins.

    def _appoint(
        self,
        member: int,
        role: str,
        started_on: datetime.date,
        *,
        branch: int | None = None,
        workplace: int | None = None,
    ) -> None:
        self.positions.append(PositionPlan(member, role, branch, workplace, started_on))
        self.members[member].events.append(
            EventPlan(
                MembershipEventKind.POSITION_STARTED,
                started_on,
                position=len(self.positions) - 1,
            )
        )

    def _eligible(self, index: int, before: datetime.date) -> bool:
        member = self.members[index]
        return (
            member.status == MembershipStatus.ACTIVE
            and member.category == MembershipCategory.FULL
            and member.joined_on is not None
            and member.joined_on < before
            and index in self.current
        )

    def _plan_positions(self) -> dict[str, int]:
        rng = self.rng
        by_workplace: dict[int, list[int]] = {}
        for index, job in self.current.items():
            if job.workplace is not None and self._eligible(index, AS_AT - _days(90)):
                by_workplace.setdefault(job.workplace, []).append(index)
        workplace_roles = (
            ("workplace-rep", 0.8),
            ("health-and-safety-rep", 0.35),
            ("learning-rep", 0.1),
            ("equality-rep", 0.1),
        )
        for workplace in sorted(by_workplace):
            members = by_workplace[workplace]
            reps = 2 if len(members) >= 25 else 1
            for role, chance in workplace_roles:
                count = reps if role == "workplace-rep" else 1
                if len(members) < 2 or rng.random() >= chance:
                    continue
                for index in rng.sample(members, min(count, len(members))):
                    begins = max(
                        self.members[index].joined_on or AS_AT,
                        self.current[index].started_on,
                    )
                    self._appoint(
                        index,
                        role,
                        _between(rng, begins + _days(30), AS_AT - _days(30)),
                        branch=self.members[index].branch,
                        workplace=workplace,
                    )

        branch_roles = (
            "branch-secretary",
            "branch-chair",
            "branch-treasurer",
            "branch-membership-officer",
        )
        secretaries: dict[int, int] = {}
        for branch in range(len(BRANCHES)):
            meeting = datetime.date(2025, rng.randint(3, 5), rng.randint(1, 28))
            candidates = [
                i
                for i, member in enumerate(self.members)
                if member.branch == branch
                and self._eligible(i, _years_before(meeting, 2))
            ]
            chosen = rng.sample(candidates, min(len(branch_roles), len(candidates)))
            for role, index in zip(branch_roles, chosen, strict=False):
                self._appoint(index, role, meeting, branch=branch)
                if role == "branch-secretary":
                    secretaries[branch] = index
        for region, _nation in REGIONS:
            branches = [i for i, (_name, r) in enumerate(BRANCHES) if r == region]
            candidates = [
                i
                for i, member in enumerate(self.members)
                if member.branch in branches
                and self._eligible(i, datetime.date(2023, 6, 1))
            ]
            if candidates:
                self._appoint(
                    rng.choice(candidates),
                    "national-executive-member",
                    datetime.date(2025, 6, 14),
                )
        return self._choose_signins(secretaries)

    def _choose_signins(self, secretaries: dict[int, int]) -> dict[str, int]:
        preferred = BRANCH_NAMES.index(SIGNIN_BRANCH)
        if not secretaries:
            raise DemoError(
                "No member could be made a branch secretary; build more members."
            )
        secretary = secretaries.get(preferred, secretaries[min(secretaries)])
        branch = self.members[secretary].branch
        officers = {p.membership for p in self.positions}
        # The longest-serving rep, for the richest history to look at.
        reps = [
            p.membership
            for p in sorted(self.positions, key=lambda p: (p.started_on, p.membership))
            if p.role == "workplace-rep" and p.membership != secretary
        ]
        local_reps = [m for m in reps if self.members[m].branch == branch]
        if local_reps or reps:
            rep = (local_reps or reps)[0]
        else:  # a small demo may have no rep yet: appoint one
            spare = [
                i for i in self.current if self._eligible(i, AS_AT) and i != secretary
            ]
            if not spare:
                raise DemoError(
                    "No member could be made a workplace rep; build more members."
                )
            rep = spare[0]
            job = self.current[rep]
            self._appoint(
                rep,
                "workplace-rep",
                max(job.started_on, self.members[rep].joined_on or AS_AT),
                branch=self.members[rep].branch,
                workplace=job.workplace,
            )
            officers.add(rep)
        plain = [
            i
            for i in sorted(self.current)
            if self._eligible(i, AS_AT)
            and i not in officers
            and sum(1 for j in self.members[i].jobs if self.jobs[j].ended_on is None)
            == 1
        ]
        local = [i for i in plain if self.members[i].branch == branch]
        if not plain:
            raise DemoError(
                "No member was left to sign in as a member; build more members."
            )
        return {"member": (local or plain)[0], "rep": rep, "secretary": secretary}

    def plan(self) -> DemoPlan:
        cores = [self._core(kind, order) for order, kind in enumerate(self._kinds())]
        # Membership numbers in the order people joined; applicants have none yet.
        cores.sort(
            key=lambda c: (c.joined_on is None, c.joined_on or c.applied_on, c.order)
        )
        number = services.FIRST_MEMBERSHIP_NUMBER
        for index, core in enumerate(cores):
            if core.joined_on is None:
                self._member(index, core, None)
                continue
            self._member(index, core, str(number))
            number += 1 if self.rng.random() < 0.97 else self.rng.randint(2, 4)
        signins = self._plan_positions()
        for member in self.members:
            # Oldest first; a day's events in the order they were added.
            member.events.sort(key=lambda event: event.effective_on)
        return DemoPlan(
            self.seed, self.world, self.members, self.jobs, self.positions, signins
        )


def demo_plan(*, members: int = DEFAULT_MEMBERS, seed: int = DEFAULT_SEED) -> DemoPlan:
    """Every row of the demo union, in memory. The same arguments give the same plan."""
    if members < MINIMUM_MEMBERS:
        raise DemoError(f"The demo union needs at least {MINIMUM_MEMBERS} members.")
    return _Planner(members=members, seed=seed).plan()


# --- Writing it --------------------------------------------------------------------


@dataclass(frozen=True)
class DemoSummary:
    members: int
    by_status: dict[str, int]
    employers: int
    workplaces: int
    regions: int
    branches: int
    employments: int
    positions: int
    events: int
    seconds: float
    industrial_action: DemoDisputes | None = None


def demo_register_contents() -> list[str]:
    """What is already in the register that the demo would clash with, as phrases
    ("9,000 memberships"); empty when the demo can be built."""
    found = []
    for model, noun in (
        (Membership, "memberships"),
        (Employer, "employers"),
        (Workplace, "workplaces"),
        (Branch, "branches"),
        (Region, "regions"),
        (SubscriptionRate, "subscription rates"),
    ):
        count = model._default_manager.count()
        if count:
            found.append(f"{count:,} {noun}")
    emails = [HQ_STAFF_EMAIL]
    taken = User.objects.filter(
        Q(username__in=[s.username for s in DEMO_SIGNINS]) | Q(email__in=emails)
    ).values_list("username", flat=True)
    found.extend(f"a sign-in called “{username}”" for username in sorted(taken))
    return found


class _Writer:
    """Writes a plan, remembering each planned row's id to link the next rows to."""

    def __init__(self, plan: DemoPlan) -> None:
        self.plan = plan
        self.nations = {nation.code: nation.pk for nation in Nation.objects.all()}
        self.roles = {role.slug: role for role in Role.objects.all()}
        needed_roles = {position.role for position in plan.positions}
        if {code for _name, code in REGIONS} - set(self.nations) or needed_roles - set(
            self.roles
        ):
            raise DemoError(
                "The nations and roles the register starts with are missing; "
                "run `tolpuddle migrate` first."
            )
        self.counts: dict[str, int] = {}

    def _created(self, what: str, rows: Sequence[Any]) -> list[int]:
        self.counts[what] = len(rows)
        return [row.pk for row in rows]

    def world(self) -> None:
        world = self.plan.world
        regions = Region.objects.bulk_create(
            [Region(name=name, nation_id=self.nations[code]) for name, code in REGIONS]
        )
        region_ids = dict(
            zip(
                [name for name, _ in REGIONS],
                self._created("regions", regions),
                strict=True,
            )
        )
        self.branch_ids = self._created(
            "branches",
            Branch.objects.bulk_create(
                [
                    Branch(name=name, region_id=region_ids[region] if region else None)
                    for name, region in BRANCHES
                ]
            ),
        )
        self.employer_ids = self._created(
            "employers",
            Employer.objects.bulk_create(
                [
                    Employer(
                        name=e.name,
                        type=e.type,
                        nation_id=self.nations[e.nation],
                        existed_from=e.existed_from,
                        existed_until=e.existed_until,
                    )
                    for e in world.employers
                ]
            ),
        )
        EmployerSuccession.objects.bulk_create(
            [
                EmployerSuccession(
                    predecessor_id=self.employer_ids[s.predecessor],
                    successor_id=self.employer_ids[s.successor],
                    on=s.on,
                    note=s.note,
                )
                for s in world.successions
            ]
        )
        self.workplace_ids = self._created(
            "workplaces",
            Workplace.objects.bulk_create(
                [
                    Workplace(
                        employer_id=self.employer_ids[w.employer],
                        name=w.name,
                        address_line_1=w.address_line_1,
                        address_line_2=w.address_line_2,
                        town=w.town,
                        postcode=w.postcode,
                    )
                    for w in world.workplaces
                ],
                batch_size=BATCH_SIZE,
            ),
        )
        rates = [
            (MembershipCategory.FULL, band, amount)
            for band, amount in MONTHLY_RATES.items()
        ] + [(category, "", amount) for category, amount in FLAT_RATES.items()]
        SubscriptionRate.objects.bulk_create(
            [
                SubscriptionRate(
                    category=category,
                    pay_band=band,
                    monthly_amount=amount,
                    valid_from=RATES_FROM,
                )
                for category, band, amount in rates
            ]
        )

    def users(self) -> None:
        self.user_ids: dict[int, int] = {}  # member -> their sign-in
        for signin in DEMO_SIGNINS:
            member = self.plan.signins.get(signin.username)
            if member is None:
                first, last, email = (
                    HQ_STAFF_FIRST_NAME,
                    HQ_STAFF_LAST_NAME,
                    HQ_STAFF_EMAIL,
                )
            else:
                person = self.plan.members[member].person
                first, last, email = person.first_name, person.last_name, person.email
            user = User.objects.create_user(
                username=signin.username,
                email=email,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                is_staff=signin.is_staff,
            )
            EmailAddress.objects.create(
                user=user, email=email, primary=True, verified=True
            )
            if signin.needs_second_factor:
                TOTP.activate(user, DEMO_TOTP_SECRET)
            if signin.is_staff:
                # HQ membership staff see and change the whole register.
                user.groups.add(Group.objects.get(name=MEMBERSHIP_STAFF_GROUP))
            if member is not None:
                self.user_ids[member] = user.pk

    def members(self) -> None:
        plan = self.plan
        people = Person.objects.bulk_create(
            [
                Person(
                    user_id=self.user_ids.get(index),
                    title=m.person.title,
                    first_name=m.person.first_name,
                    last_name=m.person.last_name,
                    email=m.person.email,
                    phone=m.person.phone,
                    address_line_1=m.person.address_line_1,
                    address_line_2=m.person.address_line_2,
                    town=m.person.town,
                    postcode=m.person.postcode,
                    date_of_birth=m.person.date_of_birth,
                    first_name_key=search_key(m.person.first_name),
                    last_name_key=search_key(m.person.last_name),
                )
                for index, m in enumerate(plan.members)
            ],
            batch_size=BATCH_SIZE,
        )
        self.membership_ids = self._created(
            "memberships",
            Membership.objects.bulk_create(
                [
                    Membership(
                        person_id=person.pk,
                        membership_number=m.membership_number,
                        category=m.category,
                        status=m.status,
                        branch_id=self.branch_ids[m.branch],
                        applied_on=m.applied_on,
                        joined_on=m.joined_on,
                        left_on=m.left_on,
                        payment_method=m.payment_method,
                        arrears=m.arrears,
                        arrears_since=m.arrears_since,
                    )
                    for m, person in zip(plan.members, people, strict=True)
                ],
                batch_size=BATCH_SIZE,
            ),
        )
        self.job_ids = self._created(
            "employments",
            Employment.objects.bulk_create(
                [
                    Employment(
                        membership_id=self.membership_ids[j.membership],
                        employer_id=self.employer_ids[j.employer],
                        workplace_id=self._workplace_id(j.workplace),
                        job_category=j.job_category,
                        hours=j.hours,
                        pay_band=j.pay_band,
                        started_on=j.started_on,
                        ended_on=j.ended_on,
                    )
                    for j in plan.jobs
                ],
                batch_size=BATCH_SIZE,
            ),
        )
        self.position_ids = self._created(
            "positions",
            Position.objects.bulk_create(
                [
                    Position(
                        membership_id=self.membership_ids[p.membership],
                        role=self.roles[p.role],
                        branch_id=self.branch_ids[p.branch]
                        if p.branch is not None
                        else None,
                        workplace_id=self._workplace_id(p.workplace),
                        started_on=p.started_on,
                    )
                    for p in plan.positions
                ],
                batch_size=BATCH_SIZE,
            ),
        )

    def _workplace_id(self, index: int | None) -> int | None:
        return None if index is None else self.workplace_ids[index]

    def _workplace_name(self, index: int | None) -> str:
        return "" if index is None else self.plan.world.workplaces[index].name

    def _event_data(self, event: EventPlan) -> dict[str, Any]:
        """What the services record in an event's details, with the written ids."""
        world = self.plan.world
        if event.job is not None and event.previous_job is not None:  # a transfer
            new, old = self.plan.jobs[event.job], self.plan.jobs[event.previous_job]
            return {
                "from_employer": world.employers[old.employer].name,
                "to_employer": world.employers[new.employer].name,
                "previous": self.job_ids[event.previous_job],
                "employment": self.job_ids[event.job],
                "from_workplace": self._workplace_name(old.workplace),
                "to_workplace": self._workplace_name(new.workplace),
            }
        if event.job is not None:
            job = self.plan.jobs[event.job]
            return {
                "employment": self.job_ids[event.job],
                "employer": world.employers[job.employer].name,
                "workplace": self._workplace_name(job.workplace),
                "job_category": job.job_category,
                "hours": str(job.hours),
                "pay_band": job.pay_band,
                "started_on": job.started_on.isoformat(),
            }
        if event.position is not None:
            position = self.plan.positions[event.position]
            return {
                "position": self.position_ids[event.position],
                "role": self.roles[position.role].name,
            }
        return event.data

    def events(self) -> None:
        events = [
            MembershipEvent(
                membership_id=self.membership_ids[index],
                kind=event.kind,
                effective_on=event.effective_on,
                status_from=event.status_from,
                status_to=event.status_to,
                reason=event.reason,
                data=self._event_data(event),
            )
            for index, member in enumerate(self.plan.members)
            for event in member.events
        ]
        MembershipEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)
        self.counts["events"] = len(events)


@transaction.atomic
def demo_write(plan: DemoPlan) -> DemoSummary:
    """Write ``plan`` into an empty register, in bulk, in one transaction."""
    started = time.monotonic()
    contents = demo_register_contents()
    if contents:
        raise DemoError(f"The register is not empty: it has {', '.join(contents)}.")
    writer = _Writer(plan)
    writer.world()
    writer.users()
    writer.members()
    writer.events()
    # The disputes demo that follows, in the same transaction, joins these tables.
    planner_statistics_refresh(
        for_models=(
            Region,
            Branch,
            Employer,
            Workplace,
            Person,
            Membership,
            Employment,
            Position,
            MembershipEvent,
        )
    )
    numbers = [int(m.membership_number) for m in plan.members if m.membership_number]
    if numbers:
        services.membership_number_sequence_raise_to(at_least=max(numbers))
    by_status: dict[str, int] = {}
    for member in plan.members:
        by_status[member.status] = by_status.get(member.status, 0) + 1
    counts = writer.counts
    return DemoSummary(
        members=counts["memberships"],
        by_status=by_status,
        employers=counts["employers"],
        workplaces=counts["workplaces"],
        regions=counts["regions"],
        branches=counts["branches"],
        employments=counts["employments"],
        positions=counts["positions"],
        events=counts["events"],
        seconds=time.monotonic() - started,
    )


def demo_build(
    *, members: int = DEFAULT_MEMBERS, seed: int = DEFAULT_SEED
) -> DemoSummary:
    """Plan the demo union and write it into the (empty) register, then its
    industrial action (``tolpuddle.disputes.demo``: dated from today), in one
    transaction."""
    from tolpuddle.disputes.demo import demo_disputes_build

    started = time.monotonic()
    with transaction.atomic():
        summary = demo_write(demo_plan(members=members, seed=seed))
        action = demo_disputes_build(seed=seed)
    return dataclasses.replace(
        summary, industrial_action=action, seconds=time.monotonic() - started
    )


# --- Describing the sign-ins --------------------------------------------------------


@dataclass(frozen=True)
class SignInRow:
    username: str
    email: str
    password: str
    who: str
    second_factor: bool


def demo_signin_rows() -> list[SignInRow]:
    """The demo's sign-ins that exist in the database, each described from its rows."""
    users = {
        user.username: user
        for user in User.objects.filter(username__in=[s.username for s in DEMO_SIGNINS])
    }
    rows = []
    for signin in DEMO_SIGNINS:
        user = users.get(signin.username)
        if user is None:
            continue
        rows.append(
            SignInRow(
                signin.username,
                user.email,
                DEMO_PASSWORD,
                _describe(user, signin),
                signin.needs_second_factor,
            )
        )
    return rows


def _describe(user: User, signin: DemoSignIn) -> str:
    name = user.get_full_name() or user.username
    membership = (
        Membership.objects.filter(person__user=user).select_related("branch").first()
    )
    if membership is None:
        staff = "staff sign-in, not a member" if user.is_staff else "not a member"
        return f"{signin.who}: {name} ({staff})"
    parts = [f"{signin.who}: {name}"]
    if membership.membership_number:
        parts.append(f"membership number {membership.membership_number}")
    if membership.branch is not None:
        parts.append(f"{membership.branch.name} branch")
    positions = (
        Position.objects.filter(membership=membership, ended_on__isnull=True)
        .select_related("role", "workplace", "workplace__employer", "branch")
        .order_by("role__scope", "role__name", "started_on")
    )
    for position in positions:
        if position.workplace is not None:
            workplace = position.workplace
            where = f"at {workplace.name} ({workplace.employer.name})"
        elif position.branch is not None:
            where = f"of {position.branch.name} branch"
        else:
            where = "of the union"
        role = position.role.name.lower()
        parts.append(f"{role} {where} since {position.started_on:%d/%m/%Y}")
    return ", ".join(parts)
