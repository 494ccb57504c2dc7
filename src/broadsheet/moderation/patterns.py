"""Threats, incitement and dehumanising generalisations found by their shape, not by a word.

"Deserves to be shot" and "I will find where you live" contain no word that is offensive on
its own, so a word list misses them and the profanity model scores them low. These
patterns read the sentence: who acts (I, we, someone), what they intend (violence verbs),
at whom (you, him, them, a group), and forms such as "deserves to be ..." or
"hope you ...". They run over the same normalised words as the word lists (matching.tokens),
so "k1ll", "k i l l" and Cyrillic look-alikes are read as "kill".

News language describes violence in the past tense or in the third person ("the official
was shot", "threatened with deportation", "he said he would kill"), which none of the
patterns match. Words inside quotation marks are left out when the comment says something
of its own around them, so quoting abuse to condemn it is not abuse.
"""

import re
from dataclasses import dataclass

from broadsheet.moderation.categories import Category
from broadsheet.moderation.matching import tokens

# Violence a person can do to another, as a verb in its base form and as a participle.
HARM = (
    r"(?:kill|murder|shoot|stab|knife|hang|lynch|strangle|choke|drown|burn|torch|firebomb|"
    r"petrol ?bomb|bomb|gas|beat|batter|punch|kick|smash|break|slash|cut|rape|hurt|execute|"
    r"behead|bury|torture|slap|maim|cripple|end|exterminate|butcher|slaughter|shank|cap|"
    r"glass|acid|run over|string up|hunt down|take out|wipe out|put down|deal with)"
)
HARMED = (
    r"(?:killed|murdered|shot|stabbed|knifed|hanged|hung|lynched|strangled|choked|drowned|"
    r"burned|burnt|burnt alive|burned alive|torched|firebombed|bombed|gassed|beaten|battered|"
    r"punched|kicked|raped|hurt|executed|beheaded|buried|tortured|slapped|maimed|crippled|"
    r"exterminated|butchered|slaughtered|shanked|glassed|machinegunned|lined up|strung up|"
    r"put down|wiped out|taken out|culled|eradicated|hit by (?:an? )?\w+|run over|"
    r"put against a wall|"
    r"dealt with|got rid of|locked up and tortured)"
)
# Whom it is aimed at: a person, people, a group.
AT = (
    r"(?:you|u|ya|your|yours|yourself|yourselves|him|her|them|his|their|that|this|those|"
    r"these|the|all|every|everyone|everybody|some|any)"
)
INTEND = (
    r"(?:i|ill|id|im|we|well|wed|were)\s(?:will|shall|would|am|are|m|re|gonna|going to|want to|"
    r"wanna|am going to|am gonna|will personally|would happily|would gladly|could|am coming to|"
    r"swear i will|swear ill)?\s?(?:going to\s|gonna\s|to\s|personally\s|happily\s|gladly\s|"
    r"come and\s|come round and\s|come over and\s)*"
)
THREAT_PATTERNS = [
    # "I'll kill you", "we are going to burn your house", "I would happily strangle the ref"
    rf"\b{INTEND}{HARM}s? {AT}\b",
    # "he deserves to be shot", "they deserve a bullet", "deserves to die"
    rf"\bdeserve[sd]? (?:to (?:be|get) (?:\w+ )?{HARMED}|to die|(?:a |an )?(?:good |proper |"
    r"real )?(?:bullet|beating|kicking|hiding|slap|punch|knife|noose|rope|death)s?)\b",
    # "should be hanged", "must all be shot", "needs to be put down"
    rf"\b(?:should|must|ought to|needs? to|need to|has to|have to|will|gonna) (?:all )?"
    rf"(?:be|get) (?:\w+ )?{HARMED}\b",
    # "someone should shoot ...", "somebody needs to knife ...", "someone will shoot"
    rf"\b(?:someone|somebody|anyone|anybody|someone else|people) (?:should|needs to|need to|"
    rf"ought to|has to|must|will|could|would|gotta|oughta) (?:just |really |finally )?"
    rf"(?:go and |go |put a )?(?:{HARM}|bullet)\b",
    # "hope you die", "hope your kids get hit by a bus", "wish someone would stab you"
    rf"\b(?:hope|wish|pray|praying|hoping) (?:that )?(?:\w+ ){{0,5}}?(?:die|dies|dead|cancer|"
    rf"{HARMED}|burns?|burns down|{HARM}s? (?:you|u|him|her|them)|pushe?s? you|bomb lands)\b",
    # "I know where you live", "find where your kids go to school", "I know your address"
    r"\b(?:know|find|found|find out|finding|know exactly|knows) where (?:you|u|he|she|they|"
    r"your \w+|the \w+|his \w+|her \w+|their \w+) (?:live|lives|work|works|sleep|sleeps|go|"
    r"goes|stay|stays)\b",
    r"\b(?:know|got|have|found) (?:your|ur|his|her|their) (?:home )?address\b",
    # Menace without a verb of violence
    r"\b(?:watch|mind) your back\b|\byour days are numbered\b|\b(?:coming|come) for (?:you|u|"
    r"him|her|them)\b|\bwere coming\b|\b(?:hunt|track) (?:you|u|him|her|them) down\b|"
    r"\b(?:make|makes) (?:you|u) (?:pay|regret|suffer|sorry)\b|\byoull regret\b|"
    r"\byoull get whats coming\b|\bwhats coming to you\b|\byoull be found\b|"
    r"\bsee what happens to you\b|\bsleep with one eye open\b|\byoure dead meat\b|"
    r"\bill be waiting (?:outside|for you)\b|\bwaiting outside (?:the \w+ )?for you\b|"
    r"\bnever walk again\b|\bend up in (?:a|the) (?:ditch|canal|river|morgue|hospital)\b",
    # Incitement: "kill all the bankers", "shoot the lot of them", "string them up"
    r"\b(?:kill|shoot|hang|gas|bomb|burn|torch|stab|lynch|execute|exterminate|slaughter|nuke)"
    r" (?:all|every|the lot|them all|all of them|every last)\b",
    r"\b(?:kill|shoot|hang|gas|bomb|torch|stab|lynch|execute|exterminate|firebomb|string up|"
    r"round up) (?:the|those|these) (?:\w+ )?\w+s\b",
    r"\b(?:hang|shoot|stab|lynch|string up|behead) (?:him|her|them|em)\b",
    r"\b(?:burn|torch|bomb|blow up) (?:their|his|her|the|that|this|your) \w+ down\b",
    r"\bburn (?:down )?(?:their|the|that|this) (?:mosque|church|synagogue|temple|house|home|"
    r"hotel|shop|camp|office|offices)\b",
    r"\bstring (?:them|him|her|em|\w+) up\b|\b(?:line|lined) (?:them|him|her|em) up\b|"
    r"\bget the (?:rope|noose|pitchforks)\b|\bput (?:them|him|her) against a wall\b|"
    r"\bput a bullet in\b|\bbrick through (?:your|his|her|their) window\b|"
    r"\bwith a (?:baseball )?bat\b|\brun (?:them|him|her|the \w+) over\b|"
    r"\b(?:go|just|go and|should) (?:kill|hang|drown|shoot|stab|burn) (?:yourself|yourselves|"
    r"urself)\b|\bpush (?:you|him|her|them) under\b|\bill end you\b|"
    r"\bteach (?:\w+ ){1,3}a lesson (?:with|he wont|she wont|they wont)\b|"
    r"\btaken out back\b|\btaken care of permanently\b|\bsmash your face\b|"
    r"\bkick your head in\b|\bcut your throat\b|\bbreak your (?:\w+ )?(?:jaw|legs|neck|nose|"
    r"arms|face|skull)\b|\byour (?:house|home|car|shop) (?:would|will) burn\b|"
    r"\bput (?:\w+ ){0,2}in the ground\b|\bfind out who you are\b|\bdrop dead\b|"
    r"\b(?:go and |go )?die in (?:a|the) \w+\b|\bget \w+ and die\b|\bkill yourself\b|\bkys\b|"
    r"\bjump off (?:a|the) (?:bridge|cliff|building|roof)\b",
    # Incitement without a verb of violence aimed at someone: "grab the pitchforks",
    # "leave nobody standing".
    r"\b(?:get|grab|bring|fetch|sharpen) (?:the|your|our|yer) (?:noose|pitchforks|machetes)\b|"
    r"\b(?:not|never) leave (?:anyone|anybody|one of them)"
    r" (?:standing|alive)\b|\bleave (?:no one|nobody|none of them) (?:standing|alive)\b",
    # Harm promised to whoever fits a description: "any cyclist on my road is getting run over"
    r"\b(?:any|every|the next) \w+ (?:\w+ ){0,4}?(?:is|are|will be|is going to be|gets|"
    r"is getting|are getting|will get|is gonna get|are gonna get) (?:\w+ )?(?:killed|murdered|"
    r"shot|stabbed|knifed|run over|beaten up|hanged|lynched|strung up|burned alive|glassed)\b",
]

