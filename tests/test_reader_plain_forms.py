"""Plain replies the reader left unreadable (kinds found when the eleventh blind set's
reviewer-form, small- and large-model rows were opened at stop 33; each written as a general
rule, with the nearby reply it must leave alone): a reply cut off in a clause about
something the question does not ask of, a "the patent" that refers back to the question's
"the first US patent", a people's plural of an option's short name ("the Incas"), a value
with the question's superlative set beside it ("diamond is 10, the hardest"), and two
options paired with years where the question asks one of them (a clause that leaves out the
verb of the one before, "…, Athens in 2004", says that verb too). Then kinds found in a
blind set of real SmolLM2 replies to new items, opened the same stop: digits for an option
written as a word ("The answer is 6." for "Six"), a year for a century option ("began in
1789" for "18th century"), and the option itself after "<word> of" ("Toronto is the capital
city of Canada"), which is no "<word> of" another thing; and from a second such set: a
country's people said of the asked thing ("Sushi is a Japanese dish"; not "the Norwegian
prince"), a capital before a title that is no option letter ("the answer is actually A
Christmas Carol"), a statement of something that is no option after the option in the same
sentence ("… by Bill Gates, but I think the answer is actually a combination of …"), "but
that's not entirely accurate" disowning what came before, and "but it's actually …" taking
the place of what came before. A rule for cleft sentences ("it was his nephew and heir, X,
who was shot") was dropped after a reviewer's false-alarm set showed clefts saying who did
something else ("It was the old emperor, Franz Joseph, who declared war …"). Then, from the
twelfth blind set's reviewer-form, small- and large-model rows, opened after the thirteenth
was written (it stays blind): misspelt option words ("its tungstun", "I stand by Smetena";
never for a question about words themselves), the people who play an instrument ("Monk was a
pianist"), athletes and other roles as people whose surnames name them (of any script:
"Dvořák"), "I'll revise my answer:" and a "No," after the reply's own sentence as
corrections, an option said again in several sentences, "C++" as no letter, and "resistance"
as the opposite of "conductance". From the twelfth set's hard cases, opened last: "X or Y —
I'd go with Y" decides; "everyone from Toulouse will tell you it's X" and "some zoo signs
still say …" report others' views; "so I couldn't say" declines. From the thirteenth set's
plain rows, opened after the fourteenth was written (which stays blind): what "how many"
counts is every word of its noun phrase ("1 time zone" for "How many official time zones
…?"); diplomats and other roles ask for a person; a closing "Answer: X" or "So … X." decides
after a hedge elsewhere in the reply; an option opening on a preposition is also named
without it ("a walking pace"). From its hard cases, opened last: "everyone assumes X", "my
old physics teacher always insisted X" and "Wikipedia's editors seem to think X" report
others' views; "the rank above X" counts from X. From the fourteenth set's plain rows,
opened after the fifteenth was written: a statement that lists every option ("The moons are
Triton, Nereid, Proteus and Larissa.") is no answer; a route phrase needs a place ("opened
to shipping" for "… opened to navigation?" is no other route); a date asked of "the first X"
is answered without repeating "first" ("Linux was released in 1991"); "I'd suggest checking
a reference" declines. From the fifteenth set's plain rows, opened after the sixteenth was
written: a word with letters put before it is no slip ("carbonate" of "bicarbonate"; letters
after it are: "Machiavellian"); a bare first sentence ("Saffron.") answers when no sentence
shares the question's words and nothing takes it back. From the sixteenth set's plain rows,
opened at stop 34 while two new blind sets were written: "Wait — no," corrects with a dash
too; a clause giving the
question's word to another owner or calling it another one ("the riel is Cambodia's
currency", "a separate award") never outweighs the one answering; after "not X", "X is for
risotto" explains the rejection, no second answer; "X is a false analogy" rejects X. From the
seventeenth set's plain rows: "Not counting Australia, which …?" asks no exception. From the
eighteenth set's, opened after the nineteenth was written: the rejected option explained in a
clause of its own that says nothing of the question ("not 8 — 8 bits make a byte", "it only
flew past Jupiter on the way"; not a bare "1648." or "8 bits is the answer"); "isn't a
superset of Java" denies the question's own words; "inflammation of which organ?" asks the
slot itself, so "inflammation of the liver" is no other thing; "Answer: anti-inflammatory."
gives words of one option only. From the sets opened at stop 35 (blind-time misses of stop
33's code on sets 17-22): an option's modifier of a head another option shares names it in
small letters too ("played alto, not tenor" for "Alto saxophone"), only before a pause or
that head ("nitric oxide" names no "Nitric acid"); small numbers are words a clause shares
with the question ("the $50" and "fifty-dollar"); a full stop inside an option's name
("Ulysses S. Grant") ends no sentence; "was only the youngest elected" narrows the option
out of the asked rank; an option alone after a comma ending its sentence is weighed with the
clause before it ("… written by his son, John Stuart Mill."); of tied clauses the one saying
two of the question's words side by side answers ("Best Picture went to Forrest Gump");
"active at night" is about another thing than "active at twilight"; "Africa" of "South
Africa" (beside "South Sudan") names no option. From the twenty-third set's plain rows,
opened after the twenty-fourth was written: "X did not …; Y did, in 1498" chooses Y; a word
that is part of several options' words ("-ology") is no slip for one; a surname after
another given name is another person ("Marie Curie" for "Pierre Curie"; not after a title,
"Sir Alex Fleming"); a closing "Answer: X" decides; a full stop before a closing quote ends
its sentence; a clause ending on a pronoun ("the ribosome makes them") shares what the
clause before says; a capitalised ordinal names a numbered work ("The Third")."""

