"""How a reply may name each option: its text, the correct answer's aliases, its distinctive
words ("Pacific" among "… Ocean" options), other ways to write a number, a person's surname,
and the option's word in the other grammatical number ("toothbrushes").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence

from scorers.extraction.folding import fold
from scorers.extraction.numbers import NUMBER, ORDINALS, number_names
from scorers.extraction.words import STOP, words_of

#: a hyphen between two letters of a name ("Rimsky-Korsakov"), often written as a space
_HYPHENATED_NAME = re.compile(r"(?<=[A-Za-z])-(?=[A-Za-z])")


def option_names(choices: Sequence[str], aliases: dict[int, Sequence[str]]) -> list[list[str]]:
    """For each option: its text, its aliases, and its distinctive words.

    "Pacific Ocean" among "… Ocean" options is also recognised as "Pacific",
    so a reply is not unparsed merely for dropping the shared word. Numbers have no
    distinctive words: "3,000,000" among "300,000" and "30,000" is not "3"; nor is a single
    character one: "O(1)" among "O(n)" and "O(log n)" is not "1".
    """
    word_sets = [set(words_of(c)) for c in choices]
    shared = set.intersection(*word_sets) if word_sets else set()
    taken = {fold(c.strip()) for c in choices}
    names: list[list[str]] = []
    for index, choice in enumerate(choices):
        own = [choice, *aliases.get(index, ())]
        if _HYPHENATED_NAME.search(choice):
            own.append(_HYPHENATED_NAME.sub(" ", choice))  # "rimsky korsakov"
        core = " ".join(w for w in words_of(choice) if w not in shared)
        if (
            len(core) > 1  # "O(n)" among "O(…)" options is not "n"
            and shared
            and core != choice.casefold()
            and not NUMBER.fullmatch(choice.strip())
        ):
            own.append(core)
        elif (modifier := modifier_of_a_shared_head(index, choices)) and modifier not in taken:
            own.append(modifier)  # "alto" of "Alto saxophone" beside "Tenor saxophone"
        own += [n for n in number_names(choice, choices) if fold(n) not in taken]
        own += numbered_work(choice, choices)  # "Fifth" for "Symphony No. 5"
        if (bare := _LEADING_PREPOSITION.match(choice.strip())) and fold(
            bare.group(1)
        ) not in taken:
            own.append(bare.group(1))  # "a walking pace" for "At a walking pace"
        names.append(own)
    return names


def modifier_of_a_shared_head(index: int, choices: Sequence[str]) -> str | None:
    """The words before an option's last word when that word is another option's too but the
    words before it are no other option's: "alto" of "Alto saxophone" beside "Tenor
    saxophone" and "Trumpet" (words shared by every option are :func:`option_names`' own).
    Only for a common noun, read in small letters too; a proper name's short name is
    :func:`short_names`', read capitalised."""
    words = words_of(choices[index])
    if len(words) < 2 or NUMBER.fullmatch(choices[index].strip()):
        return None
    if any(w[:1].isupper() for w in choices[index].split()[1:]):
        return None  # a proper name ("Equatorial Guinea"): its short name is read capitalised
    others = [set(words_of(c)) for i, c in enumerate(choices) if i != index]
    head, modifier = words[-1], words[:-1]
    if all(head in o for o in others):
        return None  # shared by every option: the rest is the option's core already
    if not any(head in o for o in others) or any(w in o for w in modifier for o in others):
        return None
    if all(w in STOP or len(w) < 2 for w in modifier):
        return None
    return " ".join(modifier)


#: a numbered work: "Symphony No. 5", "Piano Concerto no. 21"
_NUMBERED = re.compile(r"\bno\.?\s*(\d{1,2})$", re.IGNORECASE)


def numbered_work(choice: str, choices: Sequence[str]) -> list[str]:
    """ "Fifth" for "Symphony No. 5" ("Not the Fifth. The Third.") when every option is a
    numbered work (read only capitalised, like a title: not "the third movement")."""
    found = _NUMBERED.search(choice.strip())
    if found is None or not all(_NUMBERED.search(c.strip()) for c in choices):
        return []
    n = int(found.group(1))
    return [ORDINALS[n - 1].capitalize()] if 1 <= n <= len(ORDINALS) else []


#: an ordinal that counts the reply's own points: "First, …. Second, …. Third, …"
LIST_MARKER = re.compile(r"\s*,")


