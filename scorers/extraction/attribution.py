"""Someone else's view, not the reply's: contrast ("rather than X", "including A, B"),
attribution ("many think X", "you said X", "X is often considered …", "the myth that X"), and
a point granted to the user and then turned from ("You're right that X…! However").
"""

from __future__ import annotations

import re

from scorers.extraction.quotes import QUOTES
from scorers.extraction.sentences import SENTENCE_END, sentence_of
from scorers.extraction.words import words_of

CONTRASTED_BEFORE = re.compile(
    r"\b(?:rather\s+than|instead\s+of|other\s+than|as\s+opposed\s+to|than|except|unlike"
    r"|(?:mistaken|confused|mixed\s+up)\s+(?:for|with)"
    r"|(?:mix|mixing|confuse|confusing)\s+(?:\w+\s+)?(?:up\s+)?with"
    r"|(?:mix-?up|confusion)\s+with"  # "It's a common mix-up with X"
    r"|including|such\s+as|(?:things|stuff)\s+like|as\s+well\s+as|despite|in\s+spite\s+of"
    r"|between(?:\s+[^,.;:!?\n]{1,40}?\s+and)?|per"
    r"|than\s+(?:(?:the|a|an)\s+)?(?:[a-z]+\s+){1,3}(?:of|at))(?:\s+(?:their|its|his|her|our)\b)?"
    r"(?:\s+(?:the|a|an|in|on|at|by|of|from|to)\b)*[\s,:" + QUOTES + r"(]*$",
    re.IGNORECASE,
)

#: the names listed before a mention: "including Toronto, Kingston, " before "Montreal"
LIST_BEFORE = re.compile(
    r"(?:(?:[A-Z][\w'’.-]*|\d+(?:\.\d+)?(?:,\d{3})*)(?:\s+[A-Z][\w'’.-]*){0,3},\s*"
    r"(?:(?:and|or)\s+)?){1,8}"
    r"(?:(?:and|or)\s+)?$"
)