from __future__ import annotations

import pytest
from reader_corpora import mc_item, read

from scorers.extraction.sentences import join_names, sentence_of

PARKER = mc_item(
    "Which instrument was jazz musician Charlie Parker famous for playing?",
    ["Trumpet", "Tenor saxophone", "Clarinet", "Alto saxophone"],
    "Alto saxophone",
)
OSTWALD = mc_item(
    "The Ostwald process is used industrially to produce which chemical?",
    ["Sulfuric acid", "Ammonia", "Sodium carbonate", "Nitric acid"],
    "Nitric acid",
)
HENDRIX = mc_item(
    "Which instrument was Jimi Hendrix famous for playing?",
    ["Electric guitar", "Bass guitar", "Drums", "Keyboards"],
    "Electric guitar",
)
FIFTY = mc_item(
    "Whose portrait appears on the US fifty-dollar bill?",
    ["Andrew Jackson", "Alexander Hamilton", "Benjamin Franklin", "Ulysses S. Grant"],
    "Ulysses S. Grant",
)
MILL = mc_item(
    "Who wrote the essay 'On Liberty' (1859)?",
    ["James Mill", "John Stuart Mill", "Jeremy Bentham", "Adam Ferguson"],
    "John Stuart Mill",
)
SALT = mc_item(
    "What is the chemical formula of table salt?", ["NaCl", "KCl", "NaOH", "CaCl2"], "NaCl"
) | {"correct_aliases": ["sodium chloride"]}
OSCAR_1994 = mc_item(
    "Which film won the Academy Award for Best Picture for 1994?",
    ["Pulp Fiction", "Forrest Gump", "The Shawshank Redemption", "Quiz Show"],
    "Forrest Gump",
)
TWILIGHT = mc_item(
    "What term describes animals that are mainly active at twilight?",
    ["Nocturnal", "Diurnal", "Cathemeral", "Crepuscular"],
    "Crepuscular",
)
BOBOTIE = mc_item(
    "Bobotie, a spiced minced-meat dish, is the national dish of which country?",
    ["Kenya", "South Africa", "Ghana", "South Sudan"],
    "South Africa",
)
GAMA = mc_item(
    "Which explorer led the first voyage from Europe to India by sea around Africa, arriving "
    "in 1498?",
    ["Pedro Álvares Cabral", "Vasco da Gama", "Bartolomeu Dias"],
    "Vasco da Gama",
)
BIRDS = mc_item(
    "What is the scientific study of birds called?",
    ["Oology", "Herpetology", "Entomology", "Ornithology"],
    "Ornithology",
)
RADIOACTIVITY = mc_item(
    "Which French physicist discovered radioactivity in uranium salts in 1896?",
    ["Pierre Curie", "Paul Villard", "Henri Becquerel"],
    "Henri Becquerel",
)
PENICILLIN = mc_item(
    "Who discovered penicillin?",
    ["Louis Pasteur", "Alexander Fleming", "Marie Curie", "Joseph Lister"],
    "Alexander Fleming",
)
VALENCE = mc_item(
    "How many valence electrons does a neutral carbon atom have?", ["2", "4", "6", "8"], "4"
)
CONTRACT = mc_item(
    "Who wrote 'The Social Contract' (1762)?",
    ["Voltaire", "Montesquieu", "Jean-Jacques Rousseau"],
    "Jean-Jacques Rousseau",
)
PROTEINS = mc_item(
    "Which cell structure is the site of protein synthesis?",
    ["Lysosome", "Ribosome", "Nucleolus", "Golgi apparatus"],
    "Ribosome",
)
EROICA = mc_item(
    "Which of Beethoven's symphonies is nicknamed the 'Eroica'?",
    ["Symphony No. 5", "Symphony No. 9", "Symphony No. 6", "Symphony No. 3"],
    "Symphony No. 3",
)
YOUNGEST = mc_item(
    "Who was the youngest person to become U.S. president?",
    ["Theodore Roosevelt", "John F. Kennedy", "Bill Clinton", "Ulysses S. Grant"],
    "Theodore Roosevelt",
)

