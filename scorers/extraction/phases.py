"""The reading in phases (:func:`extract_choice`): what the reply still stands by, what makes
it unreadable whatever else it says, then its statements, and only without one the options
it merely names. The rules live in the sibling modules; this is their order.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence

from scorers.extraction.answer_first import opening_answer
from scorers.extraction.answering_sentence import (
    anothers_own,
    answering_sentence,
    of_another_thing,
    without_options,
)
from scorers.extraction.comparisons import compared_unasked, short_of_the_superlative
from scorers.extraction.corrections import names_no_option, revised, standing
from scorers.extraction.cut_off import cut_before_its_answer, cut_in_a_pair
from scorers.extraction.emphasis import emphasised
from scorers.extraction.extracted_answer import UNPARSED, ExtractedAnswer
from scorers.extraction.find_mentions import find_mentions
from scorers.extraction.framing import set_aside
from scorers.extraction.hedges import (
    DECLINES,
    DEPENDS,
    HEDGE,
    NO_ONE_CREDITED,
    coordinated_by_or,
    declined_at,
    hedged_across_sentences,
    hedges,
    knowing_disowned,
    recalled_otherwise,
)
from scorers.extraction.in_passing import answers_something_else, by_another_measure
from scorers.extraction.item_names import item_names
from scorers.extraction.markup import mask_markdown
from scorers.extraction.mention import Mention
from scorers.extraction.names import ASKS_FOR_A_PERSON
from scorers.extraction.negation import ANSWER_WORDS
from scorers.extraction.quotes import QUOTES, unquoted
from scorers.extraction.relative import relative_to_a_named_number
from scorers.extraction.sentences import clause_of, cuts, join_names, part_of, sentence_of
from scorers.extraction.unnamed_answer import turns_to_an_unnamed_answer
from scorers.extraction.verdict import answered, unanswered
from scorers.extraction.wording import ENDS_ITS_CLAUSE
from scorers.extraction.words import POSSESSIVE, STOP, content_words, words_of

_SUPERSEDING = re.compile(
    r"\b(?:but|however|yet|so|thus|therefore|hence|actually|instead)\b|—|–|\s-\s", re.IGNORECASE
)

_FINAL = re.compile(r"\bfinal\s+(?:answer|choice)\b[^.!?\n]*$", re.IGNORECASE)
#: a last sentence that opens on the answer: "So the answer is", "The answer is"
_CLOSING_ANSWER = re.compile(
    r"(?:^|[.!?\n]\s*)(?:so,?\s+|therefore,?\s+|thus,?\s+|in\s+short,?\s+)?the\s+(?:correct\s+)?"
    r"answer\s+is\s+(?:therefore\s+|definitely\s+|still\s+)?[\s*_" + QUOTES + r"]*$",
    re.IGNORECASE,
)


def extract_choice(
    text: str,
    choices: Sequence[str],
    aliases: dict[int, Sequence[str]] | None = None,
    question: str = "",
    *,
    letters: bool = True,
) -> ExtractedAnswer:
    """Map a reply to the option it commits to, or say why not (see :mod:`scorers.extraction`).

    Read in phases: the mentions the reply still stands by (what a correction retracted is
    dropped), then whatever makes it unreadable (an option both put forward and rejected, a
    condition or refusal with no answer stated after it, a name that is no option), then its
    statements ("the answer is", "it's", a restating subject), and only without one the
    options it merely names.

    ``letters=False`` reads names only: free-form answers have no option letters, so "(A)"
    in a reply names nothing."""
    if not text.strip():
        return UNPARSED
    names = item_names(choices, aliases, question)
    masked = join_names(mask_markdown(text), names)  # "Ulysses S. Grant" is one sentence
    found = find_mentions(masked, choices, names, question, letters)  # quoted ones too
    mentions = unquoted(text, found)
    mentions = emphasised(text, mentions)  # the one option in bold is stated
    mentions = set_aside(masked, mentions, choices, question, sentence_of)  # suppositions, …
    mentions = short_of_the_superlative(masked, mentions, choices, question)
    mentions = compared_unasked(masked, mentions, question)
    mentions = cut_in_a_pair(masked, mentions)
    every = mentions  # the names no option's are judged on all, a correction's retracted too
    mentions = standing(masked, mentions)
    rejected = [m for m in mentions if m.polarity != "put"]
    if first := opening_answer(masked, mentions, question):  # "O3 — O2 is ordinary oxygen."
        used = [m for m in mentions if m.index == first.index]
        return answered(text, masked, first, used, [m for m in mentions if m not in used])
    put = [  # "Not neon; neon is only a trace": the rejection explained, no second answer
        m
        for m in _put_forward(masked, mentions, question)
        if not _says_what_it_is_instead(masked, m, rejected, question)
    ]
    if retracted := _denied_at_last(masked, put, mentions):
        put = [m for m in put if m.index not in retracted]
        if not put:  # "It is Paris. Actually, it is not Paris.": nothing left standing
            return unanswered(text, masked, "ambiguous", mentions)
    blocked = _unreadable(text, masked, put, rejected, mentions, (every, question))
    if blocked is not None:
        return blocked
    stated = [m for m in put if m.kind != "text"]
    if put and revised(masked, stated or put, found):
        return unanswered(text, masked, "ambiguous", stated or put)
    if stated:
        return _from_statements(text, masked, put, stated, rejected, mentions, question)
    return _from_names(text, masked, put, rejected, question)


def _put_forward(text: str, mentions: list[Mention], question: str) -> list[Mention]:
    """The mentions the reply puts forward; a possessive yields to a plain mention of another
    option ("Venus is the closest … Earth's "inner" planet": it names what it modifies),
    except a person's ("Newton's law" credits Newton)."""
    put = [m for m in mentions if m.polarity == "put"]
    if ASKS_FOR_A_PERSON.search(question):
        return put
    strong = [
        m
        for m in put
        if m.kind != "text"
        or not POSSESSIVE.match(text, m.end)
        or _ELIDED_AFTER.match(text, m.end)  # "the African elephant's lasts 22 months"
    ]
    if strong and len({m.index for m in strong}) < len({m.index for m in put}):
        return strong
    return put


