"""Commercial and link spam: weighted signals, each named in the hold reason.

A toxicity model is not a spam filter: spam is polite. One signal alone (a link to a
source, a story about a casino licence) is ordinary in a news discussion, so signals are
weighted and a comment is held when their weight reaches the site's threshold (conf.Limits).
Besides the text, a reader's history counts: a link in their first comment, the same link
on several stories, an account whose comments are mostly links.
"""

import re
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.core.cache import cache
from django.utils import timezone

from broadsheet.core.cache import CacheUnavailableError
from broadsheet.moderation.matching import fold

URL = re.compile(
    r"(?:https?://|www\.)\S+|\b[a-z0-9-]+\.(?:com|net|org|biz|info|io|co|xyz|top|shop|"
    r"online|site|club|vip|bet|casino|ru|cn|tk|ly|me|us|uk)(?:/\S*)?\b"
)
SHORTENER = re.compile(
    r"\b(?:bit\.ly|tinyurl\.com|t\.co|goo\.gl|ow\.ly|is\.gd|cutt\.ly|rb\.gy|shorturl\.at|"
    r"t\.me|wa\.me|linktr\.ee)\b"
)
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b")
# Nine or more digits in a row, allowing the separators people put in phone numbers.
PHONE = re.compile(r"(?<![\w.,])\+?\(?\d[\d\s().-]{7,}\d(?![\w.,]\d)")
MESSENGER = re.compile(
    r"\b(?:whats\s?app|telegram|signal|wechat|viber|kik|snapchat|skype|wickr|line id|icq)\b"
)
CONTACT_ME = re.compile(
    r"\b(?:dm|message|text|contact|add|reach|call|whatsapp|email|e-mail)\s+(?:me|us|him|her)\b"
)
HANDLE = re.compile(r"(?<![\w.])@[a-z0-9_]{4,}\b")

