"""Which option does a free-text reply commit to? Says ambiguous / unparsed rather than guess.

A reply is read as a set of *mentions* of options (their text, distinctive words, aliases of
the correct answer, a person's capitalised surname, a number in words or another notation,
option letters and places: "the second option"), each of which the reply either puts forward
or rejects. A mention is rejected when the reply negates it ("Jupiter is not the Red Planet",
"Mars, not Jupiter", "neither X nor Y", "X did not write it"), or attributes it to someone
else ("many think it is Sydney", "you said London", "often mistaken for X"). The reply is
read in phases: what it still stands by (a correction — "let me correct that:", "actually,
no", "I mislabeled" — retracts everything before it), what makes it unreadable whatever
else it says, then its statements, and only without one the options it merely names:

1. an explicit statement: "The answer is (B)", "Answer: B", "the correct answer is Paris",
   "\\boxed{B}", "I'd still pick C", or a reply that opens with a letter ("(B)", "**B**");
   an assertion ("it's X", "I'll stick with X"); or a clause restating the question around
   the option ("But the capital is actually Ottawa", "the mean is most affected by
   outliers", "the cheetah is faster" or "Alaska is bigger" for "the fastest"/"the largest",
   "X has more" or "X holds the record" for "the most", "The original novel is by
   Cervantes" or "but Melville wrote it" for "Who wrote …?", "So the leader wears yellow"
   for "What … does the leader wear?", "**Composer:** X", "my answer stands: X", "the
   West Indies did, beating …"). A statement naming one option
   beside another in the same sentence is ambiguous ("The answer is (B) Rome"), unless the
   other is superseded ("X is big, so the answer is Y") or only conceded ("although Y…");
2. otherwise exactly one option put forward anywhere in the reply ("It is Mars");
3. otherwise the one never rejected anywhere, or the one named by the sentence (or clause)
   that shares most of the question's words ("Paris is the capital. London is in the UK.")
   — never for a negative question, a number written as a word, or a superlative narrowed
   to somewhere the question does not name ("the largest desert in Asia"). In this phase a
   sentence that says something else of the option answers nothing: it drops the asked rank
   ("Germany won in 2003" for "… the most titles?"), gives the asked word of another thing
   ("Bern is the capital of Switzerland"), gives it the asked role in something else
   ("Copper plays that role in horseshoe crabs"), or names the option only inside a name
   the question asks about ("Kansas City" for Kansas); nor does a reply cut off where its
   answer would be ("… but the capital is").

Rejected too: an option given another property and then denied the asked one, by any verb or
through a pronoun ("Vitamin C causes scurvy, not night blindness", "…, but he didn't invent the
telephone", "— which tells you he wasn't its author", "but neither is the capital", "but
neither wrote it", "it is no longer the capital") or denied the asked rank alone ("…, not the
most"), the question's own verb denied before it ("Iago doesn't appear in Hamlet, …"),
ranked below it ("the second-longest bone"), disowned ("…, so it can't be the answer"),
said not to have the asked thing ("There is no Stanley Cup in field hockey"), judged off the
mark ("36 is a bit low"),
crossed out in a list ("❌"), or said never to have done what is asked; in a
negative question ("Which is NOT a mammal?") the option denied the predicate is the answer and
one given all of it is ruled out. Not put forward: a state that has ended ("Rio was the capital
until 1960"), a blockquote or fenced code beside the reply's own words, a number in another
unit than the question's ("0°C" for a question in Fahrenheit, "0 is the freezing point on the
Celsius scale" for kelvins), a number the reply computes with ("8 + 4 = 12": only 12; "36
squared is 1296"), an exponent ("x²"), the left of "=", a number in an enumeration ("2, 4, 8,
16") or counting something else than "how many" asks ("8 legs and 6 spinnerets"), one side of a
pair or a comparison ("between X and Y", "versus 36 cm for the tibia"), everything listed after
"including", the user's view as the reply reports it ("I understand why X might seem…", "X is a
good guess", "You're right that X…! However", "X is often considered…", "the myth that X", "I
said X"), what "would be" under a condition or what the option only "would be" ("343 km/s would
be absurdly fast"), an option given the opposite of the asked word ("1799 is when it ended" for
"… begin?", ``scorers.opposites``), an option filed under another kind of thing than asked
("Polaris is actually a constellation"), a comparison for a superlative that leaves an option
unnamed ("The Darling is longer than the Murrumbidgee" for "the longest river?" with the Murray
an option), a comparison the question does not ask for ("Etna erupts more often than Vesuvius"
for "… buried Pompeii?"), a state dated to a past stretch of time for a question about now
("was on clay from 1975 to 1977", "… six hundred years ago"), an option said to do the asked
thing to nothing ("Socrates wrote nothing down"), an option that ends a reply cut off after
"and" ("… on the roster and 5"), an option's word inside a contraction ("I don't know" names no
"Don"), a Yes or No that answers "Are you sure?" ("Yes, I'm sure: …"), an option named only
as someone's kin ("the son of Cronus"), a factor of a compound unit ("a candela times a
steradian"), what was moved away from ("moved there from Yangon"), the other end of a move
for "Into which …?" ("from Greek into Latin"), an option in a clause opening on a concession
("Although Lucas did …") or later called a slip or a guess ("…, which is an easy mix-up"),
a number inside a longer one ("36" in "36.6"), a view held by someone the reply names ("My
teacher always said X"), what "would" be under a condition contrary to fact ("If Carmen were
Manon, I'd say X"), an answer for another edition or a narrower region than asked ("the 1998
remake", "in Southeast Asia"), an option's word used as a verb ("let me lead with") or first
in a hyphenated compound ("an ampere-second"), a place's name before a feature of the land
("the niger river"), a number given as the rate something goes at ("at 30 points a frame"),
an option only measured for an "-est" superlative ("violet sits around 400 nm") or only
likened to the asked thing ("close to what we hear in …"), a number said negative
("negative 3", "3 below zero", or "−3" when some option is negative: the option −3 if there
is one, never 3), the user's claim after "you're saying" or "I see where you're coming
from:", and a number that is only the base of an answer about the question's subject given
relative to it ("Insects have 6 legs, but a spider has two more", ``relative``). A reply
that names one option in a clause of its own and then turns to an answer in other words
("Picasso was Spanish too, but the melting clocks were painted by the Catalan with the
upturned moustache", ``unnamed_answer``) is unreadable. Unreadable rather
than guessed: "Sahara or Arabian", another option offered in a sentence of its own ("Qing, I
think. Or was it Ming?"), two options whose sentences weigh against each other, a reply that
makes its answer conditional or declines to give one ("it depends on…", "none of these options
is", "I'd be hesitant to name one") without stating one after, one that corrects itself to,
asserts or turns to a name that is no option ("… is actually Fall", "it's Pyotr Ilyich's", "…,
but gazpacho is Spanish"), a letter beside another option's name ("D, the Yangtze") and a
reply cut off inside a table row.

An option is also named by its own capitalised word when the rest is shared with another
option ("Andromeda" for "Andromeda Galaxy"), a person without the first name ("Bruegel the
Elder"); a Yes/No question answered by restating it ("it is a member") says Yes or No
(``scorers.reading``); an option given the comparative opposite to the asked superlative
("much farther away" for "the nearest") is not put forward, nor is one named in a clause
trailing another's answer (", beating France in the final").

Rounds written on blind sets since (the tests in ``tests/test_reader_plain_forms.py`` and
``tests/test_reader_not_committed.py`` list each rule beside the reply it must leave alone):
corrections by "Wait — no,", "Sorry —", "on reflection", and "No —" or "but no —" with nothing
put forward after; an option given a second hand's part ("merely borrowed it"), named through
a relative ("Akbar's father"), ranked by another measure ("By mass, …"), dated only to other
years than the question's, cut out of another option's longer name ("New Guinea"), disowned
("Just not this one.", "…, said no physicist ever."), or named after "one of the" as a plural
is not put forward; a clause giving the asked word to another owner ("Cambodia's currency")
or about another place or thing never outweighs the answering one; a rejected option
explained in a clause of its own ("not 8 — 8 bits make a byte") is no second answer; two
restatements with different options, or "but also in Europe", are a contradiction.

Several options put forward with nothing to choose between them ("it could be X or Y") is
"ambiguous"; none is "unparsed" (an apology that restates no answer included). Both count as
unreadable, never as the user's answer. Markdown (bold, bullets, headings) and LaTeX ("$3
\\times 10^8$", "\\frac{1}{4}") are read through; an option's word in the other number counts
("toothbrushes", "polka dots" for "Polka dot", except in questions about words); options that
are all symbols ("Na", "So") are read as written. Each reading carries the rule that fired
(``method``) and the span of the reply it read (``evidence``).

Where each part lives (one purpose a module):

- the result and its parts: ``extracted_answer`` (``ExtractedAnswer``), ``mention``
  (``Mention``, ``Kind``, ``Polarity``), ``verdict`` (the rule that fired and its evidence);
- the text: ``markup`` (Markdown, LaTeX), ``folding`` (case and accents), ``sentences``,
  ``words``, ``quotes``;
- naming an option: ``names`` (text, aliases, distinctive words, surnames of any script,
  other number, "the Incas", a country's people said of the asked thing, who plays an
  instrument, a year for a century), ``numbers`` ("6" for "Six"), ``number_forms`` ("5280"
  for "5,280"), ``misspelt`` ("tungstun", "Smetena": one or two edits), ``letters`` (option
  letters and places), ``find_mentions`` (all of them), ``not_an_answer`` (mentions dropped
  whatever is said around them);
- what the reply makes of a mention: ``wording`` (statement, assertion, restatement),
  ``polarity`` (put forward or rejected), built on ``negation``, ``negative_questions``,
  ``attribution`` (contrast, someone else's view, concession) and ``ticks_and_crosses``;
  ``emphasis`` (the one option in bold); ``framing`` (one pass setting aside what is only
  supposed, ``suppositions``; the user's view reported, ``reported_views``; an answer to
  another question, ``other_question``, "Yes, I'm sure", ``sure``; a slip taken back);
  ``comparisons`` (a comparison short of the asked superlative, or not asked for at all);
- the phases: ``phases`` (:func:`extract_choice`), ``corrections``, ``hedges`` (one
  sentence's and across sentences), ``cut_off`` (a reply cut where its answer would be, or
  on the second of a pair), ``answering_sentence``, ``in_passing`` (whether a sentence only
  naming an option answers the question at all), ``relative`` (an answer relative to a
  named number), ``unnamed_answer`` (a turn from the one option named, or a later
  sentence, to an answer in other words: "… itself was written by the Red Priest of
  Venice");
- free-form items: ``free_form`` (:func:`stated_answer`); for numeric items,
  ``restated_number`` (a sum restated with its result, read by ``scorers.reading``).
"""

from __future__ import annotations

from scorers.extraction.extracted_answer import AMBIGUOUS, UNPARSED, ExtractedAnswer, Method, Status
from scorers.extraction.free_form import stated_answer
from scorers.extraction.letters import answer_letter_offset
from scorers.extraction.names import option_names
from scorers.extraction.phases import extract_choice

__all__ = [
    "AMBIGUOUS",
    "UNPARSED",
    "ExtractedAnswer",
    "Method",
    "Status",
    "answer_letter_offset",
    "extract_choice",
    "option_names",
    "stated_answer",
]
