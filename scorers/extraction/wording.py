"""How a reply words an option it names (``Kind``): as a statement ("the answer is X"), an
assertion ("it's X", "the cheetah is faster" for "the fastest"), a clause restating the
question ("the capital is X"), or plain text. Statements outrank mere mentions in
:mod:`scorers.extraction.phases`.
"""

from __future__ import annotations

import re

from scorers.extraction.mention import Kind
from scorers.extraction.quotes import QUOTES
from scorers.extraction.sentences import clause_start, part_of, sentence_of
from scorers.extraction.words import STOP, content_words, only_the_asked, same_word, words_of

#: "each option:", "which answer": an answer word that introduces a list or a question
NOT_A_STATEMENT = r"(?<!\beach\s)(?<!\bevery\s)(?<!\bwhich\s)(?<!\bwhat\s)"
#: a line labelled with the user's answer: "**Your answer:** X" (not "I'll accept your answer:")
_USERS_LABEL = re.compile(r"(?:^|\n)[\s*_#>|-]*your\s+answer\s*:?[\s*_|]*$", re.IGNORECASE)

_STATEMENT_BEFORE = re.compile(
    r"\b" + NOT_A_STATEMENT + r"(?:answer|option|choice|odd\s+one\s+out"
    r"|(?:correct|right|actual|exact|usual|standard|accepted|textbook)\s+(?:value|result|figure"
    r"|total))"
    r"(?:\s+(?:is|was|remains|stays|stands(?:\s+at)?|holds|would\s+be|should\s+be|must\s+be|will\s+be"
    r"|of))?"
    r"(?:\s+(?:still|indeed|actually|definitely|certainly|clearly|simply|probably|likely))?"
    r"(?:\s+(?:about|approximately|roughly|around|nearly|almost|exactly|just\s+over|just\s+under))?"
    r"\s*(?:[:\-]\s*)?[\s" + QUOTES + r"(]*(?:(?:the|a|an)\s+)?$",
    re.IGNORECASE,
)

#: "it is X", "I'd say X", "I'll stick with X", "I'll revise my answer to X": the reply putting
#: an option forward itself
_ASSERTED_BEFORE = re.compile(
    r"(?:\b(?:it|that|this)(?:['’]s|\s+is|\s+was|\s+would\s+be|\s+must\s+be|\s+has\s+to\s+be)"
    r"|\bi(?:['’]d|\s+would|['’]ll|\s+will)?(?:\s+(?:still|rather|now|instead))?\s+"
    r"(?:say|choose|pick|select|go\s+with|stick\s+with|stay\s+with|stand\s+by)"
    r"|\b(?:revise|change|switch|update|correct)\s+my\s+answer\s+to"
    r"|\bi(?:['’]m|\s+am)\s+(?:still\s+)?(?:going|sticking|staying)\s+with"  # "I'm going with X"
    r"|\bi(?:['’]m|\s+am)\s+(?:still\s+|quite\s+|very\s+)?(?:confident|sure|certain|positive)\s*[:—–])"
    r"(?:\s+(?:still|indeed|actually|definitely|certainly|clearly|really|in\s+fact|the))*"
    r"[\s," + QUOTES + r"(]*$",
    re.IGNORECASE,
)

#: a verdict of agreement right before the option: "That's right, …", "Yes — …"
_AGREED_BEFORE = re.compile(
    r"(?:\b(?:that['’]s|you['’]re|you\s+are)\s+(?:absolutely\s+|quite\s+)?(?:right|correct)"
    r"|^\W*(?:yes|correct|exactly|indeed))\s*[,:—–]\s*(?:(?:the|a|an)\s+)?[\s*_" + QUOTES + r"(]*$",
    re.IGNORECASE,
)
#: the option alone in its clause: a pause or the end right after it
ENDS_ITS_CLAUSE = re.compile(r"[\s*_" + QUOTES + r")]*(?:[.,;:!?]|$)")

#: "X is the accepted answer": said of now ("was the standard answer before 2006" is history)
_ACCEPTED_AFTER = re.compile(
    r"[\s" + QUOTES + r")]*(?:is|remains)\s+(?:still\s+)?the\s+(?:accepted|standard|usual"
    r"|established|proper|official)\s+answer\b",
    re.IGNORECASE,
)