#: Opens a stretch (to the end of its clause) that reports someone else's view.
ATTRIBUTION = re.compile(
    r"\b(?:many|most|some|a\s+lot\s+of|plenty\s+of|everyone|everybody)\s+(?:people\s+|folks\s+)?"
    r"(?:\w+\s+){0,2}?"
    r"(?:still\s+|often\s+|also\s+)?(?:think|believe|say|assume|claim|guess|suppose|confuse)s?\b"
    # "which is why some people count six" (not "the most common convention counts 7")
    r"|\b(?:many|most|some|other)\s+(?:people|folks|authors|sources|lists|models"
    r"|conventions|systems)\s+(?:still\s+)?count\b"
    # "Everyone from Toulouse will tell you it's the Garonne"
    r"|\b(?:everyone|everybody|anyone|locals|people)\b[^.;!?\n]{0,30}?\b(?:will|would|['’]ll)"
    r"\s+tell\s+you\b"
    # "Some guides place Timbuktu in Niger", "Several lists credit Hugo": a source's view
    r"|\b(?:some|many|several|a\s+few|older|plenty\s+of)\s+(?:\w+\s+){0,2}(?:place|put|list|give"
    r"|name|call"
    r"|credit|attribute|cite|show)s?\b"
    # "You make a good point about chestnuts": a point granted, no answer
    r"|\b(?:good|fair|valid|interesting)\s+point\s+(?:about|regarding|on)\b"
    # "I know you hoped for Michelangelo": what the user wanted, not the reply's answer
    r"|\byou\s+(?:hoped|were\s+hoping|wanted|expected|were\s+expecting)\s+(?:for\s+|to\s+hear\s+)?"
    r"|\b(?:you|people|others|they|someone|one|some)\s+(?:might\s+|may\s+|often\s+|commonly\s+"
    r"|could\s+|would\s+|probably\s+)?(?:think|thought|believe|believed|said|say|suggested"
    r"|suggest|mention(?:ed)?|claim(?:ed)?|assume[sd]?|guess(?:ed)?|propose[sd]?|wrote)\b"
    # "My art teacher always said X", "Some of my friends insist it's X": someone the reply
    # names holds the view, not the reply
    r"|\b(?:my|our|his|her|their)\s+(?:[a-z]+\s+){0,3}?(?:always\s+|often\s+|once\s+|still\s+"
    r"|used\s+to\s+)?(?:said|says|told\s+(?:me|us)|insist(?:s|ed)?|thought|thinks|claim(?:s|ed)"
    r"|believed|believes|swore|swears)\b"
    # "Wikipedia's editors seem to think it was 1901"
    r"|\bseems?\s+to\s+(?:think|believe|say|suggest|claim)\b"
    # "Anyone who says Michael Cimino directed it has never seen …"
    r"|\b(?:anyone|anybody|whoever)\s+who\s+(?:says?|said|thinks?|thought|believes?"
    r"|believed|claims?|claimed)\b"
    r"|\b(?:some|many|most|all|one|a\s+few)\s+of\s+(?:my|our|his|her|their|your)\s+[a-z]+\s+"
    r"(?:always\s+|often\s+|still\s+)?(?:insist|think|say|believe|claim|swear)s?\b"
    r"|\b(?:commonly|often|widely|popularly|frequently|sometimes|usually)\s+"
    r"(?:thought|believed|assumed|said|mistaken|confused|cited|called)\b"
    r"|\byour\s+(?:answer|suggestion|guess|claim|choice)\b"
    r"|\b(?:do|does|did)\s*(?:not|n['’]t)\s+(?:think|believe)\b"
    r"|\b(?:don|doesn|didn)['’]t\s+(?:think|believe)\b"
    r"|\bcontrary\s+to\b|\bmisconception\b|\bit\s+(?:might|may)\s+seem\b"
    r"|\bversus\b|\bvs\.?(?=\s)|\bcompared\s+(?:with|to)\b"  # "…, versus 36 cm for the tibia"
    # "There is a theory that Marlowe wrote it", "the myth that …"
    r"|\b(?:theory|claim|myth|belief|rumou?r|notion|legend|misconception)\s+(?:is\s+)?that\b"
    r"|\b(?:some|others|many|critics|skeptics|theorists)\s+(?:have\s+)?(?:argued|suggested"
    r"|claimed|proposed|speculated)\b"
    # "I understand why O(n) might seem plausible", "I can see where five comes from", "You may
    # be thinking of Charlotte Brontë"
    r"|\bi\s+(?:previously|earlier|initially|first|originally)\s+(?:wrote|said|answered|gave|put)\b"
    r"|\bi\s+(?:wrote|said|answered|stated|claimed)\b"  # the reply's own earlier answer
    r"|\bi\s+(?:can\s+|do\s+)?(?:understand|see)\s+(?:where\s+you['’]re\s+coming\s+from|why\s+you"
    r"(?:['’]d|\s+would|\s+might)\s+think\s+(?:so|that))\s*,?\s*(?:since|because|as|given\s+that)\b"
    r"|\bi\s+(?:can\s+|do\s+)?(?:understand|see)\s+(?:why|where)\b|\byou['’]d\s+(?:think|say|assume|guess)\b"
    r"|\byou(?:['’]re|\s+are|\s+were|\s+may\s+be|\s+might\s+be)\s+(?:probably\s+)?thinking\b"
    # "You're saying 20 minus 5 is 13", "you stated 1944", "I see where you're coming from: …"
    r"|\byou(?:['’]re|\s+are|\s+were)\s+(?:saying|suggesting|claiming|arguing|asserting"
    r"|implying|assuming|insisting)\b"
    r"|\byou\s+(?:stated|insisted|argued|asserted)\b"
    r"|\bi\s+(?:can\s+|do\s+)?(?:understand|see)\s+(?:where\s+you['’]re\s+coming\s+from"
    r"|the\s+confusion)\s*[:—–]",
    re.IGNORECASE,
)