#: an option opening on a preposition: "At a walking pace", "By the sea" (two words after it)
_LEADING_PREPOSITION = re.compile(r"(?i:at|in|on|by|with|from|for)\s+((?:a|an|the)\s+\w+\s+\w.*)")


def function_word_cores(choices: Sequence[str]) -> set[str]:
    """The distinctive words of :func:`option_names` that are also function words ("who"
    of "The Who" among "The …" bands): one names the option only capitalised."""
    word_sets = [set(words_of(c)) for c in choices]
    shared = set.intersection(*word_sets) if word_sets else set()
    cores = {" ".join(w for w in words_of(c) if w not in shared) for c in choices}
    return {core for core in cores if core in STOP} if shared else set()


#: a question about words themselves, where a word's other form is another answer
ABOUT_WORDS = re.compile(
    r"\b(?:plural|singular|spell\w*|tense|words?|letters?|form|suffix|prefix|grammar\w*)\b", re.I
)

#: options that are all symbols ("Na", "Au", "So", "C"), matched only as written
SYMBOL = re.compile(r"[A-Z][a-z]?")

#: a question about a person: its options are people's names
ASKS_FOR_A_PERSON = re.compile(
    r"\bwho(?:m|se)?\b|\bwhich\s+(?:\w+\s+)?(?:scientist|author|writer|poet|novelist|playwright"
    r"|painter|artist|composer|president|leader|king|queen|emperor|philosopher|physicist|chemist"
    r"|mathematician|economist|explorer|inventor|person|man|woman|astronomer|biologist"
    r"|naturalist|psychologist|historian|sculptor|architect|engineer|director|filmmaker"
    r"|musician|singer|actor|actress|aviator|pilot|astronaut|navigator|general|admiral"
    r"|pharaoh|pope|saint|monarch|ruler|dictator|statesman|politician|prime\s+minister"
    r"|athlete|player|runner|sprinter|swimmer|boxer|cyclist|golfer|skater|gymnast|wrestler"
    r"|jockey|footballer|cricketer|climber|mountaineer|dramatist|designer|photographer"
    r"|dancer|choreographer|conductor|pianist|violinist|guitarist|drummer|chef|prophet"
    r"|diplomat|businessman|businesswoman|entrepreneur|industrialist|missionary|lawyer|judge"
    r"|physician|surgeon|doctor|nurse|professor|reformer|activist|revolutionary|prince"
    r"|princess|duke|sultan|tsar|czar|khan|caliph|chancellor|senator|governor|mayor"
    r"|theologian|linguist|geographer|cartographer|botanist|zoologist|geologist|chemist"
    r"|priest|monk|nun|bishop|apostle|warrior|soldier|commander|officer)\b",
    re.IGNORECASE,
)

#: a word of a person's name: a capital and then small letters, of any script ("Bedřich",
#: "Dvořák"; "Rimsky-Korsakov", "O'Neil" by parts), an initial, or a particle; not a lone
#: capital ("Elizabeth I": "I" is no surname)
_PARTICLE = re.compile(r"[A-Z]\.|(?:da|de|del|der|di|du|van|von|le|la|bin)")


def _name_word(word: str) -> bool:
    if _PARTICLE.fullmatch(word):
        return True
    parts = [p for p in re.split(r"['’-]", word) if p]
    return (
        len(word) >= 2
        and bool(parts)
        and parts[0][0].isupper()
        and all(p.isalpha() and (len(p) == 1 or p[1:].islower()) for p in parts)
    )


#: words that end titles, never a person's name: "We Will Rock You", "Don't Stop Me Now"
_NO_SURNAMES = STOP | {
    "you", "me", "we", "us", "him", "her", "them", "now", "then", "here", "again", "too", "all",
    "one", "up", "down", "out", "away", "home",
}  # fmt: skip