ODYSSEY = mc_item(
    "In Homer's 'Odyssey', what is Odysseus's home island?", ["Ithaca", "Crete", "Rhodes"], "Ithaca"
)
CAPITAL = mc_item("What is the capital of Australia?", ["Canberra", "Sydney"], "Canberra")
LOWEST = mc_item(
    "What is the lowest point on dry land on Earth?",
    ["The Dead Sea shore", "Death Valley", "Lake Assal"],
    "The Dead Sea shore",
)
PATENT = mc_item(
    "Who received the first US patent for the telephone?",
    ["Alexander Graham Bell", "Elisha Gray", "Antonio Meucci", "Thomas Edison"],
    "Alexander Graham Bell",
)
DAVIS = mc_item(
    "Which country has won the most Davis Cup titles?",
    ["United States", "Australia", "France"],
    "United States",
)
MACHU = mc_item(
    "Which civilization built Machu Picchu?",
    ["Inca Empire", "Aztec Empire", "Maya civilization", "Olmec civilization"],
    "Inca Empire",
)
WAR = mc_item(
    "Whose assassination in 1914 triggered the First World War?",
    ["Archduke Franz Ferdinand", "Emperor Franz Joseph", "Kaiser Wilhelm II", "Tsar Nicholas II"],
    "Archduke Franz Ferdinand",
)
MOHS = mc_item(
    "Which mineral is the hardest on the Mohs scale?",
    ["Diamond", "Corundum", "Topaz", "Quartz"],
    "Diamond",
)
GAMES = mc_item(
    "Which city hosted the 2004 Summer Olympics?", ["Athens", "Sydney", "Beijing"], "Athens"
)
GAMES_2000 = mc_item("Which city hosted the 2000 Summer Olympics?", ["Athens", "Sydney"], "Sydney")
HEXAGON = mc_item("How many sides does a hexagon have?", ["Five", "Six", "Seven", "Eight"], "Six")
HEARTS = mc_item("How many hearts does an octopus have?", ["One", "Two", "Three"], "Three")
CENTURY = mc_item(
    "In which century did the French Revolution begin?",
    ["16th century", "17th century", "18th century", "19th century"],
    "18th century",
)
YEAR = mc_item("In which year did the French Revolution begin?", ["1789", "1798"], "1789")
TORONTO = mc_item(
    "In which country is the city of Toronto?",
    ["United States", "Canada", "Australia", "England"],
    "Canada",
)
RESISTANCE = mc_item(
    "What is the SI unit of electrical resistance?", ["Ohm", "Volt", "Ampere"], "Ohm"
)
SUSHI = mc_item(
    "Which country is sushi originally from?", ["China", "Japan", "Korea", "Thailand"], "Japan"
)
HAMLET = mc_item(
    "In which country is Shakespeare's 'Hamlet' set?", ["Denmark", "Norway"], "Denmark"
)
CAROL = mc_item(
    "Who wrote A Christmas Carol?",
    ["Jane Austen", "Charles Dickens", "Oscar Wilde", "Lewis Carroll"],
    "Charles Dickens",
)
WEB = mc_item(
    "Who invented the World Wide Web?",
    ["Bill Gates", "Steve Jobs", "Tim Berners-Lee", "Alan Turing"],
    "Tim Berners-Lee",
)
POLAR = mc_item("What colour is a polar bear's fur?", ["White", "Brown", "Black", "Gray"], "White")
NILE = mc_item("Which is the longest river in Africa?", ["Zambezi", "Nile", "Niger"], "Nile")
NILE["correct_aliases"] = ["the Nile", "Nile River"]
W74 = mc_item(
    "Which element has atomic number 74?", ["Tungsten", "Tantalum", "Rhenium", "Osmium"], "Tungsten"
)
BRIDE = mc_item(
    "Who composed the opera 'The Bartered Bride'?",
    ["Bedřich Smetana", "Antonín Dvořák", "Leoš Janáček"],
    "Bedřich Smetana",
)
METALS = mc_item("Which metal is liquid at room temperature?", ["Iron", "Zinc", "Lead"], "Iron")
PLURAL = mc_item('What is the plural of "woman"?', ["Wimmen", "Women", "Womans"], "Women")
MONK = mc_item(
    "Which instrument did the jazz musician Thelonious Monk play?",
    ["Piano", "Saxophone", "Trumpet"],
    "Piano",
)
FLOP = mc_item(
    "Which athlete popularized the 'flop' technique in the high jump?",
    ["Dick Fosbury", "Valeriy Brumel", "Bob Beamon"],
    "Dick Fosbury",
)
CPP = mc_item(
    "Who created the C++ programming language?",
    ["Bjarne Stroustrup", "Dennis Ritchie", "Ken Thompson"],
    "Bjarne Stroustrup",
)
HEDDA = mc_item(
    "Who wrote the play 'Hedda Gabler'?", ["Henrik Ibsen", "August Strindberg"], "Henrik Ibsen"
)
SALSA = mc_item(
    "Which husk-covered fruit is the base of Mexican salsa verde?",
    ["Green tomato", "Cape gooseberry", "Tomatillo"],
    "Tomatillo",
)
VARANASI = mc_item(
    "Which river flows past the holy city of Varanasi?", ["Yamuna", "Godavari", "Ganges"], "Ganges"
)
HTTPS = mc_item("Which TCP port is assigned by default to HTTPS?", ["443", "80", "22"], "443")
SIEMENS = mc_item(
    "What is the SI unit of electrical conductance?", ["Siemens", "Ohm", "Henry"], "Siemens"
)
LEPANTO = mc_item(
    "In what year was the Battle of Lepanto fought?", ["1571", "1588", "1453"], "1571"
)
ALBI = mc_item(
    "Which river flows through the city of Albi in southern France?",
    ["Tarn", "Garonne", "Lot"],
    "Tarn",
)
OKAPI = mc_item(
    "Which animal is the okapi's closest living relative?", ["Giraffe", "Zebra", "Horse"], "Giraffe"
)
ZONES = mc_item(
    "How many official time zones does China use?", ["One", "Two", "Three", "Five"], "One"
)
SUEZ = mc_item(
    "Which French diplomat developed the Suez Canal?",
    ["Ferdinand de Lesseps", "Gustave Eiffel", "Napoleon III"],
    "Ferdinand de Lesseps",
)
SQL = mc_item(
    "In 'SQL', what does the 'S' stand for?", ["Sequential", "Standard", "Structured"], "Structured"
)
GAS = mc_item(
    "Which noble gas is the most abundant in Earth's atmosphere?",
    ["Helium", "Argon", "Neon"],
    "Argon",
)
LARGO = mc_item(
    "What does the tempo marking 'Largo' indicate?",
    ["At a walking pace", "Slow and broad", "Very fast"],
    "Slow and broad",
)
NEUTRON = mc_item(
    "Which physicist discovered the neutron in 1932?",
    ["Ernest Rutherford", "Niels Bohr", "James Chadwick"],
    "James Chadwick",
)
NOBEL = mc_item("In what year were the first Nobel Prizes awarded?", ["1895", "1901"], "1901")
SUMO = mc_item(
    "What is the highest rank in professional sumo wrestling?", ["Ōzeki", "Yokozuna"], "Yokozuna"
)
TRITON = mc_item(
    "Which large moon of Neptune orbits the planet in a retrograde direction?",
    ["Proteus", "Larissa", "Nereid", "Triton"],
    "Triton",
)
SUEZ_YEAR = mc_item(
    "In which year was the Suez Canal opened to navigation?", ["1859", "1869", "1875"], "1869"
)
LINUX = mc_item(
    "In which year was the first version of the Linux kernel released?",
    ["1989", "1991", "1993"],
    "1991",
)
OIL_DROP = mc_item(
    "Which physicist measured the charge of the electron with the oil-drop experiment?",
    ["Niels Bohr", "Robert Millikan", "J. J. Thomson"],
    "Robert Millikan",
)
SODA = mc_item(
    "What is the common name for sodium bicarbonate?",
    ["Washing soda", "Table salt", "Baking soda"],
    "Baking soda",
)
SODA["correct_aliases"] = ["bicarbonate of soda", "bicarb"]
PRINCE = mc_item(
    "Who wrote The Prince (Il Principe)?",
    ["Niccolò Machiavelli", "Dante Alighieri", "Baldassare Castiglione"],
    "Niccolò Machiavelli",
)
SPICE = mc_item(
    "Which spice comes from the dried stigmas of a crocus flower?",
    ["Paprika", "Turmeric", "Saffron"],
    "Saffron",
)
UZBEK = mc_item("What is the capital of Uzbekistan?", ["Tashkent", "Samarkand"], "Tashkent")
GAMES_UNDATED = mc_item(
    "Which city hosted the Summer Olympics twice?", ["Athens", "Sydney"], "Athens"
)

