"""Demo sections and stories, written by us."""

from datetime import timedelta

from django.utils import timezone
from django.utils.text import slugify

from broadsheet.accounts.models import User
from broadsheet.stories.markdown import render_story_body
from broadsheet.stories.models import Section, Story, Topic

SECTIONS = [("World", "world"), ("Politics", "politics"), ("Business", "business"),
            ("Science", "science"), ("Culture", "culture")]  # fmt: skip

STORIES = [
    {
        "slug": "japan-quietly-helped-former-north-korean-official-return",
        "topics": ["North Korea", "Japan", "Asylum"],
        "section": "world",
        "headline": "Japan quietly helped a former North Korean official return in 1999",
        "dek": "The man, who had moved to North Korea under a Red Cross resettlement "
        "scheme, was sheltered at a Japanese mission in China before Tokyo let him back.",
        "byline": "Foreign desk",
        "dateline": "TOKYO",
        "hours_ago": 3,
        "body": """\
Japan's government let a North Korean government official come back to Japan in 1999
after he sought refuge at one of its diplomatic offices in China, according to people
familiar with the case who spoke on Sunday. The official has not been identified.

Officials in Tokyo treated the man as "quasi-Japanese". He was among roughly 95,000 former
Korean residents of Japan who, together with their Japanese spouses, moved to North Korea
between December 1959 and July 1984 under a programme run by the Red Cross societies of the
two countries.

The people familiar with the matter said the decision to shelter him appears to have been
meant to avoid a dispute with China, which has an arrangement with Pyongyang to send back
North Koreans who ask for asylum.

More than 20 people who took part in the programme have since made their way back to
Japan. This is the first known case in which the Japanese government itself arranged the
return.

According to the same account, the man left North Korea, approached a Japanese diplomatic
office in China and asked to go back to Japan. Tokyo agreed once it had confirmed that he
had indeed lived in Japan before. Officials are also said to have hoped he could tell them
about conditions inside North Korea.

The government wanted the case kept out of the news, fearing that publicity would prompt
more asylum requests and damage its dealings with Pyongyang. Japan and North Korea have no
diplomatic relations.

Records of the programme show 93,340 Korean residents of Japan and about 1,800 Japanese
spouses leaving for North Korea between 1959 and 1984. Specialists on the country say many
of those who went from Japan were later persecuted, and expect more of them to try to
return.
""",
    },
    {
        "slug": "city-council-approves-night-bus-network",
        "topics": ["Transport", "City council"],
        "authors": ["editor@example.com"],
        "section": "politics",
        "headline": "Council approves a night bus network after a year of delays",
        "dek": "Six routes will run until 4 a.m. from March, paid for by a parking levy.",
        "byline": "City hall reporter",
        "hours_ago": 9,
        "body": """\
The city council voted 31 to 12 on Thursday to launch six night bus routes from March,
ending a year of argument over how to pay for them.

The routes will link the central station with the hospital district, the university and
the three largest housing estates, with buses every 20 minutes between midnight and 4 a.m.

The service will be paid for by a levy on workplace parking spaces, which business groups
opposed. "Shift workers have been walking home in the dark for years," said the transport
committee's chair. "This is the cheapest fix we have."

Opposition councillors said the levy would push employers out of the city centre and asked
for a review after twelve months, which the council accepted.
""",
    },
    {
        "slug": "harbour-warehouses-become-housing",
        "topics": ["Housing", "Waterfront"],
        "section": "business",
        "headline": "Old harbour warehouses to become 400 homes",
        "dek": "A pension fund buys the site; a quarter of the flats will be let below market rent.",
        "byline": "Business desk",
        "hours_ago": 20,
        "premium": True,
        "body": """\
A pension fund has bought the empty warehouses on the north quay and plans to turn them
into about 400 flats, the port authority said on Wednesday.

A quarter of the homes will be let at rents fixed below the market rate for at least
twenty years, a condition the city set when it rezoned the quay last spring.

The brick buildings, which stored grain and later tobacco, have stood empty since 2009.
Their facades are listed and will be kept; the interiors will be rebuilt.

Construction is due to begin next year and take about three years. Neighbours have asked
for the quay's public footpath to stay open throughout.
""",
    },
    {
        "slug": "lake-survey-finds-return-of-native-mussels",
        "topics": ["Environment", "The lake"],
        "section": "science",
        "headline": "Native mussels are returning to the lake, survey finds",
        "dek": "Divers counted ten times as many as in 2015, a sign the water is cleaner.",
        "byline": "Science reporter",
        "hours_ago": 30,
        "body": """\
Freshwater mussels that had all but vanished from the lake are coming back, according to a
survey published by the regional water board this week.

Divers counted about ten times as many swan mussels along the survey lines as they did in
2015. The animals filter large amounts of water and are sensitive to pollution, so their
return is read as a sign that the lake is recovering.

The board credits the upgrade of two sewage works and stricter limits on fertiliser near
the shore. Researchers warn that invasive quagga mussels, first seen in 2021, could still
crowd out the native species.
""",
    },
    {
        "slug": "library-extends-opening-hours",
        "topics": ["Libraries", "City council"],
        "authors": ["editor@example.com"],
        "section": "culture",
        "headline": "Central library to open until 10 p.m. on weekdays",
        "dek": "Students and shift workers asked for later hours; a volunteer scheme makes it possible.",
        "byline": "Culture desk",
        "hours_ago": 44,
        "body": """\
The central library will stay open until 10 p.m. from Monday to Friday from next month,
three hours later than now.

A survey of 3,000 users last year found that later opening was the most requested change,
ahead of more study desks and a café. The extra hours will be staffed partly by trained
volunteers, an approach the library's union accepted after talks.

The reading rooms on the top floor, closed since a roof leak in the spring, will reopen at
the same time.
""",
    },
    {
        "slug": "budget-talks-stall-over-school-funding",
        "topics": ["Budget", "Schools"],
        "section": "politics",
        "headline": "Budget talks stall over school funding",
        "dek": "The two governing parties disagree on how much to spend on repairing school buildings.",
        "byline": "Political correspondent",
        "hours_ago": 52,
        "premium": True,
        "body": """\
Talks on next year's budget broke up without agreement late on Tuesday, after the two
governing parties failed to settle how much to spend on repairing school buildings.

One party wants a ten-year repair programme funded by borrowing; the other wants to pay
for a smaller programme by selling unused public land. Both say the other's plan is
unaffordable.

Negotiators will meet again on Friday. If there is no agreement by the end of the month,
the finance ministry will have to present a provisional budget for the first time since
2012.
""",
    },
    {
        "slug": "local-bakery-wins-national-prize",
        "topics": ["Food"],
        "section": "culture",
        "headline": "Family bakery wins the national rye bread prize",
        "dek": "A recipe kept since 1921 beats 140 entries from across the country.",
        "byline": "Culture desk",
        "hours_ago": 70,
        "body": """\
A bakery in the old town has won this year's national rye bread prize with a loaf made to a
recipe the family has kept since 1921.

The judges praised its "deep, sour crust and patient crumb". It beat 140 entries.

The bakery's owner, the fourth generation to run it, said the queue outside on Saturday
morning had already doubled. "We will not bake more," she said. "The dough takes two days.
It cannot be hurried."
""",
    },
]