# Groups of people, as a hateful generalisation names them.
GROUP = (
    r"(?:muslims?|muzzies|islam|jews|jewish \w+|the jews|immigrants?|migrants?|refugees?|"
    r"asylum seekers|foreigners|gypsies|gyppos|travellers|roma|blacks|black people|whites|"
    r"asians|africans|arabs|indians|pakistanis|chinese|chinese people|mexicans|poles|"
    r"romanians|albanians|eastern europeans|the irish|the scots|the welsh|the english|"
    r"women|woman|girls|men|gays|gay people|homosexuals|homosexuality|lesbians|queers|"
    r"trans people|trans women|trans men|transgenders?|transgender \w+|disabled people|"
    r"disabled children|the disabled|cripples|old people|pensioners|fat people|"
    r"boat people|these people|those people|you people|their kind|your kind)"
)
# Pronouns too: "they're animals, these migrants".
GROUP_OR_THEY = rf"(?:{GROUP}|they|theyre)"
DEHUMANISING = (
    r"(?:animals|vermin|rats|cockroaches|roaches|parasites|leeches|locusts|a plague|plague|"
    r"a disease|diseased|disease|a cancer|cancer|a virus|virus|an infestation|infestation|"
    r"a swarm|swarm|scum|filth|savages|subhuman|not human|inhuman|criminals|thieves|"
    r"thieving|terrorists|perverts|freaks|drunks|scroungers|invaders|an invasion|invasion|"
    r"a drain|drain|a burden|burden|useless|useless eaters|greedy|disgusting|an abomination|"
    r"abomination|mentally ill|a mental illness|sick|stupid|too stupid|too emotional|idiots|"
    r"lazy|dirty|pigs|dogs|apes|monkeys|evil|inbred|breeding|breed|sneaky|dishonest|"
    r"all the same|a race of|men in dresses)"
)
# A member of a group, as "every Albanian is a criminal" names one.
GROUP_ONE = (
    r"(?:muslim|jew|immigrant|migrant|refugee|asylum seeker|foreigner|gypsy|traveller|"
    r"black|asian|african|arab|indian|pakistani|somali|nigerian|romanian|albanian|pole|"
    r"eastern european|mexican|chinese person|woman|gay|lesbian|trans person|catholic)"
)
# The words that deny people their humanity outright, whoever "they" are.
VERMIN = (
    r"(?:animals|vermin|rats|cockroaches|roaches|parasites|leeches|locusts|scum|filth|"
    r"savages|subhuman|pigs|apes|monkeys|an infestation|a plague|a cancer|a disease)"
)
HATE_PATTERNS = [
    # "send them back, they're animals"; "parasites, the lot of them"
    rf"\btheyre (?:all |just |nothing but |like )*{VERMIN}\b|"
    rf"\b{VERMIN},? (?:the lot of them|all of them|every (?:last |single )?one of them)\b",
    # "every Albanian in this country is a criminal"
    rf"\bevery (?:single )?{GROUP_ONE} (?:\w+ ){{0,4}}?is an? (?:\w+ )?(?:criminal|thief|"
    r"terrorist|scrounger|rapist|liar|parasite|animal|drunk|crook|paedophile|pervert)\b",
    # "Chinese people spread disease", "Asians stink out the street"
    rf"\b{GROUP} (?:\w+ ){{0,4}}?(?:spread|carry|bring) (?:\w+ )?(?:disease|diseases|germs|"
    rf"plague|crime)\b|\b{GROUP} (?:stink|stinks|reek|reeks|smell of)\b",
    # "Muslims are a plague", "immigrants are rats", "these foreigners are animals"
    rf"\b{GROUP_OR_THEY} (?:are|r|is|were) (?:all |just |nothing but |basically |simply |such |"
    rf"like |literally |no better than |a bunch of |a pack of |nothing more than )*"
    rf"(?:\w+ )?{DEHUMANISING}\b",
    rf"\b(?:these|those|the|all|every|every last) (?:\w+ )?{GROUP}? ?(?:are|r) "
    rf"(?:all |just |nothing but )*{DEHUMANISING}\b",
    # "immigrants breed like rats", "migrants are an invasion of cockroaches"
    rf"\b{GROUP} (?:breed|breeding|multiply|swarm)\b",
    rf"\b{GROUP} (?:\w+ )?(?:should|must|need to|ought to) (?:all |just )?(?:go home|go back|"
    rf"just die|die|be left to die|be sent back|"
    rf"be deported|be banned|be locked up|be put down|be gassed|be cured|be kicked out|get out|"
    rf"be left to drown|never have been born|be treated like|be cleansed|be wiped out)",
    rf"\b(?:go home|out of our|send them all back|out) (?:\w+ )?{GROUP}\b|\b{GROUP} out\b",
    r"\b(?:need|needs) to be cleansed\b|\bnot human\b|"
    rf"\b{GROUP} (?:are behind|cant be trusted|cannot be trusted|belong in the kitchen)\b|"
    r"\bgo back (?:where you came from|to your (?:own )?country|to where you came from)\b|"
    r"\b(?:stay|belongs?) in the kitchen\b|"
    r"\b(?:you|u|ya) (?:\w+ )?(?:subhuman|vermin|cockroach|savage|parasite)s?\b|"
    r"\btypical of (?:the|their) (?:race|kind)\b|\ba (?:race|nation) of\b|"
    r"\bevery last one of them\b|"
    r"\bevery single one\b|\bto replace us\b|\bshould never have been born\b|"
    r"\b(?:control|own|run) the (?:banks|media|government)\b",
]