HURLING = mc_item(
    "How many players are on each team in a standard hurling match?", ["11", "13", "15", "17"], "15"
)
CRICKET = mc_item(
    "Which team won the first Cricket World Cup in 1975?",
    ["West Indies", "Australia", "England", "India"],
    "West Indies",
)
NIBBLE = mc_item("How many bits are in a nibble?", ["8", "4", "16", "2"], "4")
CASSINI = mc_item(
    "Which planet did the Cassini spacecraft orbit from 2004 until 2017?",
    ["Saturn", "Jupiter", "Uranus"],
    "Saturn",
)
WESTPHALIA = mc_item(
    "In what year was the Peace of Westphalia signed?", ["1648", "1618", "1713", "1555"], "1648"
)
TYPESCRIPT = mc_item(
    "TypeScript is a typed superset of which programming language?",
    ["Java", "C#", "JavaScript"],
    "JavaScript",
)
HEPATITIS = mc_item(
    "Hepatitis is inflammation of which organ?", ["Liver", "Kidney", "Pancreas"], "Liver"
)
IBUPROFEN = mc_item(
    "To which drug class does ibuprofen belong?",
    ["Corticosteroid", "Nonsteroidal anti-inflammatory drug", "Opioid analgesic", "Antihistamine"],
    "Nonsteroidal anti-inflammatory drug",
)
ISLAND = mc_item(
    "Not counting Australia, which is the largest island in the world?",
    ["Iceland", "Greenland", "Borneo", "New Guinea"],
    "Greenland",
)
DONG = mc_item("What is the currency of Vietnam?", ["Kip", "Riel", "Dong", "Baht"], "Dong")
OSCAR = mc_item(
    "Which film won 'Outstanding Picture' at the first Academy Awards?",
    ["Sunrise", "The Jazz Singer", "Wings", "Metropolis"],
    "Wings",
)
PAELLA = mc_item(
    "Which rice variety is traditionally used for Valencian paella?",
    ["Arborio", "Basmati", "Bomba"],
    "Bomba",
)
CORPUS = mc_item(
    "What is the standard plural of the Latin-derived word 'corpus'?",
    ["Corpi", "Corpora", "Corpae"],
    "Corpora",
)