def load_stories() -> dict[str, Story]:
    sections = {}
    for order, (name, slug) in enumerate(SECTIONS):
        sections[slug], _ = Section.objects.update_or_create(
            slug=slug, defaults={"name": name, "display_order": order}
        )
    stories = {}
    now = timezone.now()
    for data in STORIES:
        existing = Story.objects.filter(slug=data["slug"]).first()
        body = str(data["body"])
        values = {
            "headline": data["headline"],
            "dek": data["dek"],
            "byline": data["byline"],
            "dateline": data.get("dateline", ""),
            "section": sections[str(data["section"])],
            "body": body,
            "body_html": render_story_body(body),
            "is_premium": bool(data.get("premium", False)),
            "status": Story.Status.PUBLISHED,
        }
        if existing is None:
            values["published_at"] = now - timedelta(hours=int(str(data["hours_ago"])))
        story, _ = Story.objects.update_or_create(slug=data["slug"], defaults=values)
        topic_names: list[str] = data.get("topics", [])  # type: ignore[assignment]
        story.topics.set(
            Topic.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
            for name in topic_names
        )
        # Staff bylines appear when the demo accounts are loaded first (as seed_demo does).
        emails: list[str] = data.get("authors", [])  # type: ignore[assignment]
        story.authors.set(User.objects.filter(email__in=emails))
        stories[str(data["slug"])] = story
    return stories