MONEY = re.compile(
    r"(?:\$|£|€|usd|eur|gbp)\s?\d[\d,.]*\s?k?\s*(?:per|a|an|each|every|/)\s*"
    r"(?:hour|day|week|month)|\d[\d,.]*\s?(?:dollars|pounds|euros)\s*(?:per|a|every)\s*"
    r"(?:hour|day|week|month)"
)
PHRASES = {
    "earning scheme": r"\b(?:work(?:ing)? from home|make money (?:online|from home|fast)|earn "
    r"(?:money|cash|extra|up to)|extra income|passive income|be your own boss|financial freedom|"
    r"side hustle|i (?:make|earn|made|earned) \$|my (?:aunt|uncle|cousin|neighbou?r|friend|"
    r"sister|brother|mom|mum) (?:makes|earns|made|earned))",
    "pills": r"\b(?:viagra|cialis|levitra|tramadol|xanax|oxycodone|valium|adderall|"
    r"phentermine|online pharmacy|no prescription|without (?:a )?prescription|diet pills|"
    r"weight loss pills?|male enhancement|keto pills?|cbd gumm(?:y|ies))\b",
    "gambling": r"\b(?:online casino|casino bonus|free spins|no deposit bonus|sports? betting "
    r"tips|betting tips|jackpot|slots? (?:online|bonus|games?)|sign[- ]up bonus|bet now|"
    r"play now|poker online|bookmaker)\b",
    "crypto pitch": r"\b(?:bitcoin|btc|eth|ethereum|crypto|usdt|nft|forex|binary options?)\b"
    r".{0,60}\b(?:profits?|returns?|invest(?:ed|ing|ment)?|signals?|trading platform|"
    r"account manager|wallet)\b|\btrading platform\b|\b(?:returns?|money|investment|profits?)"
    r" (?:doubled|tripled)\b",
    "crypto give-away": r"\b(?:bitcoin|btc|eth|ethereum|crypto|usdt)\b.{0,40}\b(?:give-?away|"
    r"airdrop)\b|\b(?:give-?away|airdrop)\b.{0,40}\b(?:bitcoin|btc|eth|ethereum|crypto|usdt)\b|"
    r"\bdouble your (?:bitcoin|btc|crypto|money|investment)\b|\b(?:send|deposit)\b.{0,30}"
    r"\b(?:btc|bitcoin|eth|usdt)\b|\bguaranteed (?:profit|returns?|income)\b|\bairdrop\b",
    "sales pitch": r"\b(?:buy now|order now|click here|visit (?:my|our) (?:site|website|page|"
    r"profile|store|shop)|check (?:out )?my (?:profile|page|bio|site|website|channel)|limited "
    r"offer|special offer|discount code|promo code|100% (?:free|guaranteed|legit)|cheap(?:est)? "
    r"(?:price|deals?)|free trial|best prices?|hot singles|dating site|loan (?:offer|approved)|"
    r"instant loans?|credit repair|seo services|followers|subscribers? for|(?:our|my) online "
    r"(?:store|shop)|lonely tonight|link in (?:my )?bio|link in (?:my )?profile|"
    r"replica (?:watches|rolex|bags)|\d+% off|fast (?:uk )?delivery|order (?:at|now|today)|"
    r"apply (?:now|today|at)|join (?:free|now)|today only|limited time)\b",
    "asks for bank details": r"\b(?:(?:your|ur) (?:bank|card|account|payment|login) "
    r"(?:details|number|info)|sort code|pin number|verify your (?:account|identity|payment)|"
    r"update your (?:payment|billing|card))\b",
    "bought credentials": r"\b(?:(?:degree|diploma|uni(?:versity)?|phd) (?:certificates?|"
    r"in \d+ days)|online (?:degrees?|diplomas?)|genuine (?:online )?(?:degree|diploma)|"
    r"(?:fake|novelty|buy (?:a )?) ?(?:ids?|passports?|diplomas?|degrees?)|"
    r"(?:driving )?licen[cs]e without (?:the |a )?(?:test|exam))\b",
    "prize claim": r"\b(?:congratulations|congrats|winner|you(?:ve| have)? (?:won|been (?:selected|"
    r"chosen))|lucky (?:winner|visitor)|claim (?:your|the|it|now|at)|collect your (?:reward|prize)|"
    r"(?:cash|a) prize|(?:free|a) (?:gift card|voucher)|giveaway|give-away|bonus draw|"
    r"lottery (?:win|bonus|prize)|reward at|(?:receive|get) your (?:prize|reward|winnings))\b",
    "loan offer": r"\b(?:(?:quick|fast|instant|payday|personal|private|easy|cash) (?:cash )?loans?|"
    r"loans? (?:up to|approved|offer|fast|at \d)|bad credit|no credit checks?|credit score|"
    r"same day payout|private lender|payday advance|cash advance|need (?:a )?(?:loan|cash)\b)",
    "free media": r"\b(?:watch|stream|download|streaming)\b.{0,40}\b(?:free|hd|live)\b.{0,40}"
    r"\b(?:movies?|films?|match|matches|episodes?|series|games?|audiobooks?)\b|\bfree "
    r"(?:movies?|films?|netflix|streaming|audiobooks?|games?|iphone|ipad)\b|\b(?:movies?|films?) "
    r"(?:free|online)\b|\bstream every\b",
    "miracle cure": r"\b(?:one (?:weird|simple|strange) trick|doctors (?:hate|are stunned|stunned)|"
    r"dermatologists (?:hate|stunned)|miracle (?:cure|cream|pill|serum)|melts? (?:belly )?fat|"
    r"burn fat|lose \d+ ?(?:kg|lbs?|pounds|stone)|lose weight (?:fast|without)|"
    r"(?:reverse|cure) your \w+ naturally|hair growth|wrinkles overnight|keto secret)\b",
}
COMPILED = {label: re.compile(pattern) for label, pattern in PHRASES.items()}


# Top-level domains that cost almost nothing and carry most link spam.
CHEAP_TLD = re.compile(
    r"\b[a-z0-9-]+\.(?:xyz|top|shop|online|site|club|vip|bet|casino|loans?|stream|live|"
    r"icu|buzz|click|link|win|monster|rest|cam|info|biz)\b"
)
CALL_TO_PHONE = re.compile(r"\b(?:call|ring|text|phone|whatsapp|sms)\b")


@dataclass(frozen=True)
class SpamSignals:
    weight: int
    signals: list[str]

    def plus(self, other: "SpamSignals") -> "SpamSignals":
        return SpamSignals(self.weight + other.weight, self.signals + other.signals)


def domains(text: str) -> set[str]:
    """The host names the links in `text` point to, without "www."."""
    found = set()
    for url in URL.findall(fold(text)):
        host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
        host = host.removeprefix("www.").rstrip(".")
        if host:
            found.add(host)
    return found


BLOCKLIST_KEY = "moderation:blocked-domains-version"
_blocked: tuple[int, frozenset[str]] | None = None