_ASSERTED_AFTER = re.compile(
    r"[\s" + QUOTES + r")]*(?:,[^,.;!?\n]{1,80},\s*)?"  # "The mean, which sums every value, is …"
    r"(?:is|was)\s+(?:indeed\s+|actually\s+|definitely\s+)?"
    r"(?:(?:the\s+)?(?:correct|right(?!\s+(?:there|here|now|away|next|behind|beside|in|on|at"
    r"|under|above|below|after|before)\b))(?:\s+answer)?|the\s+(?:(?:clear|definitive|final|true|real"
    r"|actual|best)\s+)?answer"
    r"|the\s+(?:only\s+)?one\s+(?:that"
    r"|which|who)|the\s+only\s+(?:one|option|choice))\b",
    re.IGNORECASE,
)

_CONCLUDING = re.compile(
    r"\W*(?:so|therefore|thus|hence|in\s+conclusion|in\s+summary|overall|in\s+short)\b"
    r"[\s,:]*(?:(?:the|a|an)\s+)?[" + QUOTES + r"(]*",
    re.IGNORECASE,
)


#: a sentence that draws the conclusion: "So …", "… therefore …", "Thus …"
_CONCLUSION = re.compile(r"\W*(?:so|therefore|thus|hence)\b|.*\b(?:therefore|thus|hence)\b", re.I)
#: nothing after the option but markup and a full stop: it ends the reply
_AT_THE_END = re.compile(r"[\s*_" + QUOTES + r")]*[.!]?[\s*_" + QUOTES + r")]*$")


def _concluded_at_the_end(text: str, start: int, end: int) -> bool:
    """The option ends the reply, in a sentence that draws the conclusion ("So the
    jackal-headed one is Anubis.", "The longest wavelength therefore belongs to red.")."""
    if not _AT_THE_END.match(text, end):
        return False
    before = text[sentence_of(text, start)[0] : start]
    return _CONCLUSION.match(before) is not None and not _TURNED.search(before)


#: a turn inside the concluding sentence: what comes after it is no longer the conclusion
_TURNED = re.compile(r"\b(?:but|however|yet|though|although|while|whereas)\b", re.IGNORECASE)


def kind_of(text: str, start: int, end: int, question: str) -> Kind:
    """How the reply words the option it names at ``start:end``: as a statement ("the answer
    is X"), an assertion ("it's X", "I'll stick with X", "X is the correct one", "the cheetah
    is faster", "— the liver does", "only X"), a clause restating the question ("the capital
    is X", "X is most affected by outliers"), or plain text. Whether it is put forward at
    all is the polarity's business."""
    before = text[max(0, start - 80) : start]
    if _STATEMENT_BEFORE.search(before):
        return "text" if _USERS_LABEL.search(text, max(0, start - 80), start) else "statement"
    if _ASSERTED_BEFORE.search(before) or _ASSERTED_AFTER.match(text, end, end + 120):
        return "asserted"
    if _ACCEPTED_AFTER.match(text, end, end + 60):
        return "asserted"  # "Canberra is the accepted answer"
    if _AGREED_BEFORE.search(before) and ENDS_ITS_CLAUSE.match(text, end):
        return "asserted"  # "That's right, Finland.", "Yes — New Zealand."
    if _CONCLUDING.fullmatch(text, sentence_of(text, start)[0], start):
        return "asserted"  # "So Mandarin Chinese has the most native speakers."
    if _concluded_at_the_end(text, start, end):
        return "asserted"  # "So the jackal-headed one is **Anubis**."
    if _ELLIPSIS_AFTER.match(text, end) and not _LIKENED_BEFORE.search(before):
        return "asserted"  # "The gallbladder stores bile but doesn't make it — the liver does."
    if _beats_the_others(text, end, question):
        return "asserted"  # "giraffes are taller" for "the tallest"
    if _ONLY_BEFORE.fullmatch(text, clause_start(text, start), start):
        return "asserted"  # "Of the options, only solar power is renewable."
    if _in_the_asked_field(text, start, question):
        return "restated"  # "**Composer:** Giacomo Puccini", "| Author | Herman Melville |"
    if _did_the_making(text, end, question):
        return "restated"  # "…, but Melville wrote it" for "Who wrote Moby-Dick?"
    if _who_did_the_asked(text, end, question):
        return "restated"  # "…, William Herschel, who discovered Uranus"
    if _made_by(text, start, question):
        return "restated"  # "The original novel, though, is by Cervantes" for "Who wrote …?"
    if restates_the_asked(text[clause_start(text, start) : start], question):
        return "restated"  # "But the capital is actually Ottawa"
    if _predicated_as_asked(text, end, question):
        return "restated"  # "The mean is most affected by outliers"
    if _measured_as_the_asked(text, end, question):
        return "restated"  # "diamond is 10, the hardest"
    return "text"


