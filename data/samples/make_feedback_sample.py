"""Write data/samples/library-feedback-sample.csv: a SYNTHETIC customer feedback survey export.

Every response, branch and comment in the output is made up by this script (fixed seed), for
practice in the customer feedback activity (notebook 08). The "Riverbend Regional Libraries"
council service and its branches are fictional. The file imitates an Excel CSV export of an online
form: a byte-order mark, Windows line endings, a day/month/year Timestamp, text agreement answers
with a few numbers, blanks, "N/A" and stray values ("Sometimes") mixed in, a 0-10 recommend score, a
multi-select "services used" column joined with ";", and free-text comments.

Run from the repository root:  python data/samples/make_feedback_sample.py
"""

from __future__ import annotations

import csv
import random
from datetime import datetime, timedelta
from pathlib import Path

SEED = 20261031
OUT = Path(__file__).resolve().parent / "library-feedback-sample.csv"
START = datetime(2025, 11, 1)
END = datetime(2026, 10, 31, 20, 0)
N = 504

BRANCHES = {"Riverbend": 0.32, "Northgate": 0.26, "Mill Street": 0.22, "Harbourside": 0.20}
RESPONDENTS = {"Adult borrower": 0.42, "Parent or carer": 0.2, "Student": 0.18, "Senior": 0.14,
               "Visitor / non-member": 0.06}
SERVICES = ["Loans and holds", "Programs and events", "Computers and wifi", "Study spaces", "eResources"]
ITEMS = {
    "Staff were friendly and helpful": 0.75,
    "The library was open when I needed it": 0.2,
    "I found what I was looking for": 0.35,
    "Computers and wifi worked well": 0.0,
    "The library was clean, comfortable and quiet enough": 0.15,
}
LABELS = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
SCHOOL_HOLIDAY_MONTHS = {1, 4, 7, 10}

COMMENTS = {
    "staff": ["The staff at the desk were so friendly and patient with me.",
              "Thank you to the librarian who helped me set up the Libby app on my phone.",
              "Staff went out of their way to find a book for my son's school project.",
              "One staff member was a bit short with me when I asked about my holds.",
              "Always a warm welcome, the team know my name now!"],
    "hours": ["Please open later on Thursdays, I can't get there before 6pm after work.",
              "Sunday opening hours would make a big difference for families.",
              "Closed on the public holiday Monday with no notice on the website.",
              "Wish the branch opened earlier on Saturday mornings."],
    "noise": ["The study area gets really noisy after school, hard to concentrate.",
              "Too loud in the quiet zone during school holidays, people taking phone calls.",
              "Would love a properly silent study room for exam time."],
    "wifi": ["Wifi kept dropping out while I was doing my TAFE assignment.",
             "The public computers are slow and the printer jammed twice.",
             "Couldn't log in to the wifi, the password on the sign was out of date.",
             "Printing from my laptop was confusing, needed staff help."],
    "collection": ["Holds arrive quickly, great service.",
                   "More large print and audiobooks please.",
                   "The eResources are brilliant, I borrow ebooks every week.",
                   "Waiting list for new titles is very long.",
                   "Would like more books in Vietnamese and Arabic."],
    "programs": ["The school holidays program was fantastic, the kids loved the robotics workshop.",
                 "Storytime is the highlight of our week.",
                 "Rhyme time is always booked out, could you run a second session?",
                 "The author talk was excellent, more events like that please.",
                 "Tech help sessions for seniors have been really useful."],
    "fees": ["Being charged for a lost card replacement seemed unfair.",
             "Glad there are no overdue fines any more."],
    "parking": ["Parking is a nightmare on market day.",
                "The car park is always full, hard to drop off returns.",
                "Need a bike rack near the entrance."],
    "clean": ["The toilets need cleaning more often.",
              "Air con was freezing in the study area.",
              "Lovely clean, bright space."],
    "access": ["The lift was out of order for a week, hard with a pram.",
               "Thanks for the hearing loop at the desk.",
               "The ramp at the side entrance is steep for wheelchair users."],
    "general": ["Great library, keep it up.", "Love this place.", "All good thanks", "nothing to add",
                "Very happy with the service overall.", "Good."],
}


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _when(rng: random.Random) -> datetime:
    day = START + timedelta(days=rng.randrange((END - START).days + 1))
    # Surveys cluster in opening hours; the Timestamp is the form's submit time.
    return day.replace(hour=rng.randint(9, 19), minute=rng.randrange(60))