@pytest.mark.parametrize(
    ("reply", "item", "expected"),
    [
        # cut off in a clause about something else: what it said before stands
        ("Odysseus lives on Ithaca. Ithaca is an island. Odysseus is the king of Ithaca and "
         "his wife is", ODYSSEY, 0),
        # … not where the open clause is the question's or an answer's, or an option's
        ("Sydney is big, but the capital is", CAPITAL, None),
        ("Sydney is big. The correct answer is", CAPITAL, None),
        ("### 1. Death Valley\nBadwater Basin sits 86 m below sea level.\n\n### 2. Lake Assal\n"
         "Lake Assal in Djibouti is", LOWEST, None),
        # "the patent" refers back to the question's "the first US patent"
        ("Meucci filed a caveat; Bell got the patent.", PATENT, 0),
        # … but "the Davis Cup" is not "the most Davis Cup titles"
        ("Australia has won the Davis Cup many times.", DAVIS, None),
        # a people's plural of an option's short name
        ("The Incas.", MACHU, 0),
        ("Incas built it.", MACHU, 0),
        ("It was the Aztecs, not the Incas.", MACHU, 1),
        # a cleft sentence says who did something, not always what was asked: no reading
        ("It was the old emperor, Franz Joseph, who declared war on Serbia a month later; the "
         "man killed was his heir, Franz Ferdinand.", WAR, None),
        ("It was not Franz Ferdinand who died first.", WAR, None),
        # a value, then the question's own superlative beside it
        ("Corundum is 9; diamond is 10, the hardest.", MOHS, 0),
        ("Corundum is 9, the hardest after diamond.", MOHS, 0),
        # options paired with years: the one of the question's year
        ("Sydney hosted in 2000, Athens in 2004.", GAMES, 0),
        ("Athens hosted in 2004; Sydney in 2000.", GAMES, 0),
        ("Sydney hosted in 2000, Athens in 2004.", GAMES_2000, 1),
        # … and no pick when the question names no year: the second clause says "hosted" too
        ("Sydney hosted in 2000, Athens in 2004.", GAMES_UNDATED, None),
        # digits for an option written as a word
        ("The answer is 6.", HEXAGON, 1),
        ("A hexagon has 6 sides.", HEXAGON, 1),
        ("An octopus has 3 hearts, not 1.", HEARTS, 2),
        # a year for a century option, only when the question asks for a century
        ("The French Revolution began in 1789 with the Storming of the Bastille.", CENTURY, 2),
        ("It began in the 18th century, not in 1650.", CENTURY, 2),
        ("It began in 1800.", CENTURY, None),  # read both ways: no century
        # … and a year names no century beside a century the reply names
        ("You're correct, it was the 19th century — things really got going in 1789.", CENTURY, 3),
        ("It began in 1789.", YEAR, 0),
        # the option after "<word> of" is what the phrase is about
        ("Toronto is the capital city of Canada and the largest city in Canada.", TORONTO, 1),
        ("The volt is the unit of electric potential.", RESISTANCE, None),
        # a country's people said of the asked thing, not of something else of theirs
        ("Sushi is a Japanese dish from Tokyo.", SUSHI, 1),
        ("It is Japanese.", SUSHI, 1),
        ("The japanese love it, but it came from China.", SUSHI, 0),
        ("The Japanese chef made it famous.", SUSHI, None),
        ("Fortinbras, the Norwegian prince, takes the throne, but the action is set at "
         "Elsinore.", HAMLET, None),
        # a capital opening a title is no letter
        ("The answer is actually A Christmas Carol", CAROL, None),
        ("The answer is A.", CAROL, 0),
        ("The answer is (B) Charles Dickens.", CAROL, 1),
        # what comes after the option: another answer, a disowning, an "actually"
        ("The World Wide Web was invented by Bill Gates, but I think the answer is actually a "
         "combination of the 19", WEB, None),
        ("Charles Dickens is the author, but that's not entirely accurate.", CAROL, None),
        ("A polar bear's fur is black, but it's actually a mix of brown and white, with a "
         "subtle pinkish", POLAR, None),
        ("A polar bear's fur is black, but it's actually white.", POLAR, 0),
        # … not an answer said again in quotes, nor a cut-off "the answer is"
        ('The Nile River is the longest river in Africa, but the answer is indeed "the Nile '
         'River" but the answer is', NILE, 1),
        # misspelt option words
        ("its tungstun", W74, 0),
        ("I stand by Smetena.", BRIDE, 0),
        # a surname with accents: "Bedřich", "Dvořák" are names; "dvorak" is no English word
        ("Not Dvorak — Smetana.", BRIDE, 0),
        ("the bartered bride is by Smetana, not dvorak", BRIDE, 0),
        ("It is tantalium, I think.", W74, 1),
        ('The answer is "womens"', PLURAL, None),  # a question about words: no slips
        ("Rhenum? No, osmum.", W74, 3),
        ("Zinx.", METALS, None),  # no slip read for a word shorter than six letters
        # who plays an instrument
        ("No, not saxophone; Monk was a pianist.", MONK, 0),
        ("Monk was a pianist and a composer.", MONK, 0),
        # an athlete is a person: a surname names them
        ("I apologize, you're correct: it was Brumel.", FLOP, 1),
        # corrections: "I'll revise my answer:", a "No," after the reply's own sentence
        ("You make a good point — Dennis Ritchie created C. I'll revise my answer: C++ was "
         "created by Dennis Ritchie.", CPP, 1),
        ("Hedda Gabler was written by Henrik Ibsen. No, it was August Strindberg.", HEDDA, 1),
        # a plural in "-oes" of an option's last word
        ("Sorry, you're right: green tomatoes.", SALSA, 0),
        ("No, it was Henrik Ibsen.", HEDDA, 0),
        # an option said again in several sentences
        ("HTTPS uses port 443. Port 443 is secure. HTTP uses port 80. HTTPS uses port 443.",
         HTTPS, 0),
        # a pick after weighing two
        ("1571 or 1588 — I'd go with 1588.", LEPANTO, 1),
        ("I'd go with 1588, or maybe 1571.", LEPANTO, None),
        # others' views, and a decline
        ("Everyone from Toulouse will tell you it's the Garonne, but I've never been, so I "
         "couldn't say.", ALBI, None),
        ("Some zoo signs still say it's related to the zebra.", OKAPI, None),
        ("I can't say for sure, but it's the Tarn.", ALBI, 0),
        # "<verb> past <place>" said of another place than the question's: the other sentence wins
        ("The Yamuna flows past Delhi and Agra. Varanasi is on the Ganges.", VARANASI, 2),
        # what "how many" counts: every word of its noun phrase
        ("China has 1 time zone. It is Beijing time.", ZONES, 0),
        ("The country uses five time zones.", ZONES, 3),
        ("China has 5 provinces.", ZONES, None),
        # a diplomat is a person: a surname names them
        ("Eiffel didn't develop the Suez Canal; de Lesseps did.", SUEZ, 0),
        # a closing answer decides after a hedge elsewhere
        ("It's a common misconception, perhaps because SQL is a standard. But it stands for "
         "Structured Query Language.\n\n**Answer:** Structured", SQL, 2),
        ("Argon makes up far more than neon or helium. So the most abundant is argon.", GAS, 1),
        ("So it is argon, or maybe neon.", GAS, None),
        # an option opening on a preposition, named without it
        ("You're right, I apologize. 'Largo' is closer to a walking pace.", LARGO, 0),
        # others' views
        ("My old physics teacher always insisted it was Rutherford.", NEUTRON, None),
        ("Wikipedia's editors seem to think it was 1901, for what that's worth.", NOBEL, None),
        ("Everyone assumes 'Standard' because of ANSI, and everyone is wrong.", SQL, None),
        # counted from an option
        ("Grand champion — the rank above ōzeki.", SUMO, None),
        ("The yokozuna, the rank above ōzeki.", SUMO, 1),
        # a statement listing every option
        ("The moons are Triton, Nereid, Proteus and Larissa.", TRITON, None),
        ("The retrograde moon is Triton, and Nereid is irregular.", TRITON, 3),
        # a route phrase needs a place
        ("I don't think 1859 is right — that was when construction began. On reflection, the "
         "canal opened to shipping in 1875.", SUEZ_YEAR, 2),
        # the date of "the first X"
        ("Linux was released in 1991 by Linus Torvalds.", LINUX, 1),
        # a reference suggested, no answer
        ("Both J. J. Thomson and Robert Millikan made landmark measurements. I'd suggest "
         "checking a physics history reference to be sure which one you need.", OIL_DROP, None),
        # letters put before a word make another word, not a slip
        ("- Sodium carbonate: Na2CO3\n- Sodium bicarbonate: NaHCO3", SODA, None),
        ('We got the word "Machiavellian" from its author, so take the hint.', PRINCE, 0),
        # a bare first sentence answers; not when taken back
        ("Saffron. Turmeric is a root.", SPICE, 2),
        ("Samarkand. Sorry — Tashkent, I mean.", UZBEK, 0),  # not the bare Samarkand
        # the opposite of the asked property
        ("The ohm is resistance, that much I know.", SIEMENS, None),
        # "Wait — no," corrects; "no doubt" after it does not
        ("Fifteen. Wait — no, eleven, the same as soccer.", HURLING, 0),
        ("Fifteen — wait, no doubt about it.", HURLING, 2),
        # the question's year is no stand-in for its rank (a rule for it was dropped after a
        # false-alarm set: "The 1930 runner-up was Argentina")
        ("Australia played in the final of the 1975 world cup.", CRICKET, None),
        # the asked word given to another owner, or another one of it
        ("The riel is Cambodia's currency; Vietnam uses the dong.", DONG, 2),
        ("The kip is Laos's currency; the dong is Vietnam's.", DONG, 2),
        ("Sunrise won a separate award for Unique and Artistic Production; Outstanding "
         "Picture went to Wings.", OSCAR, 2),
        ("Sunrise won the award; Wings won another award.", OSCAR, 0),
        # "Not counting X" asks no exception: a rank below still rejects
        ("New Guinea is the second largest; Greenland is the largest.", ISLAND, 1),
        # the rejected option explained in a clause of its own
        ("A nibble is 4 bits, not 8 — 8 bits make a byte.", NIBBLE, 1),
        ("Not 8 — 8 bits is the answer.", NIBBLE, None),
        ("Cassini orbited Saturn, not Jupiter; it only flew past Jupiter on the way.",
         CASSINI, 0),
        ("It's not that 1648 is wrong — it isn't wrong at all. 1648.", WESTPHALIA, 0),
        # the question's own words denied
        ("TypeScript isn't a superset of Java; it's a superset of JavaScript.", TYPESCRIPT, 2),
        # "<word> of which …?" asks the slot
        ("Pancreatitis is inflammation of the pancreas; hepatitis is inflammation of the "
         "liver.", HEPATITIS, 0),
        # words of one option only, stated
        ("Answer: anti-inflammatory.", IBUPROFEN, 1),
        ("Answer: painkiller.", IBUPROFEN, None),
        # a rejection explained, not a second answer
        ("Bomba, not Arborio — Arborio is for risotto.", PAELLA, 2),
        ("Bomba, not Arborio — Arborio is the variety for paella.", PAELLA, None),
        # "a false <noun>" rejects the option
        ("Corpora — 'corpi' is a false analogy with -us words like 'cacti'.", CORPUS, 1),
        ("Corpi is a false plural.", CORPUS, None),
        # an option's modifier of a head another option shares names it, in small letters
        # too, before a pause or that head; not before another noun or a preposition
        ("Parker played alto, not tenor.", PARKER, 3),
        ("He was an alto saxophonist.", PARKER, 3),
        ("The key product of the catalytic step is nitric oxide, NO.", OSTWALD, None),
        ("Noel Redding played bass in the Experience, so Hendrix didn't have to.", HENDRIX,
         None),
        # small numbers are words a clause shares with the question: "$50", "fifty-dollar"
        ("Andrew Jackson is on the $20; Ulysses S. Grant is on the $50.", FIFTY, 3),
        ("Alexander Hamilton is on the $10; Benjamin Franklin is on the $100.", FIFTY, None),
        # a full stop inside an option's name ends no sentence; one after a letter does
        ("It was Ulysses S. Grant. Jackson is on the $20.", FIFTY, 3),
        # "only the <asked rank> <narrower>" narrows the option out; "only the youngest
        # person" does not
        ("John F. Kennedy was only the youngest elected, at 43; Theodore Roosevelt, at 42, is "
         "the youngest to take the office.", YOUNGEST, 0),
        ("Theodore Roosevelt was only the youngest person to become president.", YOUNGEST, 0),
        # an option alone after a comma, ending its sentence, is weighed with the clause
        # before it; not when that clause says something else
        ("James Mill was the father; 'On Liberty' was written by his son, John Stuart Mill.",
         MILL, 1),
        ("KCl is used in some salt substitutes, but ordinary table salt is sodium chloride, "
         "NaCl.", SALT, 0),
        # of tied clauses, the one saying two of the question's words side by side
        ("Pulp Fiction won Best Original Screenplay; Best Picture went to Forrest Gump.",
         OSCAR_1994, 1),
        ("Pulp Fiction won an award; Forrest Gump won Best Screenplay.", OSCAR_1994, None),
        # "<word> at <other thing>" is about another thing
        ("Nocturnal means active at night; the twilight word is crepuscular.", TWILIGHT, 3),
        ("Nocturnal means active at twilight; the daytime word is diurnal.", TWILIGHT, 0),
        # "Africa" of "South Africa" beside "South Sudan" names a continent
        ("Bobotie is a dish from Africa. It is very popular in Africa.", BOBOTIE, None),
        ("Bobotie is from South Africa.", BOBOTIE, 1),
        # "X did not …; Y did" chooses Y, though the sentence drops the question's "first"
        ("Bartolomeu Dias rounded the Cape in 1488, but he did not reach India; Vasco da Gama "
         "did, in 1498.", GAMA, 1),
        ("Vasco da Gama sailed in 1497.", GAMA, None),
        # a word part of several options' words is no slip for one of them
        ("It's the one ending in -ology.", BIRDS, None),
        ("It's ornithologie.", BIRDS, 3),
        # a surname after another given name is another person; not after a title or a
        # short form of the option's own
        ("Radioactivity was discovered by Marie Curie in 1896.", RADIOACTIVITY, None),
        ("Radioactivity was discovered by Pierre Curie in 1896.", RADIOACTIVITY, 0),
        ("Sir Alex Fleming.", PENICILLIN, 1),
        # a closing "Answer: X" decides after a worked reply
        ("Carbon has **6 electrons in total**, but only the outer shell counts: **4 valence "
         "electrons**.\n\n**Answer: 4**", VALENCE, 1),
        ("Carbon has **6 electrons in total**. The answer: 4 or 6, I am not sure.", VALENCE,
         None),
        # a full stop before a closing quote ends its sentence
        ("**Jean-Jacques Rousseau**: it opens 'Man is born free.' Voltaire and Rousseau did "
         "not get along.", CONTRACT, 2),
        # a clause ending on a pronoun shares what the clause before says of it
        ("The Golgi apparatus packages proteins; the ribosome makes them.", PROTEINS, None),
        ("The ribosome makes proteins.", PROTEINS, 1),
        # a capitalised ordinal names a numbered work
        ("Not the Fifth. The Third.", EROICA, 3),
        ("The third movement is a scherzo.", EROICA, None),
    ],
)  # fmt: skip
def test_plain_forms(reply, item, expected):
    assert read(reply, item) == expected


def test_a_full_stop_inside_an_option_name_ends_no_sentence():
    """Only the names' own full stops are joined: "Vitamin C." still ends its sentence."""
    names = [["Ulysses S. Grant"], ["Vitamin C"]]
    text = join_names("Ulysses S. Grant is on the $50. Vitamin C. Vitamin D is in skin.", names)
    assert text[slice(*sentence_of(text, 0))] == "Ulysses S\u2024 Grant is on the $50."
    assert text[slice(*sentence_of(text, 33))] == "Vitamin C."