#: "the capital is", "2^10 =", "The discovery is credited to", "diamond is pure": a clause up
#: to a copula
_COPULA_AT_THE_END = re.compile(
    r"(?:\b(?:is|was|are|were|equals|(?:is|was)\s+credited\s+to"
    r"|(?:is|was|are|were)\s+(?P<done>\w+(?:ed|en|wn|ung|ught|t))\s+(?:by|in|on|at))\b|=)"
    r"(?:\s+(?:actually|indeed|still|definitely|in\s+fact|clearly|simply|really|about"
    r"|approximately|roughly|around|nearly|almost|exactly|pure|purely|entirely|essentially"
    r"|basically|just))*"
    r"[\s" + QUOTES + r"(]*(?:(?:the|a|an)\s+)?$",
    re.IGNORECASE,
)

_LEADING_LINK = re.compile(
    r"\s*(?:(?:so|and|then|thus|therefore|hence|now|today|here|yes|no|well|okay|ok)\b[\s,]*)?",
    re.IGNORECASE,
)

#: "— the liver does.": the option taking a predicate denied to another just before
#: "Who wrote …?", "Who painted …?": a question asking who made a work
_MAKER_ASKED = re.compile(r"\s*who\s+(?:\w+ed|wrote|drew|sang|built|made)\b", re.IGNORECASE)
#: "… is by", "… was written by": the maker of the work the sentence is about
_MADE_BY_BEFORE = re.compile(
    r"\b(?:is|was)(?:\s+(?:actually|indeed|really|in\s+fact))?(?:\s+\w+(?:ed|en|wn|ote))?"
    r"\s+by[\s" + QUOTES + r"(]*$",
    re.IGNORECASE,
)

#: words naming the asked work itself rather than another ("the original novel itself")
_THE_WORK = frozenset(
    """work piece painting picture novel book poem play opera symphony suite song film
    original itself this that but though however actually whole""".split()  # noqa: SIM905
)


def _made_by(text: str, start: int, question: str) -> bool:
    """For "Who wrote/painted … ?", the option after "is by" or "was <done> by" whose subject
    is the asked work itself ("The original novel, though, is by X", "The Planets is by X"),
    not another work ("A copy was made by X", "The sequel was written by X")."""
    if not _MAKER_ASKED.match(question):
        return False
    sentence_start = part_of(text, start)[0]
    made = _MADE_BY_BEFORE.search(text, max(sentence_start, start - 200), start)
    if made is None:
        return False
    asked = words_of(question)
    subject = [w for w in words_of(text[sentence_start : made.start()]) if w not in STOP]
    return all(
        w.isdigit() or w in _THE_WORK or any(same_word(w, q) for q in asked) for w in subject
    )


#: "— the liver does.", "; the West Indies did, beating Australia": the option taking a
#: predicate just denied to another (a participle or "though" may follow; not ", but …")
#: a line opening with a field's name, then a colon or a table bar: "Composer: X", "| Author | X"
_FIELD_BEFORE = re.compile(
    r"(?:^|\n)[\s|>*_#-]*(?P<field>[A-Za-z]+(?:\s+[A-Za-z]+)?)[\s*_]*[:|][\s*_" + QUOTES + r"]*$"
)
#: the field naming the maker of a written work
_WRITER = frozenset({"author", "writer", "written by", "by"})


def _in_the_asked_field(text: str, start: int, question: str) -> bool:
    """The option is the value of a field that names what the question asks: "Composer:"
    for "Who composed …?", "Author" for "Who wrote …?", "Capital:" for "What is the capital
    of …?". A field of anything else ("Premiere:", "Dedicated to") says something else."""
    found = _FIELD_BEFORE.search(text, max(0, start - 60), start)
    if found is None or not question:
        return False
    field = " ".join(words_of(found.group("field")))
    if field in _WRITER:
        return _WRITING_ASKED.search(question) is not None
    asked = words_of(question)
    said = field.split()
    return all(w not in STOP and any(same_word(w, q) for q in asked) for w in said)