def _rating(rng: random.Random, mood: float, lift: float) -> int:
    value = round(rng.gauss(3.6 + mood + lift, 0.9))
    return min(5, max(1, value))


def _row(rng: random.Random) -> list[str]:
    when = _when(rng)
    branch = _pick(rng, BRANCHES)
    respondent = _pick(rng, RESPONDENTS)
    services = sorted(rng.sample(SERVICES, rng.choice([1, 1, 1, 2, 2, 3])), key=SERVICES.index)
    mood = rng.gauss(0, 0.6)
    answers = []
    for item, lift in ITEMS.items():
        if item.startswith("Computers") and branch == "Northgate":
            lift -= 0.9  # Northgate's ageing computers and patchy wifi show up in the data
        if item.startswith("The library was clean") and when.month in SCHOOL_HOLIDAY_MONTHS:
            lift -= 0.6  # busier and noisier in school holidays
        if item.startswith("Computers") and "Computers and wifi" not in services and rng.random() < 0.45:
            answers.append(rng.choice(["N/A", "", "N/A"]))
            continue
        value = _rating(rng, mood, lift)
        roll = rng.random()
        if roll < 0.04:
            answers.append("")
        elif roll < 0.07:
            answers.append(str(value))  # an older version of the form stored numbers
        elif roll < 0.075:
            answers.append(rng.choice(["Sometimes", "agree", "STRONGLY AGREE "]))
        else:
            answers.append(LABELS[value - 1])
    score = min(10, max(0, round(rng.gauss(8.1 + 1.6 * mood, 1.5))))
    if branch == "Harbourside" and rng.random() < 0.2:
        score = max(0, score - 3)
    recommend = rng.choices([str(score), "", "N/A"], weights=[0.93, 0.05, 0.02])[0]
    comment = _comment(rng, branch, services, when, mood)
    return [when.strftime("%d/%m/%Y %H:%M"), branch, respondent, ";".join(services), *answers, recommend, comment]


def _comment(rng: random.Random, branch: str, services: list[str], when: datetime, mood: float) -> str:
    if rng.random() < 0.45:
        return ""
    topics = ["staff", "collection", "general", "hours"]
    if "Computers and wifi" in services or branch == "Northgate":
        topics += ["wifi", "wifi"]
    if "Study spaces" in services:
        topics += ["noise", "clean"]
    if "Programs and events" in services or when.month in SCHOOL_HOLIDAY_MONTHS:
        topics += ["programs", "programs"]
    if branch == "Harbourside":
        topics += ["parking", "parking"]
    topics += ["fees", "access"]
    text = rng.choice(COMMENTS[rng.choice(topics)])
    if rng.random() < 0.1:
        text = text.lower().rstrip(".")
    return text


def main() -> None:
    rng = random.Random(SEED)
    header = ["Timestamp", "Branch", "Respondent type", "Services used today", *ITEMS,
              "How likely are you to recommend the library to a friend? (0-10)", "Any other comments?"]
    rows = sorted((_row(rng) for _ in range(N)), key=lambda r: datetime.strptime(r[0], "%d/%m/%Y %H:%M"))
    rows[17][1] = " Riverbend"  # a stray space, as hand-edited exports have
    rows[240][0] = ""            # a response with no timestamp
    with OUT.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows([header, *rows])
    print(f"wrote {len(rows)} synthetic responses to {OUT}")


if __name__ == "__main__":
    main()