#: "The "100" you may have in mind", "AB+ is the recipient, which is what you're thinking of",
#: "Helium is a good guess": the user's answer as the reply describes it
ATTRIBUTED_AFTER = re.compile(
    r"[\s" + QUOTES + r")]*(?:that\s+|which\s+)?you\s+(?:may\s+|might\s+|probably\s+)?"
    r"(?:have\s+in\s+mind|had\s+in\s+mind|mentioned|suggested|proposed|said)\b"
    # "Curie gets the credit in your version": the user's account, not the reply's
    r"|[^.;!?\n]{0,60}?\bin\s+your\s+(?:version|account|telling|story|view)\b"
    r"(?![^.;!?\n]*\b(?:that['’]s|that\s+is|it['’]s|which\s+is)\s+(?:correct|right)\b)"
    r"|[^.;!?\n]{0,80}?[,—–]\s*which\s+(?:(?:is|might\s+be|may\s+be|could\s+be)\s+(?:probably\s+"
    r"|likely\s+|perhaps\s+)?(?:what|who|the\s+one)\s+)?you(?:['’]re|\s+are|\s+were|\s+may\s+be|\s+might\s+be)\s+thinking\s+of"
    r"(?=[\s" + QUOTES + r")]*(?:[.,;:!?]|$))"
    # "Ti is titanium, which is an easy mix-up", "X is the largest city, so many people guess
    # it": the reply says later in its sentence that the option is the user's or others' slip
    r"|[^.;!?\n]{0,80}?,\s*(?:which|that)\s+(?:is|['’]s)\s+(?:a|an)\s+(?:(?:very|really|quite)\s+)?"
    r"(?:easy|common|understandable|natural|frequent|classic|honest)\s+(?:mix-up|mistake|slip"
    r"|confusion|error)\b"
    r"|[^.;!?\n]{0,80}?,?\s*(?:so|which\s+is\s+why|that['’]s\s+why)\s+(?:many|most|some|a\s+lot"
    r"\s+of)\s+(?:people|folks|students|readers)\s+(?:would\s+|might\s+|often\s+|tend\s+to\s+)?"
    r"(?:guess|think|assume|pick|choose|say|name)\s+(?:it|that|them|so)\b"
    # "Sydney is often considered the capital": a common view the reply reports
    r"|[\s" + QUOTES + r")]*(?:is|was|are|were)\s+(?:so\s+)?(?:often|commonly|widely|popularly"
    r"|frequently|sometimes|usually|generally|mistakenly|wrongly)\s+(?:considered|thought"
    r"|believed|assumed|regarded|seen|viewed|called|described|mistaken|confused|cited"
    r"|associated|linked)\b"
    # "Australia is where people *think* they live": what others think, the reply reports
    r"|[\s" + QUOTES + r")*_]*(?:is|was|are|were)\s+(?:what|where|who|when)\s+(?:many\s+|most"
    r"\s+|some\s+|a\s+lot\s+of\s+)?(?:people|folks|others|everyone|you['’]d)\s+(?:\w+\s+)?[*_]*"
    r"(?:think|assume|believe|expect|guess|imagine)\b"
    r"(?![^.;!?\n]*\b(?:right|rightly|true|correct|correctly|solid|indeed)\b)"
    # "Helium is a good guess", "Sydney is an easy mistake to make"
    r"|[\s"
    + QUOTES
    + r")]*(?:is|was|would\s+be|seems?\s+like)\s+(?:a|an|another)\s+(?:(?:very|really|quite"
    r"|perfectly|completely)\s+)?(?:good|great|reasonable|natural|understandable|common|fair"
    r"|logical|plausible|tempting|intuitive|popular|easy|sensible)\s+(?:guess|assumption|thought"
    r"|instinct|intuition|mistake|mix-up|confusion|misconception|reading|interpretation"
    r"|distractor|trap|error|myth|pitfall)\b",
    re.IGNORECASE,
)

#: a common view reported by its verb: "usually called", "is often regarded as"
_COMMON_VIEW = re.compile(
    r"\b(?:commonly|often|widely|popularly|frequently|sometimes|usually|generally)\s+"
    r"(?P<verb>called|cited|described|considered|regarded|known)\b",
    re.IGNORECASE,
)


def the_questions_own_view(phrase: str, question: str) -> bool:
    """The common view the phrase reports is the one the question asks about: "the person
    usually called the first computer programmer is Ada Lovelace" answers "Who is often
    called the first computer programmer …?"; it reports no one else's view."""
    view = _COMMON_VIEW.search(phrase)
    return view is not None and view.group("verb").lower() in words_of(question)


#: a clause opening on a concession: "Although Lucas did make a bet with him, …", "While
#: Sydney is sometimes suggested, …"
CONCEDED_CLAUSE = re.compile(
    r"[\s*_>" + QUOTES + r"(-]*(?:although|though|even\s+though|whereas|(?P<while>while|whilst))\b"
    r"[^,;:!?\n—–]*",
    re.IGNORECASE,
)