#: "Who wrote …?": a question about who wrote a work
_WRITING_ASKED = re.compile(r"\bwho\s+(?:wrote|authored)\b", re.IGNORECASE)


#: "X wrote it", "X actually painted them": the verb and the work as a pronoun or in words
_DID_IT_AFTER = re.compile(
    r"[\s" + QUOTES + r")]*(?:(?:actually|really|in\s+fact|himself|herself|alone)\s+)?"
    r"(?P<verb>[a-z]+)\s+(?P<what>it|them|this|that|[^.;:,!?\n—–()]{1,60}?)\s*(?:[.;!?\n—–]|,|$)",
    re.IGNORECASE,
)


def _did_the_making(text: str, end: int, question: str) -> bool:
    """For "Who wrote/painted … ?", the option doing the asked verb to the asked work: "but
    Melville wrote it", "Bosch painted it around 1500", not "Hugo wrote Les Misérables" (another
    work: words the question lacks)."""
    asked = _MAKER_ASKED.match(question)
    found = _DID_IT_AFTER.match(text, end)
    if asked is None or found is None:
        return False
    verb = words_of(asked.group(0))[-1]
    if not same_word(found.group("verb").casefold(), verb):
        return False
    what = [w for w in words_of(found.group("what")) if w not in STOP and not w.isdigit()]
    if found.group("what").casefold() in ("it", "them", "this", "that"):
        return True
    asked = words_of(question)
    return bool(what) and all(w in _THE_WORK or any(same_word(w, q) for q in asked) for w in what)


_ELLIPSIS_AFTER = re.compile(
    r"[\s" + QUOTES + r")]*(?:does|did|do|is|was|has|had)\s*"
    r"(?:[.!;—–]|$|,\s*(?:[a-z]+ing|though|instead|in\s+fact|of\s+course)\b)"
)

_LIKENED_BEFORE = re.compile(r"\b(?:as|than|so|nor|neither|like)\s+(?:the\s+|a\s+|an\s+)?$", re.I)

#: "X is/are (much) <comparative>" after the question's superlative: the option beats others
_COMPARED_AFTER = re.compile(
    r"[\s" + QUOTES + r")]*(?:is|are|was|were)\s+(?:(?:much|far|even|considerably|significantly"
    r"|slightly|a\s+bit|a\s+lot)\s+)?(?P<more>more\s+\w+|\w+)\b",
    re.IGNORECASE,
)

#: "X has (won) more" after a question asking which has the most: the option beats the others
_HAS_MORE_AFTER = re.compile(
    r"[\s" + QUOTES + r")]*(?:has|have|had)\s+(?:(?:won|scored|taken|claimed)\s+)?"
    r"(?:(?:many|far|even|considerably|significantly|a\s+lot)\s+)?more\b(?!\s+than\b)",
    re.IGNORECASE,
)

#: "X holds the (all-time) record", "X has the most": the asked rank said of the option
_HOLDS_THE_RECORD = re.compile(
    r"[\s" + QUOTES + r")]*(?:holds|held|has|had|set)\s+the\s+(?:all-time\s+|world\s+)?record\b",
    re.IGNORECASE,
)
_A_RANK_ASKED = re.compile(r"\bthe\s+(?:most|\w{3,}est)\b", re.IGNORECASE)

_IRREGULAR_COMPARATIVES = {"best": "better", "worst": "worse", "most": "more", "least": "less"}


def _beats_the_others(text: str, end: int, question: str) -> bool:
    """ "Giraffes are taller" answers "What is the tallest …?": the option is given the
    comparative of the question's superlative ("tallest", "most abundant")."""
    return comparative_of_the_asked(text, end, question) is not None