def _denied_at_last(text: str, put: list[Mention], mentions: list[Mention]) -> set[int]:
    """The options the reply puts forward and then denies in a later sentence, saying nothing
    more of them: "The answer is Pinocchio, but I'm not sure. The answer is not Pinocchio."."""
    denied = set()
    for index in {m.index for m in put}:
        last = max((m for m in mentions if m.index == index), key=lambda m: m.start)
        last_put = max(m.start for m in put if m.index == index)
        if last.polarity == "negated" and sentence_of(text, last.start)[0] > last_put:
            denied.add(index)
    return denied


#: "A is actually B": one option said to be another
_IS = re.compile(
    r"[\s" + QUOTES + r")*_]*(?:is|was|are|were)\s+(?:actually\s+|really\s+|in\s+fact\s+)?"
    r"[\s" + QUOTES + r"(*_]*"
)


def _options_equated(text: str, mentions: list[Mention]) -> bool:
    """The reply says one option is another, a contradiction no answer survives: "The hare is
    indeed the winner, but the hare is actually the tortoise." (not "the hare is the
    tortoise's rival")."""
    starts = {m.start: m for m in mentions}
    for m in mentions:
        if (
            (is_ := _IS.match(text, m.end))
            and (other := starts.get(is_.end()))
            and other.index != m.index
            and ENDS_ITS_CLAUSE.match(text, other.end)
        ):
            return True
    return False


def _negated_in(text: str, rejected: list[Mention]) -> set[tuple[int, tuple[int, int]]]:
    """(option, sentence) for each option the reply negates."""
    return {(r.index, sentence_of(text, r.start)) for r in rejected if r.polarity == "negated"}