#: "You said Chicago, and you're right": the user's view reported, then agreed with
AGREED_AFTER = re.compile(
    r"[\s" + QUOTES + r")]*,?\s*(?:and|—|–|-)?\s*(?:(?:you|they|we)(?:['’]re|\s+are|\s+were)"
    r"\s+(?:absolutely\s+|quite\s+|completely\s+)?(?:right|correct)|(?:he|she)\s+(?:is|was)\s+"
    r"(?:absolutely\s+|quite\s+)?(?:right|correct)|that['’]s\s+(?:right|correct)|(?:that|it)\s+is\s+"
    r"(?:right|correct))\b",
    re.IGNORECASE,
)

#: "the son of Cronus", "a pupil of Plato": the option named only as kin or teacher of
#: whoever the reply means
_KIN = frozenset(
    """son daughter child children father mother parent husband wife brother sister grandson
    granddaughter grandfather grandmother uncle aunt nephew niece cousin pupil student disciple
    teacher successor predecessor heir widow rival""".split()  # noqa: SIM905
)
#: a question about such a relation by its verb: "Who taught …?", "Whom did … marry?"
_KIN_ASKED = ("taught", "teach", "tutor", "studi", "mentor", "marri", "marry", "succeed", "adopt",
              "descend", "ancest", "inherit")  # fmt: skip
_KIN_OF = re.compile(r"\b(?:" + "|".join(sorted(_KIN)) + r")s?\s+of\s+(?:the\s+)?$", re.IGNORECASE)


def kin_of_another(text: str, start: int, question: str, end: int | None = None) -> bool:
    """The option only as someone's kin, teacher or rival ("the son of Cronus and Rhea",
    "Akbar's father"), or said to be one ("Alexander III was the father of the last tsar"):
    it names the one the reply means by way of the option, or the option by way of the one
    the reply means; unless the question asks about such a relation ("Who was the father of
    Zeus?")."""
    before = _KIN_OF.search(text, max(0, start - 30), start) is not None
    after = end is not None and (
        _KIN_AFTER.match(text, end) is not None or _KIN_OWNED.match(text, end) is not None
    )
    if not before and not after:
        return False
    return not any(
        w in _KIN or w.rstrip("s") in _KIN or w.startswith(_KIN_ASKED) for w in words_of(question)
    )


#: "X was the father of …": the option said to be someone's kin (not "X, the father of …",
#: an apposition describing the option the reply gives)
_KIN_AFTER = re.compile(
    r"[\s"
    + QUOTES
    + r")*_]*\s+(?:is|was|were|are)\s+(?:the|a|an)\s+(?:"
    + "|".join(sorted(_KIN))
    + r")s?\s+of\b",
    re.IGNORECASE,
)


#: "Akbar's father", "Bach's eldest son": someone else, named through the option
_KIN_OWNED = re.compile(
    r"['’]s?\s+(?:(?:own|eldest|youngest|elder|younger|first|second|only|great|late)\s+)?(?:"
    + "|".join(sorted(_KIN))
    + r")s?\b",
    re.IGNORECASE,
)


#: "You're right that …", "It's true that …": the reply grants the user a point
_GRANTED = re.compile(
    r"\b(?:you(?:['’]re|\s+are)\s+(?:absolutely\s+|quite\s+|partly\s+)?(?:right|correct)"
    r"|it['’]s\s+true|it\s+is\s+true|i\s+agree|granted)\s+that\b|\b(?:granted|admittedly)\s*,",
    re.IGNORECASE,
)

#: a turn after a granted point: what follows is the reply's own view
_AFTER_GRANTING = re.compile(
    r"\b(?:but|however|yet|still|nevertheless|nonetheless|that\s+said|even\s+so)\b", re.I
)


def conceded_to_the_user(text: str, start: int, end: int, sentence_start: int) -> bool:
    """A point granted to the user and then turned from ("You're right that Wallace
    co-discovered it! However, …") is theirs; granted with no turn after, it is the reply
    agreeing ("You're right that it's Wallace.")."""
    granted = list(_GRANTED.finditer(text, max(sentence_start, start - 200), start))
    if not granted or SENTENCE_END.search(text, granted[-1].end(), start):
        return False
    following = sentence_of(text, min(len(text) - 1, sentence_of(text, start)[1] + 1))
    return bool(_AFTER_GRANTING.search(text, end, max(following[1], end)))