def option_surnames(
    choices: Sequence[str], question: str, aliases: dict[int, Sequence[str]] | None = None
) -> dict[int, str]:
    """A person's surname names them ("Shakespeare" for "William Shakespeare"), in a question
    about a person (an athlete, a diplomat, a king …), when no other option (nor another
    option's alias: "Barca" of "Hannibal Barca") shares it; read only when capitalised, so
    "bell" is no "Alexander Graham Bell"; never a word of the question, nor a function word."""
    if not ASKS_FOR_A_PERSON.search(question):
        return {}
    last: dict[int, str] = {}
    for index, choice in enumerate(choices):
        words = choice.split()
        if 2 <= len(words) <= 4 and all(_name_word(w) for w in words):
            last[index] = words[-1]
    counts = Counter(fold(name) for name in last.values())
    taken = {fold(w) for c in choices for w in c.split()[:-1]}
    taken |= set(words_of(question))  # "Inca" of "Manco Inca" for "Which Inca ruler …?"
    aliased = {
        j: {fold(w) for a in named for w in a.split()} for j, named in (aliases or {}).items()
    }
    return {
        i: name
        for i, name in last.items()
        if counts[fold(name)] == 1
        and fold(name) not in taken
        and fold(name) not in _NO_SURNAMES  # "You" of "We Will Rock You" in "Which Queen song …?"
        and not any(fold(name) in words for j, words in aliased.items() if j != i)
    }


#: what a reply calls a country's people or things: "a Japanese dish" is from Japan
_DEMONYMS = {
    "Afghanistan": "Afghan", "Argentina": "Argentine Argentinian", "Australia": "Australian",
    "Austria": "Austrian", "Bangladesh": "Bangladeshi", "Belgium": "Belgian",
    "Brazil": "Brazilian", "Bulgaria": "Bulgarian", "Canada": "Canadian", "Chile": "Chilean",
    "China": "Chinese", "Colombia": "Colombian", "Croatia": "Croatian", "Cuba": "Cuban",
    "Czech Republic": "Czech", "Denmark": "Danish", "Egypt": "Egyptian", "England": "English",
    "Ethiopia": "Ethiopian", "Finland": "Finnish", "France": "French", "Germany": "German",
    "Ghana": "Ghanaian", "Greece": "Greek", "Hungary": "Hungarian", "Iceland": "Icelandic",
    "India": "Indian", "Indonesia": "Indonesian", "Iran": "Iranian Persian", "Iraq": "Iraqi",
    "Ireland": "Irish", "Israel": "Israeli", "Italy": "Italian", "Jamaica": "Jamaican",
    "Japan": "Japanese", "Kenya": "Kenyan", "Korea": "Korean", "South Korea": "Korean",
    "Lebanon": "Lebanese", "Malaysia": "Malaysian", "Mexico": "Mexican",
    "Mongolia": "Mongolian", "Morocco": "Moroccan", "Nepal": "Nepali Nepalese",
    "Netherlands": "Dutch", "the Netherlands": "Dutch", "New Zealand": "Kiwi",
    "Nigeria": "Nigerian", "Norway": "Norwegian", "Pakistan": "Pakistani", "Peru": "Peruvian",
    "Philippines": "Filipino Philippine", "Poland": "Polish", "Portugal": "Portuguese",
    "Romania": "Romanian", "Russia": "Russian", "Saudi Arabia": "Saudi",
    "Scotland": "Scottish", "Serbia": "Serbian", "Singapore": "Singaporean",
    "South Africa": "South African", "Spain": "Spanish", "Sweden": "Swedish",
    "Switzerland": "Swiss", "Syria": "Syrian", "Taiwan": "Taiwanese", "Thailand": "Thai",
    "Tibet": "Tibetan", "Turkey": "Turkish", "Ukraine": "Ukrainian",
    "United Kingdom": "British", "United States": "American", "USA": "American",
    "Venezuela": "Venezuelan", "Vietnam": "Vietnamese", "Wales": "Welsh",
}  # fmt: skip


def demonyms(choices: Sequence[str], question: str) -> dict[int, list[str]]:
    """For a question asking for a country, what its people or things are called ("Japanese"
    for Japan), read only capitalised; none that two options share ("Korean" for North and
    South Korea) or that is a word of the question or of another option."""
    if not re.search(r"\b(?:country|countries|nation)\b", question, re.IGNORECASE):
        return {}
    taken = set(words_of(question)) | {w for c in choices for w in words_of(c)}
    return _looked_up(choices, _DEMONYMS, lambda name: [name], taken)


def _looked_up(
    choices: Sequence[str],
    table: dict[str, str],
    forms: Callable[[str], list[str]],
    taken: set[str] = frozenset(),  # type: ignore[assignment]
) -> dict[int, list[str]]:
    """Each option's names from ``table`` (keyed by the option's folded text; names apart by
    spaces), in each of their ``forms``; none that two options share or that is ``taken``."""
    folded = {fold(key): names for key, names in table.items()}
    found = {
        index: [form for name in folded[fold(choice.strip())].split() for form in forms(name)]
        for index, choice in enumerate(choices)
        if fold(choice.strip()) in folded
    }
    counts = Counter(fold(name) for names in found.values() for name in names)
    return {
        index: kept
        for index, names in found.items()
        if (kept := [n for n in names if counts[fold(n)] == 1 and fold(n) not in taken])
    }