def _unreadable(
    text: str,
    masked: str,
    put: list[Mention],
    rejected: list[Mention],
    mentions: list[Mention],
    named: tuple[list[Mention], str],
) -> ExtractedAnswer | None:
    """Ambiguous whatever else the reply says: it puts an option forward and rejects it in
    one sentence ("not Gravity, but rather the concept of gravity"; not when only conceded:
    "isn't written in Greek, though its letters come from Greek"), makes its answer
    conditional or declines to give one ("It depends on …", "I'd rather not commit") with no
    answer stated after, or names as its answer something that is no option
    (:func:`~scorers.extraction.corrections.names_no_option` of ``named``: every mention,
    before a correction too, and the question)."""
    if put and _options_equated(masked, mentions):
        return unanswered(text, masked, "ambiguous", put)
    negated = _negated_in(masked, rejected)
    for m in put:
        if (
            (m.index, sentence_of(masked, m.start)) in negated
            and not _conceded(masked, m)
            and not _then_stated_otherwise(masked, m, put, rejected)
            and not _explained_after_its_denial(masked, m, put, rejected)
        ):
            return unanswered(text, masked, "ambiguous", [m, *rejected])
    held_back = max((h.end() for p in (DEPENDS, DECLINES) for h in p.finditer(masked)), default=-1)
    if put and held_back >= 0 and not any(m.kind != "text" and m.start > held_back for m in put):
        return unanswered(text, masked, "ambiguous", put)  # no answer stated past the condition
    declined = declined_at(masked, named[1])
    if put and declined >= 0 and not any(m.start > declined for m in put):
        return unanswered(text, masked, "ambiguous", put)  # "…, so I'd hesitate to pick one."
    disowned = knowing_disowned(masked, mentions)
    if put and disowned >= 0 and not any(m.start >= disowned for m in put):
        return unanswered(text, masked, "ambiguous", put)  # "…, honestly, I don't know."
    credited = [c.end() for c in NO_ONE_CREDITED.finditer(masked)]
    if put and credited:  # "hard to credit any one person", unless "…, but the credit goes to X"
        turn = _PICKED_ANYWAY.search(masked, credited[-1])
        if turn is None or not any(m.start > turn.start() for m in put):
            return unanswered(text, masked, "ambiguous", put)
    if put and names_no_option(masked, *named):
        return unanswered(text, masked, "ambiguous", put)
    if put and recalled_otherwise(masked, put, mentions, named[1]):
        return unanswered(text, masked, "ambiguous", mentions)  # "… though I recall it being Y"
    if put and hedged_across_sentences(masked, mentions):
        return unanswered(text, masked, "ambiguous", [*put, *(m for m in mentions if m not in put)])
    return None


def _from_statements(
    text: str,
    masked: str,
    put: list[Mention],
    stated: list[Mention],
    rejected: list[Mention],
    mentions: list[Mention],
    question: str,
) -> ExtractedAnswer:
    """The option the reply's statements name: the last "Final answer:" part wins; a
    statement stands unless another option is put forward beside it in its sentence (and
    not superseded, "X …, so the answer is Y") or the reply hedges, unless it decides after
    the hedge. (A later statement of something that is no option, :func:`revised`, is read
    before, for statements and names alike.)"""
    if question and len({m.index for m in stated}) > 1:
        # "Jefferson was the first Secretary of State; Hamilton was the first Secretary of the
        # Treasury.": a restatement about another thing yields to the one about the asked
        named = sorted((s.start, s.end) for s in stated)
        kept = [m for m in stated if not _restates_another_thing(masked, m, named, question)]
        if kept and len(kept) < len(stated):
            put = [m for m in put if m not in stated or m in kept]
            stated = kept
    finals = [
        m
        for m in stated
        if _FINAL.search(masked, max(0, m.start - 40), m.start)
        or (  # a closing "**Answer: 4**" after a worked reply
            _ANSWER_LABEL.search(masked, max(0, m.start - 20), m.start)
            and _LINE_START.search(masked, max(0, m.start - 20), m.start)
            and not masked[m.end :].strip(" *_.!\n")
        )
        or (  # a closing "So the answer is three." after an explanation
            _CLOSING_ANSWER.search(masked, max(0, m.start - 40), m.start)
            and not masked[m.end :].strip(" *_.!\n")
            and sentence_of(masked, m.start)[0] > 0
        )
    ]
    if finals:  # "I believe it's 212. … Final answer: 206."
        last = part_of(masked, finals[-1].start)
        put = [m for m in put if part_of(masked, m.start) == last]
        stated = [m for m in stated if m in put]
    by_part: dict[tuple[int, int], list[Mention]] = {}
    for m in stated:
        by_part.setdefault(part_of(masked, m.start), []).append(m)
    alongside = [
        m
        for m in put
        if (beside := by_part.get(part_of(masked, m.start)))
        and not _superseded(masked, m, beside)
        and not _beside_a_restatement(masked, m, beside, put)
    ]
    # the statements' parts, and the clauses naming another option: "Barrels are made by a
    # cooper, and clocks by a clockmaker or horologist." hedges nothing the reply answers
    # ("a bet on red or black loses" beside "the zero is green" hedges nothing either)
    answer = stated[0].index if len({m.index for m in stated}) == 1 else None
    parts = {part_of(masked, m.start) for m in stated}
    others = {clause_of(masked, m.start) for m in put if m not in stated}
    if (
        hedges(masked, parts, mentions, or_beside_an_option=True)
        or hedges(masked, others, mentions, or_beside_an_option=True, answer=answer)
    ) and not _decided_after_hedging(masked, stated):
        alongside = put
    if len({m.index for m in alongside}) == 1:
        chosen = [m for m in stated if m in alongside]
        if question and all(by_another_measure(masked, m, question) for m in chosen):
            return unanswered(text, masked, "unparsed", chosen)
        return answered(text, masked, chosen[0], chosen, rejected)
    return unanswered(text, masked, "ambiguous", alongside)