def comparative_of_the_asked(text: str, end: int, question: str) -> int | None:
    """Where "is <comparative of the question's superlative>" right after an option ends
    ("The Nile is longer" for "the longest"), or None."""
    if _HOLDS_THE_RECORD.match(text, end) and _A_RANK_ASKED.search(question):
        return end  # "The United States holds the record with 32 titles" for "… the most?"
    owned = _HAS_MORE_AFTER.match(text, end)
    if owned is not None and re.search(r"\bthe\s+most\b", question, re.IGNORECASE):
        return owned.end()  # "the United States has more" for "… won the most titles?"
    compared = _COMPARED_AFTER.match(text, end)
    if compared is None:
        return None
    more = " ".join(compared.group("more").casefold().split())
    asked = words_of(question)
    wanted = {_IRREGULAR_COMPARATIVES.get(w, w[:-3] + "er") for w in asked if w.endswith("est")}
    wanted |= {
        f"more {after}" for before, after in zip(asked, asked[1:], strict=False) if before == "most"
    }
    wanted |= {other for w in wanted for other in _SAME_COMPARATIVE.get(w, ())}
    return compared.end() if more in wanted - {"er", "more", "less"} else None


#: comparatives that say the same: "Alaska is much bigger" answers "the largest"
_SAME_COMPARATIVE = {
    "larger": ("bigger",), "bigger": ("larger",), "taller": ("higher",), "higher": ("taller",),
    "nearer": ("closer",), "closer": ("nearer",), "further": ("farther",),
    "farther": ("further",),
}  # fmt: skip


#: "is 10, the hardest": a value, then the superlative set beside it
_MEASURED_AS = re.compile(
    r"[\s*_)]*(?:['’]s\s+)?(?:is|was|are|were|has|had|at|scores?|rates?|lasts?|takes?"
    r"|measures?|weighs?)\s+[^,.;:!?\n]{1,25},\s*"
    r"(?:by\s+far\s+)?the\s+(?P<rank>\w+est)\b"
    r"(?:[ \t]+of\s+(?:any|all)\s+(?P<among>(?:the\s+)?[\w-]+(?:\s+[\w-]+)?))?(?![ \t]+\w)",
    re.IGNORECASE,
)


def _measured_as_the_asked(text: str, end: int, question: str) -> bool:
    """The option given a value and, beside it, the question's own superlative ("diamond
    is 10, the hardest" for "Which mineral is the hardest …?"; "the African elephant's lasts
    about 22 months, the longest of any land mammal"), that ending its clause or followed
    only by "of any"/"of all" and what the question ranks among (not "the hardest of all the
    silicates", "the hardest of the gemstones you listed")."""
    found = _MEASURED_AS.match(text, end)
    if found is None or found.group("rank").casefold() not in words_of(question):
        return False
    among = found.group("among")  # "of any land mammal", not "of all the silicates"
    return among is None or bool(content_words(among) & content_words(question))


#: "Of the options, only X": the one option a clause singles out (not "not only X")
_ONLY_BEFORE = re.compile(
    r"\s*(?:(?:of|among)\s+(?:the|these|those)\s+(?:\w+\s+)?(?:options|choices)\s*,?\s*)?"
    r"only\s+(?:the\s+)?[" + QUOTES + r"(]*",
    re.IGNORECASE,
)


def restates_the_asked(clause: str, question: str) -> bool:
    """The clause before the option is a subject restating what the question asks, then a
    copula: "the capital is (actually)", "The planet tilted 98° is", "the one that is not a
    primary colour of light is", "2^10 =". Every word of the subject is a question word (or
    filler such as "the one that"), so "the capital of Ontario is" or "In 1841 the capital
    was" restate something else."""
    if not question or len(clause) > 160:
        return False  # a subject that long says more than the question
    found = _COPULA_AT_THE_END.search(clause)
    if found is None:
        return _does_the_asked(clause, question)
    subject = clause[_LEADING_LINK.match(clause).end() : found.start()]
    said = [w for w in words_of(subject) if w not in STOP]
    said += words_of(found.group("done") or "")  # "The Mona Lisa was painted by"
    return bool(subject.strip()) and only_the_asked(said, _with_its_doers(question))


#: who does what a question asks: "The co-author was X" for "Who co-wrote …?"
_DOERS = {
    "wrote": "author writer", "write": "author writer", "written": "author writer",
    "painted": "painter", "discovered": "discoverer", "invented": "inventor",
    "composed": "composer", "founded": "founder", "designed": "designer architect",
    "directed": "director", "sculpted": "sculptor", "built": "builder",
}  # fmt: skip


def _with_its_doers(question: str) -> str:
    """The question with the doers of its verbs added ("author" for "wrote")."""
    doers = [_DOERS[w] for w in words_of(question) if w in _DOERS]
    return " ".join([question, *doers]) if doers else question


