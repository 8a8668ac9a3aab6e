"""The region-specific function questionnaires: LEFS (lower extremity), VISA-A (Achilles),
AKPS (knee, patellofemoral), FAAM ADL and Sports (foot and ankle)."""

from __future__ import annotations

from .base import Measure, _numbered

LEFS = Measure(
    code="LEFS",
    name="Lower Extremity Functional Scale",
    items=_numbered(20),  # Binkley 1999, Phys Ther 79:371: 20 activities
    labels=(
        "Usual work, housework or school",
        "Usual hobbies, recreation or sport",
        "Getting into or out of the bath",
        "Walking between rooms",
        "Putting on shoes or socks",
        "Squatting",
        "Lifting an object from the floor",
        "Light activities around the home",
        "Heavy activities around the home",
        "Getting into or out of a car",
        "Walking 2 blocks",
        "Walking a mile",
        "Going up or down 10 stairs",
        "Standing for 1 hour",
        "Sitting for 1 hour",
        "Running on even ground",
        "Running on uneven ground",
        "Sharp turns while running fast",
        "Hopping",
        "Rolling over in bed",
    ),
    item_range=(0, 4),  # Binkley 1999, Phys Ther 79:371: 0 = extreme difficulty … 4 = none
    # Binkley 1999, Phys Ther 79:371 (DOMAIN.md §1): 0 = extreme difficulty/unable … 4 = none
    anchors=("extreme difficulty or unable to perform the activity", "no difficulty"),
    maximum=80,  # Binkley 1999, Phys Ther 79:371: sum 0–80
    higher_is_better=True,
    mcid=9,  # Abbott & Schmitt, JOSPT 2014;44:560: MID 9 (small) to 16 (large)
    mdc=9,  # Abbott & Schmitt, JOSPT 2014;44:560: MDC90 9 points
    sources=("Binkley 1999, Phys Ther 79:371", "Abbott & Schmitt 2014, JOSPT 44:560"),
)

VISA_A = Measure(
    code="VISA-A",
    name="Victorian Institute of Sport Assessment – Achilles",
    items=(*_numbered(7), "8A", "8B", "8C"),  # Robinson 2001, BJSM 35:335
    labels=(
        "Morning stiffness",
        "Pain stretching the tendon over a step",
        "Pain after 30 minutes walking on the flat",
        "Pain walking downstairs",
        "Pain with 10 single-leg heel raises",
        "Single-leg hops without pain",
        "Current sport or physical activity",
        "Loading sport without pain: how long",
        "Loading sport with pain that does not stop it: how long",
        "Loading sport with pain that stops it: how long",
    ),
    item_range=(0, 10),  # Robinson 2001, BJSM 35:335: items 1–6 score 0–10
    choices=(
        ("7", (0, 4, 7, 10)),  # Robinson 2001, BJSM 35:335
        # Robinson 2001, BJSM 35:335: nil, 1–10, 11–20, 21–30, >30 minutes
        ("8A", (0, 7, 14, 21, 30)),
        ("8B", (0, 4, 10, 14, 20)),
        ("8C", (0, 2, 5, 7, 10)),
    ),
    maximum=100,  # Robinson 2001, BJSM 35:335: 100 = no symptoms
    higher_is_better=True,
    # DOMAIN.md section 1: one MCID per condition, never one for both.
    mcid_by_condition=(
        # Insertional: 6.5 (McCormack 2015, IJSPT 10:639).
        ("achilles_insertional", 6.5),
        # Mid-portion: 14 points over 12 weeks (95 % CI 3-19; 7 over 24 weeks), "VISA-A
        # Questionnaire - Minimal Clinically Important Difference for Active People With
        # Midportion Achilles Tendinopathy: A Prospective Cohort Study", JOSPT 2021 Oct
        # (61 patients). 12 weeks is the length of the Alfredson and HSR programs.
        ("achilles_midportion", 14),
    ),
    branches=("8A", "8B", "8C"),  # Robinson 2001, BJSM 35:335: exactly one branch of item 8
    branch_item="8",
    sources=(
        "Robinson 2001, BJSM 35:335",
        "McCormack 2015, IJSPT 10:639 (MCID, insertional)",
        "JOSPT 2021;51(10), VISA-A MCID in midportion Achilles tendinopathy (61 patients)",
    ),
)