def _from_names(
    text: str, masked: str, put: list[Mention], rejected: list[Mention], question: str
) -> ExtractedAnswer:
    """With no statement: the one option named ("It is Mars", unless "Sahara or Arabian"),
    the one never rejected anywhere ("Leonardo, not Michelangelo. Michelangelo painted the
    Sistine Chapel."), or the one the sentence answering the question names; else
    ambiguous, or unparsed when nothing is put forward (keeping what it negated). A reply
    cut off where its answer would be ("… but the capital is") is unreadable."""
    if put and cut_before_its_answer(masked, question, [*put, *rejected]):
        return unanswered(text, masked, "unparsed", put)
    # "Insects have 6 legs, but a spider has two more.": the number is the base, not the answer
    if relative_to_a_named_number(masked, put, question):
        return unanswered(text, masked, "unparsed", put)
    if len({m.index for m in put}) == 1:
        starts, ends = {m.start for m in put}, {m.end for m in put}
        others = frozenset(r.start for r in rejected if r.index != put[0].index)
        if any(coordinated_by_or(masked, m, starts, ends, others) for m in put):
            return unanswered(text, masked, "ambiguous", put)
        if answers_something_else(masked, put, question, rejected):
            return unanswered(text, masked, "unparsed", put)
        if turns_to_an_unnamed_answer(masked, put, [*put, *rejected], question, text):
            return unanswered(text, masked, "unparsed", put)
        return answered(text, masked, put[0], put, rejected)
    negated = _negated_in(masked, rejected)
    kept = [m for m in put if m.index not in {i for i, _ in negated}]
    if len({m.index for m in put}) > 1 and len({m.index for m in kept}) == 1:
        if answers_something_else(masked, kept, question, rejected):
            return unanswered(text, masked, "unparsed", put)
        return answered(text, masked, kept[0], kept, rejected)
    if put:
        head = answering_sentence(masked, put, question)
        if head and answers_something_else(masked, head, question, rejected):
            return unanswered(text, masked, "unparsed", put)
        if head:
            return answered(text, masked, head[0], head, rejected)
        return unanswered(text, masked, "ambiguous", put)
    unread = unanswered(text, masked, "unparsed", rejected)
    negated_only = tuple(sorted({r.index for r in rejected if r.polarity == "negated"}))
    return unread.model_copy(update={"negated": negated_only}) if negated_only else unread


#: "… — I'd go with Y": the reply picks after weighing
_DECIDED = re.compile(
    r"\bI(?:['’]d|\s+would|['’]ll|\s+will)\s+(?:still\s+)?(?:go\s+with|pick|choose|opt\s+for"
    r"|lean\s+towards?)\s+(?:the\s+)?[\s*_" + QUOTES + r"(]*$"
)


def _decided_after_hedging(text: str, stated: list[Mention]) -> bool:
    """The last statement picks one option after the hedge, with nothing hedged after it:
    "1571 or 1588 — I'd go with 1588", "…, perhaps because it is a standard. … **Answer:**
    Structured", "… far more than neon or helium. So the most abundant is argon."."""
    last = stated[-1]
    decided = _DECIDED.search(text, max(0, last.start - 60), last.start) or _ANSWER_LABEL.search(
        text, max(0, last.start - 20), last.start
    )
    if decided is None and not text[last.end :].strip(" *_.!\n"):
        decided = _CONCLUSION.match(text, sentence_of(text, last.start)[0])
    return decided is not None and not HEDGE.search(text, decided.start())