def _who_did_the_asked(text: str, end: int, question: str) -> bool:
    """The option, then ", who" and nothing but the question's words: "her brother, William
    Herschel, who discovered Uranus" for "Which astronomer discovered … Uranus …?" (not "…,
    who discovered Jupiter's moons")."""
    found = _WHO_AFTER.match(text, end)
    if found is None or not question:
        return False
    said = [w for w in words_of(found.group("what")) if w not in STOP and not w.isdigit()]
    return bool(said) and only_the_asked(said, question)


_WHO_AFTER = re.compile(
    r"[\s" + QUOTES + r")*_]*,\s*who\s+(?P<what>[^.;:,!?\n—–()]{1,80}?)\s*(?:[.;:,!?\n—–]|$)", re.I
)


#: a question asking what its subject does: "What colour jersey does the leader wear?"
_DO_ASKED = re.compile(r"\b(?:does|do|did)\s+(?P<rest>[^?]+)", re.IGNORECASE)
#: the clause's last word and a preposition after it: "the overall leader wears", "ended in"
_VERB_AT_THE_END = re.compile(
    r"(?P<verb>[a-z]+)(?:\s+(?:in|on|at|by|to|from))?(?:\s+(?:a|an|the))?\s*$", re.I
)


def _does_the_asked(clause: str, question: str) -> bool:
    """The clause restates a "does … <verb> …?" question with its verb inflected: "So the
    overall leader wears" for "What colour jersey does the overall leader … wear?". Its verb
    is one of the question's after "does", its subject only the question's words before it."""
    asked = _DO_ASKED.search(question)
    ends = _VERB_AT_THE_END.search(clause)
    if asked is None or ends is None or len(clause) > 160:
        return False
    verb = ends.group("verb").casefold()
    after = words_of(asked.group("rest"))
    for at, wanted in enumerate(after):
        forms = (wanted + "s", wanted + "es", wanted + "ed", wanted + "d")
        if at and verb in (*forms, *IRREGULAR.get(wanted, ())):
            said = [w for w in words_of(clause[: ends.start()]) if w not in STOP | _LINKS]
            return bool(said) and only_the_asked(said, " ".join(after[:at]))
    return False


#: irregular forms a restating clause gives the asked verb: "the Revolution began in 1789",
#: "a hexagon has 6"
IRREGULAR = {
    "begin": ("began",), "win": ("won",), "write": ("wrote",), "build": ("built",),
    "find": ("found",), "lead": ("led",), "give": ("gave",), "take": ("took",),
    "make": ("made",), "hold": ("held",), "become": ("became",), "come": ("came",),
    "run": ("ran",), "sing": ("sang",), "draw": ("drew",), "fly": ("flew",), "fall": ("fell",),
    "sink": ("sank",), "speak": ("spoke",), "teach": ("taught",), "bring": ("brought",),
    "buy": ("bought",), "think": ("thought",), "rise": ("rose",), "get": ("got",),
    "do": ("did",), "have": ("has",), "split": ("split",), "set": ("set",),
}  # fmt: skip

#: words linking a clause to the one before, which say nothing of its subject
_LINKS = frozenset("so and then thus therefore hence now today here".split())  # noqa: SIM905


#: "X is (actually) <predicate>" up to the end of the clause
_PREDICATE_AFTER = re.compile(
    r"[\s" + QUOTES + r")]*(?:is|was|are|were)\s+(?:(?:actually|indeed|still|in\s+fact|definitely"
    r"|clearly)\s+)?(?P<predicate>[^.;:,!?\n—–()]{1,80})",
    re.IGNORECASE,
)


def _predicated_as_asked(text: str, end: int, question: str) -> bool:
    """The option is given what the question asks, in its words: "The mean is most affected
    by outliers", "Mercury is the closest planet to the Sun" (two question words at least,
    nothing else: not "Sydney is the largest city")."""
    found = _PREDICATE_AFTER.match(text, end)
    if not question or found is None:
        return False
    said = [w for w in words_of(found.group("predicate")) if w not in STOP]
    asked = words_of(question)
    shared = [w for w in said if any(same_word(w, q) for q in asked)]
    return len(shared) >= 2 and only_the_asked(said, question)