#: who plays an instrument: "Monk was a pianist" names the piano
_PLAYERS = {
    "piano": "pianist", "violin": "violinist", "guitar": "guitarist", "cello": "cellist",
    "flute": "flautist flutist", "harp": "harpist", "organ": "organist", "drums": "drummer",
    "trumpet": "trumpeter", "saxophone": "saxophonist", "bass": "bassist", "viola": "violist",
    "clarinet": "clarinettist clarinetist", "oboe": "oboist", "trombone": "trombonist",
    "double bass": "bassist", "harpsichord": "harpsichordist", "banjo": "banjoist",
    "percussion": "percussionist", "accordion": "accordionist", "bassoon": "bassoonist",
}  # fmt: skip


def players(choices: Sequence[str], question: str) -> dict[int, list[str]]:
    """For a question about an instrument, who plays each option ("pianist" for "Piano"),
    singular and plural; none that two options share."""
    if not re.search(r"\binstruments?\b|\bplay(?:s|ed|ing)?\b", question, re.IGNORECASE):
        return {}
    return _looked_up(choices, _PLAYERS, lambda name: [name, name + "s"])


_CENTURY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)\s+century", re.IGNORECASE)


def century_years(choices: Sequence[str], question: str) -> dict[int, list[str]]:
    """For "In which century …?", the years of each century option: "1789" names "18th
    century" (years 1701 to 1799; a year ending in 00 is read both ways, so names none)."""
    if not re.search(r"\bcentury\b", question, re.IGNORECASE):
        return {}
    years: dict[int, list[str]] = {}
    for index, choice in enumerate(choices):
        if (century := _CENTURY.fullmatch(choice.strip())) is not None:
            base = 100 * (int(century.group(1)) - 1)
            years[index] = [str(base + n) for n in range(1, 100) if base + n >= 100]
    return years


def other_forms(choices: Sequence[str], question: str) -> dict[int, list[str]]:
    """The option's word in the other number: "Carnivore" for "Carnivores", "toothbrushes" for
    "Toothbrush", "volts" for "Volt"; unless that form is a word of the question or another
    option or a function word ("are" of "Ares"), or begins another option, or the question
    asks for a person."""
    about_words = bool(ABOUT_WORDS.search(question))  # "the plural of 'woman'?": no plurals
    if ASKS_FOR_A_PERSON.search(question):
        return {}  # a person has no plural: "Theseus" is no "theseu", "Jason" no "jasons"
    taken = {w for c in choices for w in words_of(c)} | set(words_of(question))
    extra: dict[int, list[str]] = {}
    for index, choice in enumerate(choices):
        folded = fold(choice.strip())
        if _COMMON_PHRASE.fullmatch(choice.strip()):  # "Polka dot": "polka dots"
            head, _, last = folded.rpartition(" ")
            plurals = [p for p in _plurals(last) if p not in taken]
            if plurals and not about_words:
                extra[index] = [f"{head} {p}" for p in plurals]
            continue
        if not re.fullmatch(r"[a-z]{3,}", folded):
            continue
        if folded.endswith("s") and len(folded) > 3 and not folded.endswith("ss"):
            forms = [folded[:-3] + "y" if folded.endswith("ies") else folded[:-1]]
        elif about_words:
            continue
        else:
            forms = _plurals(folded)
        kept = [
            f
            for f in forms
            if f not in taken
            and f not in STOP  # "Ares" is no "are"
            and not any(fold(c).startswith(f) for j, c in enumerate(choices) if j != index)
        ]
        if kept:
            extra[index] = kept
    return extra


#: an option named by a common noun phrase: a word, then lower-case words ("Polka dot",
#: "Salivary amylase"), whose last word takes the other number
_COMMON_PHRASE = re.compile(r"[A-Za-z]+(?: [a-z]{3,})+")


def _plurals(word: str) -> list[str]:
    """:func:`_plural`, and for a word ending in a consonant and "o" its plural in "-oes"
    too ("tomatoes", "potatoes"; "pianos" is the first)."""
    plural = _plural(word)
    if not plural:
        return []
    return [plural, word + "es"] if re.search(r"[^aeiou]o$", word) else [plural]