# Names for a person that are insults; a comment that is nothing but one insults someone.
NAME_CALLING = (
    r"(?:clown|dimwit|nitwit|eejit|halfwit|muppet|pillock|numpty|prat|twit|tosser|wanker|"
    r"twat|bellend|plonker|numbskull|cretin|moron|idiot|imbecile|loser|troll|fool|buffoon|"
    r"dunce|jerk|creep|weasel|scumbag|dickhead|dick|knob|git|cow|pig|rat|tool)"
)
# Who an insult is said of: a person, never a thing.
PERSON = (
    r"(?:he|she|you|hes|shes|youre|you are|this guy|that guy|this bloke|that bloke|this man|"
    r"that man|this woman|that woman|the (?:author|editor|writer|reporter|columnist|journalist|"
    r"mayor|councillor|minister|referee|ref|manager|leader|chairman|owner|landlord|judge|"
    r"presenter|mp|pm|chief executive|boss|coach))"
)
INSULT_PATTERNS = [
    # "the referee is a blind, bent little weasel"; "what a tool this guy is"
    rf"\b{PERSON} (?:is|was|is just|is such) an? (?:\w+ ){{0,3}}?(?:hack|weasel|clown|toad|snake|"
    r"crook|rat|creep|worm|muppet|joke|tool|fraud|coward)\b|"
    r"\b(?:what|such) an? (?:\w+ )?(?:weasel|toad|snake|creep|worm)\b|\bwhat an? (?:hack|tool)\b|"
    r"\btalentless hack\b",
    rf"^(?:you |ya |u |what an? |oi )?(?:\w+ )?{NAME_CALLING}s?(?: \w+)?$",
    rf"\b(?:stupid|silly|dozy|daft|miserable|pathetic|dumb|ignorant|useless|fat|ugly|"
    rf"smug|pompous|arrogant|clueless|brainless|spineless|gutless) (?:old |little )?"
    rf"{NAME_CALLING}s?\b",
    rf"\b(?:go away|get lost|clear off|jog on|shut up|sod off|naff off)\b,? (?:you )?(?:\w+ )?"
    rf"{NAME_CALLING}s?\b",
    # "you absolute clown", "what a worthless piece of trash", "you're a joke"
    # Words only ever said of a person: "what a buffoon", "the editor is a prat"
    r"\b(?:you|u|ya|youre|your|ur|you are|u r|what an?|such an?|is an?|are|absolute|utter|"
    r"complete|total) (?:\w+ ){0,3}?(?:halfwit|buffoon|muppet|pillock|numpty|prat|twit|"
    r"dimwit|nitwit|tosser|wanker|twat|bellend|eejit|plonker|numbskull|nonce|dickhead|"
    r"cretin|simpleton|dunce|worthless piece of \w+|piece of (?:shit|crap|trash|garbage|filth|"
    r"work)|sack of \w+|waste of (?:space|oxygen|skin)|spineless \w+|gutless \w+)s?\b",
    # Words also said of things ("a joke of a budget"): only when said to someone.
    r"\b(?:you|u|ya|youre|ur|you are|u r|you absolute|you utter|you complete|you total)"
    r" (?:\w+ ){0,3}?(?:clown|joke|tool|fool|knob|weasel|worm|rat|pig|cow|troll|hack|"
    r"coward|liar|loser|disgrace|creep|tit|berk|wally|dick|clot|git)s?\b",
    r"\b(?:thick as|dumb as|stupid as|dense as|brain the size of|brain must be)\b|"
    r"\bare you (?:actually |really |just )?(?:this |that |so )?(?:thick|stupid|dumb|dense|"
    r"simple)\b|\bget a life\b|\bget lost\b|\bget bent\b|\bsod off\b|\bshove off\b|"
    r"\bshut (?:it|your trap|your mouth|your face|your gob|up)\b|\bsit down\b.{0,20}\byou\b|"
    r"\bnobody (?:asked|cares|likes) (?:you|u|what)\b|\bvillage idiot\b|\bcry more\b|"
    r"\bhead out of your (?:arse|ass)\b|\bpile of (?:\w+ )?(?:shit|crap|dung)\b|"
    r"\b(?:as ugly as|uglier than) your\b|\bugly as\b",
]