#: a line that opens on "Answer:": nothing before it on its line but markup
_LINE_START = re.compile(r"(?:^|\n)[\s*_#>]*answer\s*:\s*$", re.IGNORECASE)
#: "Answer: X", "**Final answer:** X" (the markup masked)
_ANSWER_LABEL = re.compile(r"\banswer\s*:\s*$", re.IGNORECASE)
#: a sentence opening on its conclusion: "So …", "Therefore …", "Thus …" (narrower than
#: ``wording``'s concluding sentence, which also takes "… therefore …" mid-sentence)
_CONCLUSION = re.compile(r"\W*(?:so|therefore|thus|hence)\b", re.IGNORECASE)


def _superseded(text: str, m: Mention, beside: list[Mention]) -> bool:
    """A later statement in the same sentence (``beside``: the statements of the option's
    sentence), past a turn ("but", "so", a dash), replaces what came before: "On land it is
    the elephant, but overall … so the answer is the blue whale". A letter and a name in one
    clause ("The answer is (B) Rome") stay side by side."""
    last = beside[-1].start  # the statements come in order
    if last <= m.end:
        return False
    turns = cuts(text, _SUPERSEDING)[0]  # found once per reply
    first = bisect_left(turns, m.end)
    return first < len(turns) and turns[first] < last


def _beside_a_restatement(
    text: str, m: Mention, beside: list[Mention], every: list[Mention]
) -> bool:
    """A clause restating the question ("the first President was Washington") answers it;
    another option in another clause of the sentence ("and Adams succeeded him") is
    something else the reply says, unless a stronger statement shares the sentence. So is
    an option in a clause that concedes ("I'd go with Canberra, although Sydney is bigger").
    ``beside``: the statements of the option's sentence."""
    if m.kind != "text" or any(
        clause_of(text, s.start) == clause_of(text, m.start) for s in beside
    ):
        return False
    if any(_listed_with(text, s, m, every) for s in beside):
        return False  # "The moons are Triton, Nereid, Proteus and Larissa": a list, not an answer
    start = clause_of(text, m.start)[0]
    if _ADDED.match(text, start, m.start):
        return False  # "Brazil is located in South America, but also in Europe": a second answer
    conceded = _CONCEDING.search(text, max(0, start - 20), start)
    return conceded is not None or all(s.kind == "restated" for s in beside)


#: a possessive whose noun is left out, a verb or a pause right after: "the African
#: elephant's lasts about 22 months", "… the elephant's, the longest"
_ELIDED_AFTER = re.compile(
    r"['’]s\s*(?:,|\s(?:is|was|are|were|has|had|does|did|lasts?|takes?|runs?|measures?"
    r"|weighs?|reaches?|stands?)\b)",
    re.IGNORECASE,
)


def _restates_another_thing(
    text: str, m: Mention, named: list[tuple[int, int]], question: str
) -> bool:
    """A restating statement whose part gives the question's "<word> of <thing>" for another
    thing sharing no word with it, or the asked word to another owner (``named``: the
    statements' sorted spans)."""
    if m.kind != "restated":
        return False
    part = part_of(text, m.start)
    return of_another_thing(text[slice(*part)], question, sharing=False) or anothers_own(
        text, part, named, question
    )


#: a clause adding to the restated answer: "but also in", "and also", "as well as"
_ADDED = re.compile(r"[\s,]*(?:but|and)?\s*(?:also|as\s+well\s+as|too)\b[^,;.!?]*$", re.IGNORECASE)


#: what stands between two options of one list once the options are left out
#: (one token at a time: nested repeats of the spaces left by long names backtracked for ever)
_LIST_GLUE = re.compile(r"(?:[\s,]|\b(?:and|or)\b)*", re.I)


def _listed_with(text: str, a: Mention, b: Mention, every: list[Mention]) -> bool:
    """``a`` and ``b`` are items of one list: between them only commas, "and", "or" and other
    options' names, and the later one ends its clause."""
    gap = without_options(text, (min(a.end, b.end), max(a.start, b.start)), every)
    return _LIST_GLUE.fullmatch(gap) is not None and bool(_LIST_END.match(text, max(a.end, b.end)))


#: a list's last item ends its clause ("… Proteus and Larissa."), not the subject of a verb
_LIST_END = re.compile(r"[\s*_)\"'”’]*(?:[.;:!?\n]|$)")


