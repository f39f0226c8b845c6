"""Generate a realistic register CSV of any size, streaming, deterministic by seed."""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

COLUMNS = [
    "membership_number",
    "title",
    "first_name",
    "last_name",
    "email",
    "phone",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "date_of_birth",
    "category",
    "status",
    "joined_on",
    "branch",
    "employer",
    "workplace",
    "job_category",
    "hours",
    "pay_band",
    "employment_start",
    "payment_method",
]
FIRST = [
    "Amira",
    "Ben",
    "Chloe",
    "Dev",
    "Ellen",
    "Farid",
    "Grace",
    "Hamish",
    "Ifeoma",
    "Jack",
    "Kiran",
    "Lowri",
    "Mohammed",
    "Niamh",
    "Owen",
    "Priya",
    "Rhys",
    "Siobhan",
    "Tom",
    "Zara",
]
LAST = [
    "Adams",
    "Begum",
    "Campbell",
    "Davies",
    "Evans",
    "Fraser",
    "Gill",
    "Hughes",
    "Iqbal",
    "Jones",
    "Kelly",
    "Lewis",
    "Morgan",
    "Nowak",
    "O'Brien",
    "Patel",
    "Quinn",
    "Roberts",
    "Smith",
    "Taylor",
    "Williams",
    "Young",
]
TOWNS = [
    ("Birmingham", "B"),
    ("Cardiff", "CF"),
    ("Leeds", "LS"),
    ("Belfast", "BT"),
    ("Manchester", "M"),
    ("Bristol", "BS"),
    ("Newcastle", "NE"),
    ("London", "SE"),
]
# Ofcom's ranges for drama: valid numbers that reach nobody (about 12,000 of them).
PHONE_FORMS = [
    "0113 496 0{:03d}",
    "0114 496 0{:03d}",
    "0191 498 0{:03d}",
    "0116 496 0{:03d}",
    "0117 496 0{:03d}",
    "0118 496 0{:03d}",
    "0121 496 0{:03d}",
    "0131 496 0{:03d}",
    "+44 141 496 0{:03d}",
    "(0151) 496 0{:03d}",
    "0161 496 0{:03d}",
    "+44 20 7946 0{:03d}",
]
CATEGORIES = ["full"] * 16 + ["student", "retired", "associate"]
STATUSES = ["active"] * 18 + ["lapsed", "resigned"]
JOBS = [
    "Probation Officer",
    "Probation Services Officer",
    "Family Court Adviser",
    "Senior Probation Officer",
    "Administrator",
    "Approved Premises Residential Worker",
]


def rows(count: int, seed: int = 1):
    rng = random.Random(seed)
    for i in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        town, area = rng.choice(TOWNS)
        employer = f"Employer {i % 100:02d}"
        category = rng.choice(CATEGORIES)
        born = rng.randint(1950, 2000)
        joined = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(born + 20, 2025)}"
        working = category != "retired"
        yield [
            str(1_000_000 + i),
            rng.choice(["", "Ms", "Mr", "Mx", "Dr"]),
            first,
            last,
            f"{first.lower()}.{last.lower().replace(chr(39), '')}{i}@example.org",
            rng.choice(PHONE_FORMS).format(rng.randrange(1000)),
            f"{rng.randint(1, 300)} {rng.choice(['High', 'Station', 'Church'])} Street",
            "",
            town,
            f"{area}{rng.randint(1, 9)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
            f"{born}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            category,
            rng.choice(STATUSES),
            joined,
            f"Branch {i % 40:02d}",
            employer if working else "",
            f"Office {i % 7}" if working else "",
            rng.choice(JOBS) if working else "",
            rng.choice(["37", "18.5", "30", "22.5"]) if working else "",
            rng.choice(["Band 3", "Band 4", "Band 5"]) if working else "",
            f"{rng.randint(2000, 2025)}-01-01" if working else "",
            rng.choice(["direct_debit", "payroll", "Direct Debit", "card"]),
        ]


def write(path: Path, count: int, seed: int = 1) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(rows(count, seed))
    return path


if __name__ == "__main__":
    write(Path(sys.argv[1]), int(sys.argv[2]))
