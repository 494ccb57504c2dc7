"""Commercial and link spam: weighted signals, each named in the hold reason.

A toxicity model is not a spam filter: spam is polite. One signal alone (a link to a
source, a story about a casino licence) is ordinary in a news discussion, so signals are
weighted and a comment is held when their weight reaches the threshold in conf.py.
"""

import re
from dataclasses import dataclass

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
    r"(?:store|shop)|lonely tonight|link in (?:my )?bio|replica (?:watches|rolex|bags))\b",
}
COMPILED = {label: re.compile(pattern) for label, pattern in PHRASES.items()}


@dataclass(frozen=True)
class SpamSignals:
    weight: int
    signals: list[str]


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
        found.append(("phone number", 1))
    if MESSENGER.search(folded) or HANDLE.search(folded):
        found.append(("messenger handle", 1))
    if CONTACT_ME.search(folded):
        found.append(("asks to be contacted", 1))
    if MONEY.search(folded):
        found.append(("earnings claim", 2))
    for label, pattern in COMPILED.items():
        hits = {match.group(0) for match in pattern.finditer(folded)}
        if hits:
            strong = label in {"pills", "crypto give-away"}
            found.append((label, 2 if strong else min(len(hits), 2)))
    return SpamSignals(
        weight=sum(weight for _, weight in found), signals=[label for label, _ in found]
    )