def blocklist_changed() -> None:
    """Call after a domain is blocked or unblocked: every process reads the list again.

    As with the word lists, raises CacheUnavailableError while the shared store is down,
    so that the change is not made.
    """
    try:
        cache.incr(BLOCKLIST_KEY)
    except ValueError:  # no stamp yet
        cache.add(BLOCKLIST_KEY, time.time_ns(), timeout=None)


def _read_blocklist() -> frozenset[str]:
    from broadsheet.moderation.models import BlockedDomain

    return frozenset(BlockedDomain.objects.values_list("domain", flat=True))


def blocked_domains() -> frozenset[str]:
    """The domains moderators blocked, read again only when they change them."""
    global _blocked
    version = cache.get(BLOCKLIST_KEY)
    if version is None:
        try:
            cache.add(BLOCKLIST_KEY, time.time_ns(), timeout=None)
        except CacheUnavailableError:
            return _read_blocklist()  # no shared stamp: only the database is current
        version = cache.get(BLOCKLIST_KEY)
        if version is None:
            return _read_blocklist()
    if _blocked is None or _blocked[0] != int(version):
        _blocked = (int(version), _read_blocklist())
    return _blocked[1]


def is_blocked(host: str, blocked: frozenset[str]) -> bool:
    """Whether `host` or a domain it belongs to ("x.spam.example" in "spam.example") is blocked."""
    parts = host.split(".")
    return any(".".join(parts[i:]) in blocked for i in range(len(parts) - 1))


def links(text: str) -> int:
    """How many links `text` holds (full URLs and bare domains)."""
    return len(URL.findall(fold(text)))


def signals(text: str) -> SpamSignals:
    """The spam signals in `text` and their total weight."""
    folded = fold(text)
    found: list[tuple[str, int]] = []
    link_count = len(URL.findall(folded))
    if link_count >= 3:
        found.append(("link-heavy", 2))
    elif link_count:
        found.append(("link", 1))
    if SHORTENER.search(folded):
        found.append(("short link", 2))
    if EMAIL.search(folded):
        found.append(("e-mail address", 1))
    if sum(char.isdigit() for char in "".join(PHONE.findall(folded))) >= 9:
        found.append(("phone number", 2 if CALL_TO_PHONE.search(folded) else 1))
    hosts = domains(text)
    if any(CHEAP_TLD.fullmatch(host) or CHEAP_TLD.search(host) for host in hosts):
        found.append(("cheap domain", 1))
    blocked = blocked_domains()
    if blocked and any(is_blocked(host, blocked) for host in hosts):
        found.append(("blocked domain", 2))
    if MESSENGER.search(folded) or HANDLE.search(folded):
        found.append(("messenger handle", 1))
    if CONTACT_ME.search(folded):
        found.append(("asks to be contacted", 1))
    if MONEY.search(folded):
        found.append(("earnings claim", 2))
    for label, pattern in COMPILED.items():
        hits = {match.group(0) for match in pattern.finditer(folded)}
        if hits:
            strong = label in {
                "pills", "crypto give-away", "loan offer", "miracle cure",
                "asks for bank details", "bought credentials",
            }  # fmt: skip
            found.append((label, 2 if strong else min(len(hits), 2)))
    return SpamSignals(
        weight=sum(weight for _, weight in found), signals=[label for label, _ in found]
    )


def reader_signals(author: Any, story: Any, text: str, editing: Any = None) -> SpamSignals:
    """Signals from the reader's history: the same link elsewhere, an account of links.

    (A link in a reader's first comments is the new-reader rule's, in pipeline.py.)
    """
    from broadsheet.comments.models import Comment

    hosts = domains(text)
    if not hosts or not getattr(author, "pk", None):
        return SpamSignals(0, [])
    found: list[tuple[str, int]] = []
    previous = Comment.objects.filter(author=author)
    if editing is not None:
        previous = previous.exclude(pk=editing.pk)
    recent = list(
        previous.filter(created_at__gte=timezone.now() - timedelta(days=30))
        .order_by("-created_at")
        .values_list("story_id", "body")[:50]
    )
    elsewhere = {
        story_id
        for story_id, body in recent
        if story_id != getattr(story, "pk", None) and hosts & domains(body)
    }
    if elsewhere:
        found.append((f"same link on {len(elsewhere) + 1} stories", 2))
    with_links = sum(bool(URL.search(fold(body))) for _, body in recent)
    if len(recent) >= 3 and with_links / len(recent) > 0.5:
        found.append(("mostly links", 1))
    return SpamSignals(sum(w for _, w in found), [label for label, _ in found])