def _plural(word: str) -> str:
    """The plural of a singular noun ("dot" -> "dots", "glass" -> "glasses", "berry" ->
    "berries"); empty for one already plural."""
    if word.endswith("s") and not word.endswith("ss"):
        return ""
    if re.search(r"(?:s|x|z|ch|sh)$", word):
        return word + "es"
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    return word + "s"


def words_every_option_has(choices: Sequence[str]) -> set[str]:
    """The (folded) words all the options share: "sea" of "Black Sea" and "Red Sea"."""
    words = [set(fold(c.strip()).split()) for c in choices]
    return set.intersection(*words) if words else set()


def short_names(choices: Sequence[str], question: str) -> dict[int, list[str]]:
    """Shorter names a reply calls an option by, read only when capitalised (like surnames):
    its own capitalised words when the rest is shared with another option ("Andromeda" for
    "Andromeda Galaxy" beside "Triangulum Galaxy"; "the Incas" too, for "Inca Empire" beside
    "Aztec Empire") or is the kind the question asks for ("Prado" for "Prado Museum" in "In
    which museum …?"), a ruler's name without the epithet ("Constantine" for "Constantine the
    Great"), a given name where another option shares the surname ("Percy" for "Percy Bysshe
    Shelley" beside "Mary Shelley"), in a question about a person, a name
    without its first word ("Bruegel the Elder" for "Pieter Bruegel the Elder"), and the last
    word of a longer name with "The" ("the Stones" for "The Rolling Stones"). None that is
    a word of the question or part of another option."""
    folded = [fold(c.strip()) for c in choices]
    asked = set(words_of(question))
    everywhere = words_every_option_has(choices)
    found: dict[int, list[str]] = {}
    for index, choice in enumerate(choices):
        words = choice.split()
        if len(words) < 2:
            continue
        others = [f for j, f in enumerate(folded) if j != index]
        elsewhere = {w for f in others for w in f.split()}
        own = [w for w in words if fold(w) not in elsewhere]
        if len(own) == 2 and len(words) == 2 and fold(words[1]) in asked:
            own = words[:1]  # "Prado" for "Prado Museum" in "In which museum …?"
        short: list[str] = []
        if (
            len(own) == 1
            and own != words
            and not {fold(w) for w in words} - {fold(own[0])} <= everywhere  # "Pacific": a core
            and _CAPITALISED.fullmatch(own[0])
            and fold(own[0]) not in asked
            and fold(words[0]) not in _COMPASS  # "Africa" of "South Africa" is a continent
        ):
            short.append(own[0])  # "Andromeda"
            if plural := _plural(own[0].casefold()):  # "the Incas" for "Inca Empire"
                short.append(own[0][0] + plural[1:])
        if ASKS_FOR_A_PERSON.search(question) and len(words) >= 3 and words[1][:1].isupper():
            short.append(" ".join(words[1:]))  # "Bruegel the Elder"
        if (
            ASKS_FOR_A_PERSON.search(question)
            and len(own) >= 2
            and fold(words[-1]) in elsewhere  # another option shares the surname
            and _CAPITALISED.fullmatch(own[0])
            and fold(own[0]) not in asked
        ):
            short.append(own[0])  # "Percy" for "Percy Bysshe Shelley" beside "Mary Shelley"
        if len(words) == 3 and words[1] == "the" and _CAPITALISED.fullmatch(words[0]):
            short.append(words[0])  # "Constantine" for "Constantine the Great"
        if (
            len(words) >= 3
            and fold(words[0]) == "the"
            and _CAPITALISED.fullmatch(words[-1])
            and fold(words[-1]) not in elsewhere | asked
        ):
            short.append(words[-1])  # "the Stones" for "The Rolling Stones"
        short = [n for n in short if not any(fold(n) in f for f in others)]
        if short:
            found[index] = short
    return found


#: first words that set one place apart from another of the same name: "South Africa" beside
#: "South Sudan" leaves "Africa", which names another place
_COMPASS = frozenset(
    {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "new",
     "upper", "lower", "central", "great", "greater", "little", "lesser"}
)  # fmt: skip

#: a capitalised word of four letters or more: a name, not "Large" or "New"
_CAPITALISED = re.compile(r"[A-Z][a-zà-ÿ]{3,}")