#: after "hard to credit any one person": a turn to a pick ("but the credit usually goes
#: to …", "though if I must pick, …")
_PICKED_ANYWAY = re.compile(
    r"\b(?:but|though|still|nevertheless|that\s+said|if\s+i\s+(?:must|had\s+to|have\s+to))\b",
    re.IGNORECASE,
)

#: a turn that puts forward what follows it
_TURNED_TO = re.compile(r"\b(?:but|rather|instead|yet)\b", re.IGNORECASE)
#: what a number option counts, right after it: "8 bits make a byte"
_COUNTED_AFTER = re.compile(r"\s*([a-z]+)", re.IGNORECASE)


def _says_what_it_is_instead(text: str, m: Mention, rejected: list[Mention], question: str) -> bool:
    """After rejecting the option ("Bomba, not Arborio — Arborio is for risotto"), the reply
    says what it is instead, in a clause of its own that says nothing of the question's
    ("8 bits make a byte", "it only flew past Jupiter on the way"): an explanation of the
    rejection, not a second answer."""
    if not question or m.kind != "text":
        return False
    clause = clause_of(text, m.start)
    if not any(
        r.index == m.index
        and r.polarity == "negated"
        and r.end <= m.start
        and clause_of(text, r.start) != clause
        for r in rejected
    ):
        return False
    if _TURNED_TO.search(text, max(0, clause[0] - 12), m.start):
        return False  # "not Gravity, but rather the concept of gravity": the turn puts it forward
    rest = text[clause[0] : m.start] + " " + text[m.end : clause[1]]
    asked = content_words(question)
    counted = _COUNTED_AFTER.match(text, m.end)
    if text[m.start].isdigit() and counted:
        rest = rest.replace(counted.group(1), " ", 1)  # "8 bits …" for "How many bits …?"
    said = {w for w in words_of(rest) if w not in STOP and w not in ANSWER_WORDS}
    if said and anothers_own(text, clause, [(m.start, m.end)], question):
        return True  # "not 1 March — 1 March is St David's Day": another's day
    return bool(said) and not content_words(rest) & asked  # not "1648.", "… is the answer"


def _then_stated_otherwise(
    text: str, m: Mention, put: list[Mention], rejected: list[Mention]
) -> bool:
    """The option put forward and rejected in one sentence, then another option stated after
    the rejection in it: "Z appears in Arizona, so it can't be Z; the answer is Q"."""
    sentence = sentence_of(text, m.start)
    denial = max(
        (r.end for r in rejected if r.index == m.index and sentence_of(text, r.start) == sentence),
        default=None,
    )
    return denial is not None and any(
        o.index != m.index
        and o.kind == "statement"
        and o.start > denial
        and sentence_of(text, o.start) == sentence
        for o in put
    )


#: an option opening a clause as its subject: "— Barcelona is where …"
_OPENS_A_CLAUSE = re.compile(r"(?:^|[—–;:]|\s-)[\s*_" + QUOTES + r"]*$")
_AS_ITS_SUBJECT = re.compile(r"[\s*_" + QUOTES + r")]*(?:is|was|are|were|has|had)\b", re.I)


def _explained_after_its_denial(
    text: str, m: Mention, put: list[Mention], rejected: list[Mention]
) -> bool:
    """The option rejected beside another's name, then opening a clause that says what it
    is instead: "The Prado is in Madrid, not Barcelona — Barcelona is where you'll find the
    Picasso Museum." (the rejection explained, no second answer)."""
    sentence = sentence_of(text, m.start)
    denials = [r for r in rejected if r.index == m.index and sentence[0] <= r.start < m.start]
    return (
        bool(denials)
        and m.kind == "text"  # not "— Arborio is the variety for paella": the question again
        and _OPENS_A_CLAUSE.search(text, max(sentence[0], m.start - 6), m.start) is not None
        and _AS_ITS_SUBJECT.match(text, m.end) is not None
        and any(o.index != m.index and sentence[0] <= o.start < denials[0].start for o in put)
    )


#: a clause that concedes something beside the reply's answer
_CONCEDING = re.compile(r"\b(?:although|though|while|whereas)\s*$", re.I)


def _conceded(text: str, m: Mention) -> bool:
    """The option is named in a clause that concedes ("…, though its letters come from X")."""
    start = clause_of(text, m.start)[0]
    return _CONCEDING.search(text, max(0, start - 20), start) is not None