SEXUAL_PATTERNS = [
    r"\b(?:show us|get) your (?:tits|boobs|bum|arse|ass|kit off|clothes off)\b|"
    r"\bsend (?:me |us )?nudes\b|\bbend (?:her|him|that \w+|you) over\b|\bnice rack\b|"
    r"\b(?:slept|sleep|sleeping|shagged) (?:her|his|their) way\b|\bsucked off\b|"
    r"\bgive (?:good )?head\b|\b(?:get|got|have) (?:her|him|you) naked\b|\btiny dick\b|"
    r"\bslag\b|\bin the bedroom\b",
]

COMPILED = {
    Category.THREAT: [re.compile(p) for p in THREAT_PATTERNS],
    Category.HATE: [re.compile(p) for p in HATE_PATTERNS],
    Category.SEXUAL: [re.compile(p) for p in SEXUAL_PATTERNS],
    Category.INSULT: [re.compile(p) for p in INSULT_PATTERNS],
}

# A span in quotation marks; a straight single quote counts only outside a word ("I'll").
QUOTED = re.compile(
    "\"[^\"]+\"|\u201c[^\u201d]+\u201d|\u2018[^\u2019]+\u2019|(?<!\\w)'[^'\n]+'(?!\\w)|"
    "\u00ab[^\u00bb]+\u00bb"
)
# Words of its own a comment needs around a quotation for the quotation to be set aside.
OWN_WORDS = 5


@dataclass(frozen=True)
class Found:
    category: str
    phrase: str


def unquoted(text: str) -> str:
    """`text` without the quotations it comments on; a bare quotation is kept."""
    rest = QUOTED.sub(" ", text)
    return rest if len(rest.split()) >= OWN_WORDS else text


def find(text: str) -> list[Found]:
    """The first phrase of each category found in `text`, most serious first."""
    words = " ".join(tokens(unquoted(text)))
    found = []
    for category, patterns in COMPILED.items():
        for pattern in patterns:
            match = pattern.search(words)
            if match:
                found.append(Found(category=category.value, phrase=match.group(0)))
                break
    return found