AKPS = Measure(
    code="AKPS",
    name="Anterior Knee Pain Scale (Kujala)",
    items=_numbered(13),  # Kujala 1993: 13 items
    labels=(
        "Limp",
        "Support",
        "Walking",
        "Stairs",
        "Squatting",
        "Running",
        "Jumping",
        "Prolonged sitting with knees bent",
        "Pain",
        "Swelling",
        "Abnormal painful kneecap movements",
        "Thigh muscle atrophy",
        "Knee flexion deficiency",
    ),
    # Allowed points per item, best first, as tabulated in J Orthop 2023;42:54 (PMC10362729).
    choices=(
        ("1", (5, 3, 0)),
        ("2", (5, 3, 0)),
        ("3", (5, 3, 2, 0)),
        ("4", (10, 8, 5, 0)),
        ("5", (5, 4, 3, 2, 0)),
        ("6", (10, 8, 6, 3, 0)),
        ("7", (10, 7, 2, 0)),
        ("8", (10, 8, 6, 4, 0)),
        ("9", (10, 8, 6, 3, 0)),
        ("10", (10, 8, 6, 4, 0)),
        ("11", (10, 6, 4, 2, 0)),
        ("12", (5, 3, 0)),
        ("13", (5, 3, 0)),
    ),
    maximum=100,  # Kujala 1993: sum 0–100
    higher_is_better=True,
    mcid=10,  # Crossley 2004, Arch Phys Med Rehabil 85:815
    sources=(
        "Kujala 1993",
        "J Orthop 2023;42:54 (PMC10362729)",
        "Crossley 2004, Arch Phys Med Rehabil 85:815",
    ),
)

FAAM_ADL = Measure(
    code="FAAM-ADL",
    name="Foot and Ankle Ability Measure – Activities of Daily Living",
    items=_numbered(21),  # Martin 2005, Foot Ankle Int 26:968: 21 items
    labels=(
        "Standing",
        "Walking on even ground",
        "Walking on even ground without shoes",
        "Walking up hills",
        "Walking down hills",
        "Going up stairs",
        "Going down stairs",
        "Walking on uneven ground",
        "Stepping up and down curbs",
        "Squatting",
        "Coming up on your toes",
        "Walking initially",
        "Walking 5 minutes or less",
        "Walking about 10 minutes",
        "Walking 15 minutes or more",
        "Home responsibilities",
        "Activities of daily living",
        "Personal care",
        "Light to moderate work",
        "Heavy work",
        "Recreational activities",
    ),
    item_range=(0, 4),  # Martin 2005, Foot Ankle Int 26:968: 4 = no difficulty … 0 = unable
    anchors=("unable", "no difficulty"),  # Martin 2005 (DOMAIN.md §1)
    maximum=84,  # Martin 2005: 21 items × 4 when all are answered
    higher_is_better=True,
    mcid=8,  # Martin 2005, Foot Ankle Int 26:968: MCID 8 percentage points
    rule="min_answered",
    min_answered=19,  # Martin 2005, Foot Ankle Int 26:968: ≥ 90 % answered, 19 of 21
    sources=("Martin 2005, Foot Ankle Int 26:968",),
)

FAAM_SPORTS = Measure(
    code="FAAM-SPORTS",
    name="Foot and Ankle Ability Measure – Sports",
    items=_numbered(8),  # Martin 2005, Foot Ankle Int 26:968: 8 items
    labels=(
        "Running",
        "Jumping",
        "Landing",
        "Starting and stopping quickly",
        "Cutting and side-to-side movements",
        "Low-impact activities",
        "Sport with your normal technique",
        "Sport for as long as you like",
    ),
    item_range=(0, 4),  # Martin 2005, Foot Ankle Int 26:968: 4 = no difficulty … 0 = unable
    anchors=("unable", "no difficulty"),  # Martin 2005 (DOMAIN.md §1)
    maximum=32,  # Martin 2005: 8 items × 4 when all are answered
    higher_is_better=True,
    mcid=9,  # Martin 2005, Foot Ankle Int 26:968: MCID 9 percentage points
    rule="min_answered",
    min_answered=7,  # Martin 2005, Foot Ankle Int 26:968 (as given in DOMAIN.md): 7 of 8
    sources=("Martin 2005, Foot Ankle Int 26:968",),
)
