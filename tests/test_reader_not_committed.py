"""Replies that name an option without committing to it (kinds found when blind sets 9 and
10 were opened at stop 32, each written as a general rule and narrowed after a reviewer's
false-alarm set, ``tests/test_reader_trigger_words.py``): an option turned down after a
remark that closes the clause ("so not him.", "close, but no."), granted only as a
possibility ("you might be right that"), left undecided ("… or van dyck i forget which"),
the answer to another question ("if that's what you meant"), a letter beside another
option's name after a dash, denied with its subject left out ("… but is not itself a border
river"), a slip taken back before a cut-off, the user's option praised as "a very natural
reading", and one option named in a clause of its own before a turn to an answer in other
words ("…, but the melting clocks were painted by the Catalan with the upturned
moustache"; at stop 33 also when the option opens the reply as a subject rather than a
bare answer, and, with no turn, when a later sentence restates the question and names no
option, unless the option is set out in bold or its own sentence restates as much). From
the sixteenth set's wrong commitments, opened at stop 34: an option given a lesser part that
says nothing of the question ("the Sumerians merely borrowed it"), named through a relative
("Akbar's father"), ranked by another measure ("By mass, …" for "… by diameter?"), dated to
other years than the question's ("Chanel reopened her house in 1954" for "… in 1947?"), or
listed with another's view ("Many designers, including Chanel and Balenciaga"); "difficult
to credit any one person" declines. From the seventeenth set's wrong commitments, opened
after the eighteenth was written (it stays blind): a name cut out of another option's longer
name ("New Guinea" is not "Guinea"), a sentence disowned by "Just not this one." or "said no
physicist ever", the user's account ("in your version"), "I don't mean X", and two sentences
restating the question with different options ("Yes the square root of 225 is 25"). A
reviewer's false-alarm set for these rules (tests/test_reader_trigger_words4.py) narrowed
them: a lesser part is a second hand's verb or a lesser kind ("merely borrowed", "only a
colliery line"; not "merely noticed mould", "only appears at dusk"); a measure that ranks the
same is no other ("by size", "by radius"; "from its base" is no elevation); life dates and
relative clauses are no other year; a listed option with a verb of its own is no list ("Many
think Sydney, and Canberra is in fact the capital"); no one credited only with no option
after it. From the eighteenth set: "… was completed in 1889. It was completed in 1899."
restates the question twice with different options; "but also in Europe" adds a second
answer to a restated one. From the nineteenth set, opened after the twentieth was written:
"I can't decide" declines; "If …, I'd say X" and an elliptical "If …, X." are conditional;
"No —" after the reply's own sentence with nothing put forward after it takes the answer
back; a clause about another place or thing ("flows through Prague") weighs less than the
answering one, unless it names the question's thing another way ("Crocus sativus"); "one of
the Guineas" chooses none. A false-alarm set for the rules of this and the round before
narrowed them: "Not this time." and a mid-sentence "said no X ever" take nothing back; "in
your answer, and that's correct" endorses; "I don't mean X in any trick sense" rejects
nothing; "Sorry —" and "on reflection" correct; "not counting" denies nothing; a negation
before the negation affirms; "°C is" is no letter C; a stated kind ("analgesic") names no
option. A wrong year for the asked deed done to the asked thing still names the doer ("The
company founded by Jeff Bezos in 2000": real SmolLM2 replies showed it). From the
twentieth set, opened after the twenty-first was written: "doesn't reach the Adriatic; it
empties into …" denies the option the question's verb; a possessive with its noun left out
("the African elephant's lasts …") names the option; "but no —" takes back; "I can't say
which" declines; "if you're sure about X, I'd go with X" defers; a restatement about
another thing ("Secretary of State") yields to the one about the asked. Narrowed on a
false-alarm set: an "If" clause makes the option conditional only when contrary to fact
("If you'd asked about …", "If it were …"; not "If you ask me, X."); "I can't decide" only
ending its sentence; "one of the <plural>" not when the option is a plural itself; "you
hoped for X" is the user's wish. From the twenty-first set, opened after the twenty-second
was written: a surname that is a word of the question ("Inca" of "Manco Inca") names
nobody; "the volcanic one" refers back to the ranked thing; the other-owner check stops a
lone option only as its clause's subject; a rejected option may be explained by another
owner's thing ("1 March is St David's Day"). Narrowed on a false-alarm set: "didn't only"
denies nothing; the pronoun's verb rejects only what it is not said of again; "the hardest
of all the silicates" ranks among fewer; "but no —" takes back only its own sentence;
deferring only when the condition names the option. From the twenty-second set's plain
rows, opened at the end of the stop: "X, who discovered Uranus" and "The co-author was X"
(the doer of the question's verb) restate the question; "a good point about X" grants a
point; "X does the opposite —" rejects X; a statement of another option after "it can't
be Z" in the same sentence decides."""

from __future__ import annotations

import pytest
from reader_corpora import mc_item, read

FIRE = mc_item(
    "Which Roman god was the god of fire and the forge?",
    ["Vulcan", "Janus", "Faunus", "Volturnus"],
    "Vulcan",
)
POLE = mc_item(
    "Who led the first expedition to reach the South Pole?",
    ["Roald Amundsen", "Robert Falcon Scott", "Ernest Shackleton", "Robert Peary"],
    "Roald Amundsen",
)
BITCOIN = mc_item(
    "Under what name was the Bitcoin white paper published?",
    ["Satoshi Nakamoto", "Hal Finney", "Nick Szabo"],
    "Satoshi Nakamoto",
)
PRESIDENT = mc_item(
    "Who was the first President of the United States?",
    ["John Adams", "George Washington", "Thomas Jefferson"],
    "George Washington",
)
CAVALIER = mc_item(
    "Who painted 'The Laughing Cavalier'?",
    ["Frans Hals", "Anthony van Dyck", "Jan Steen"],
    "Frans Hals",
)
TIMES = mc_item("What is 0.3 × 0.3?", ["0.09", "0.9", "0.009", "0.6"], "0.09")
BORDER = mc_item(
    "Which river forms much of the southern land border of the United States?",
    ["Rio Grande", "Colorado River", "Pecos River", "Gila River"],
    "Rio Grande",
)
ARTERY = mc_item(
    "What is the largest artery in the human body?",
    ["Aorta", "Pulmonary artery", "Carotid artery", "Femoral artery"],
    "Aorta",
)
RAM = mc_item(
    "In computing, what does RAM stand for?",
    ["Random Access Memory", "Read Access Memory", "Random Active Memory"],
    "Random Access Memory",
)
SPIN = mc_item(
    "Which planet has the shortest day (the fastest rotation)?",
    ["Saturn", "Jupiter", "Neptune"],
    "Jupiter",
)
GRASS = mc_item("What color is healthy grass?", ["Brown", "Green", "Blue"], "Green")
CLOCKS = mc_item(
    "Who painted 'The Persistence of Memory', with its melting clocks?",
    ["Salvador Dalí", "Pablo Picasso", "René Magritte"],
    "Salvador Dalí",
)
LARGEST = mc_item(
    "Which is the largest planet in our solar system?", ["Jupiter", "Saturn", "Neptune"], "Jupiter"
)
WIND = mc_item(
    "Which scale is used to estimate wind speed?",
    ["Beaufort scale", "Richter scale", "Fujita scale"],
    "Beaufort scale",
)

UNCERTAINTY = mc_item(
    "Who formulated the uncertainty principle in quantum mechanics?",
    ["Werner Heisenberg", "Erwin Schrödinger", "Niels Bohr"],
    "Werner Heisenberg",
)
BIG_APPLE = mc_item(
    "Which city is nicknamed 'the Big Apple'?",
    ["New York City", "Chicago", "Boston"],
    "New York City",
)
BIG_APPLE["correct_aliases"] = ["NYC"]
OUNCE = mc_item(
    "About how many millilitres are in one US fluid ounce?", ["28.41", "29.57", "295.7"], "29.57"
)
FRANCE = mc_item("What is the capital of France?", ["Paris", "Lyon", "Marseille"], "Paris")
FOUR_SEASONS = mc_item(
    "Who composed 'The Four Seasons' violin concertos?",
    ["Antonio Vivaldi", "Johann Sebastian Bach", "George Frideric Handel"],
    "Antonio Vivaldi",
)

CUNEIFORM = mc_item(
    "Which ancient civilization is credited with developing cuneiform writing?",
    ["Phoenicians", "Sumerians", "Egyptians", "Hittites"],
    "Sumerians",
)
ANTIBODIES = mc_item(
    "Which cells secrete antibodies?",
    ["Neutrophils", "T cells", "Plasma cells", "Macrophages"],
    "Plasma cells",
)
CLOSEST = mc_item("Which planet is closest to the Sun?", ["Venus", "Mercury", "Mars"], "Mercury")
CANBERRA = mc_item(
    "What is the capital of Australia?", ["Sydney", "Canberra", "Melbourne"], "Canberra"
)
MUGHAL = mc_item(
    "Who founded the Mughal Empire and was its first emperor?",
    ["Humayun", "Babur", "Aurangzeb", "Akbar"],
    "Babur",
)
DWARF = mc_item(
    "Which is the largest known dwarf planet by diameter?",
    ["Pluto", "Haumea", "Makemake", "Eris"],
    "Pluto",
)
NEW_LOOK = mc_item(
    "Which designer launched the 'New Look' in 1947?",
    ["Cristóbal Balenciaga", "Coco Chanel", "Hubert de Givenchy", "Christian Dior"],
    "Christian Dior",
)
NEUTRON = mc_item(
    "Who discovered the neutron in 1932?",
    ["Ernest Rutherford", "J. J. Thomson", "Niels Bohr", "James Chadwick"],
    "James Chadwick",
)
ORWELL = mc_item(
    "Who wrote the novel '1984'?",
    ["Aldous Huxley", "George Orwell", "Ray Bradbury"],
    "George Orwell",
)

MORESBY = mc_item(
    "Port Moresby is the capital of which country?",
    ["New Zealand", "Equatorial Guinea", "Guinea", "Papua New Guinea"],
    "Papua New Guinea",
)
FIGARO = mc_item(
    "Who composed the opera 'The Marriage of Figaro' (1786)?",
    ["Giuseppe Verdi", "Wolfgang Amadeus Mozart", "Gioachino Rossini"],
    "Wolfgang Amadeus Mozart",
)
POWER = mc_item("What is the SI unit of power?", ["Watt", "Joule", "Volt", "Newton"], "Watt")
XRAYS = mc_item(
    "Who discovered X-rays in 1895?",
    ["Max Planck", "Heinrich Hertz", "Marie Curie", "Wilhelm Röntgen"],
    "Wilhelm Röntgen",
)
ANDORRA = mc_item(
    "What is the sole official language of Andorra?", ["French", "Catalan", "Spanish"], "Catalan"
)
ROOT = mc_item("What is the square root of 225?", ["150", "15", "25", "5"], "15")
DONOR = mc_item(
    "Which blood type is known as the universal red-cell donor?",
    ["AB positive", "O negative", "O positive", "AB negative"],
    "O negative",
)
PEAK = mc_item(
    "Which mountain is the highest by elevation above sea level?",
    ["Everest", "K2", "Mauna Kea", "Kangchenjunga"],
    "Everest",
)
MOON = mc_item(
    "Who was the first person to walk on the Moon, in 1969?",
    ["Neil Armstrong", "Buzz Aldrin", "Michael Collins", "Yuri Gagarin"],
    "Neil Armstrong",
)
SOUTH_SUDAN = mc_item(
    "Which country became independent in 2011?",
    ["Sudan", "South Sudan", "Eritrea", "Kosovo"],
    "South Sudan",
)
GOLD = mc_item("What is the chemical symbol for gold?", ["Au", "Ag", "Gd", "Pb"], "Au")
EIFFEL = mc_item(
    "In which year was the Eiffel Tower completed?", ["1869", "1889", "1899", "1901"], "1889"
)
BRAZIL = mc_item(
    "On which continent is Brazil located?",
    ["Europe", "South America", "Africa", "North America"],
    "South America",
)
FRACTIONS = mc_item("What is 1/4 + 1/3?", ["2/7", "7/12", "5/12", "1/7"], "7/12")
JUNEAU = mc_item(
    "Juneau is the capital of which U.S. state?", ["Alaska", "Hawaii", "Washington"], "Alaska"
)
SAMURAI = mc_item(
    "Who directed the 1954 film 'Seven Samurai'?",
    ["Akira Kurosawa", "Yasujirō Ozu", "Kenji Mizoguchi", "Hayao Miyazaki"],
    "Akira Kurosawa",
)
MOZAMBIQUE = mc_item(
    "What is the official language of Mozambique?",
    ["Portuguese", "Spanish", "French", "English"],
    "Portuguese",
)
DARTS = mc_item(
    "What is the highest score possible with three darts?", ["180", "170", "160", "120"], "180"
)
BALKANS = mc_item(
    "Which sea lies between Italy and the Balkan Peninsula?",
    ["Aegean Sea", "Adriatic Sea", "Tyrrhenian Sea"],
    "Adriatic Sea",
)
VIENNA = mc_item(
    "Which river flows through Vienna?", ["Rhine", "Elbe", "Vltava", "Danube"], "Danube"
)
CROCUS = mc_item(
    "Which spice comes from the stigmas of the crocus flower?",
    ["Saffron", "Turmeric", "Paprika", "Cardamom"],
    "Saffron",
)
CONAKRY = mc_item(
    "Conakry is the capital of which country?",
    ["Equatorial Guinea", "Guinea", "Guinea-Bissau", "Papua New Guinea"],
    "Guinea",
)
PRIDE = mc_item(
    "Who wrote 'Pride and Prejudice'?",
    ["Charlotte Brontë", "Jane Austen", "Mary Shelley"],
    "Jane Austen",
)
RELATIVITY = mc_item(
    "Which scientist developed the general theory of relativity?",
    ["Isaac Newton", "Albert Einstein", "Niels Bohr"],
    "Albert Einstein",
)
PENICILLIN = mc_item(
    "Who discovered penicillin?",
    ["Alexander Fleming", "Louis Pasteur", "Joseph Lister"],
    "Alexander Fleming",
)
ORGAN = mc_item(
    "What is the largest organ of the human body?", ["Liver", "Skin", "Brain", "Lungs"], "Skin"
)
LARGEST_ISLAND = mc_item(
    "Not counting Australia, which is the largest island in the world?",
    ["Greenland", "New Guinea", "Borneo", "Madagascar"],
    "Greenland",
)
CASSINI_ONLY = mc_item(
    "Which planet did the Cassini spacecraft orbit?", ["Jupiter", "Saturn", "Mars"], "Saturn"
)
SUPERSET = mc_item(
    "TypeScript is a superset of which language?",
    ["Java", "JavaScript", "C#", "Python"],
    "JavaScript",
)
DRUG_CLASS = mc_item(
    "Which class of drugs does ibuprofen belong to?",
    ["Nonsteroidal anti-inflammatory drug", "Opioid analgesic", "Corticosteroid", "Antihistamine"],
    "Nonsteroidal anti-inflammatory drug",
)
BOILING = mc_item(
    "At sea level, water boils at what temperature in degrees Celsius?",
    ["90", "100", "110"],
    "100",
)
AMAZON = mc_item(
    "Who founded the company Amazon in 1994?",
    ["Bill Gates", "Jeff Bezos", "Elon Musk"],
    "Jeff Bezos",
)
WORLD_CUP = mc_item(
    "Which country won the FIFA World Cup in 1966?",
    ["England", "West Germany", "Brazil", "Portugal"],
    "England",
)
DANUBE = mc_item(
    "Into which sea does the Danube River empty?",
    ["Black Sea", "Adriatic Sea", "Aegean Sea", "Caspian Sea"],
    "Black Sea",
)
PREGNANCY = mc_item(
    "Which land mammal has the longest pregnancy?",
    ["African elephant", "giraffe", "hippopotamus", "black rhinoceros"],
    "African elephant",
)
MOHS = mc_item(
    "Which mineral is the hardest on the Mohs scale?",
    ["Diamond", "Quartz", "Topaz", "Corundum"],
    "Diamond",
)
DORIAN = mc_item(
    "Who wrote 'The Picture of Dorian Gray'?",
    ["Oscar Wilde", "Robert Louis Stevenson", "Bram Stoker", "Arthur Conan Doyle"],
    "Oscar Wilde",
)
JULY = mc_item(
    "On which date is Independence Day celebrated in the United States?",
    ["July 4", "July 1", "June 4", "July 14"],
    "July 4",
)
TREASURY = mc_item(
    "Who was the first United States Secretary of the Treasury?",
    ["Thomas Jefferson", "Alexander Hamilton", "Albert Gallatin", "John Jay"],
    "Alexander Hamilton",
)
AMALIE = mc_item(
    "Charlotte Amalie is the capital of which territory?",
    ["US Virgin Islands", "British Virgin Islands", "Cayman Islands", "Turks and Caicos Islands"],
    "US Virgin Islands",
)
MONA_LISA = mc_item(
    "Who painted the Mona Lisa?",
    ["Michelangelo", "Leonardo da Vinci", "Raphael", "Titian"],
    "Leonardo da Vinci",
)
CAJAMARCA = mc_item(
    "Which Inca ruler was captured by Francisco Pizarro at Cajamarca in 1532?",
    ["Atahualpa", "Pachacuti", "Manco Inca", "Huáscar"],
    "Atahualpa",
)
VOLCANIC = mc_item(
    "Which moon of Jupiter is the most volcanically active body in the Solar System?",
    ["Europa", "Ganymede", "Callisto", "Io"],
    "Io",
)
MALVOLIO = mc_item(
    "In which Shakespeare play does the steward Malvolio appear?",
    ["Much Ado About Nothing", "Twelfth Night", "As You Like It", "The Tempest"],
    "Twelfth Night",
)
PATRICK = mc_item(
    "On what date is Saint Patrick's Day celebrated?",
    ["17 March", "23 April", "30 November", "1 March"],
    "17 March",
)
STOKER = mc_item(
    "Which novel did Bram Stoker write?",
    ["Frankenstein", "Dracula", "Carmilla"],
    "Dracula",
)
STARRY = mc_item(
    "Who painted 'The Starry Night'?",
    ["Paul Gauguin", "Vincent van Gogh", "Claude Monet", "Paul Cézanne"],
    "Vincent van Gogh",
)
STEPPENWOLF = mc_item(
    "Who wrote 'Steppenwolf'?",
    ["Thomas Mann", "Hermann Hesse", "Franz Kafka", "Günter Grass"],
    "Hermann Hesse",
)
URANUS = mc_item(
    "Which astronomer discovered the planet Uranus in 1781?",
    ["Johann Galle", "William Herschel", "Edmond Halley", "Caroline Herschel"],
    "William Herschel",
)
MANIFESTO = mc_item(
    "Who co-wrote 'The Communist Manifesto' with Karl Marx?",
    ["Friedrich Engels", "Vladimir Lenin", "Mikhail Bakunin", "Friedrich Nietzsche"],
    "Friedrich Engels",
)
ACORNS = mc_item("Acorns are the nuts of which tree?", ["beech", "oak", "chestnut", "hazel"], "oak")
HELIUM = mc_item(
    "Inhaling which gas makes a person's voice sound higher-pitched?",
    ["nitrogen", "carbon dioxide", "sulfur hexafluoride", "helium"],
    "helium",
)
LETTER = mc_item(
    "Which letter of the alphabet appears in the name of no US state?", ["J", "Q", "X", "Z"], "Q"
)
TAUGHT = mc_item("Who taught Aristotle?", ["Plato", "Socrates", "Diogenes"], "Plato")


@pytest.mark.parametrize(
    ("reply", "item", "expected"),
    [
        # turned down after a remark
        ("Volturnus was a river god, so not him.", FIRE, None),
        ("Ernest Shackleton came within 97 miles of it in 1909 — close, but no.", POLE, None),
        # granted only as a possibility; a statement after the grant still stands
        ("You might be right that it's Hal Finney.", BITCOIN, None),
        (
            "Hmm, you might be right that John Adams came first… actually, no — George "
            "Washington was the first President; Adams was the second.",
            PRESIDENT,
            1,
        ),
        # left undecided
        ("the laughing cavalier is by frans hals or van dyck i forget which", CAVALIER, None),
        # the answer to another question
        ("0.3 + 0.3 is 0.6, if that's what you meant.", TIMES, None),
        # denied the asked property with the subject left out
        ("The Pecos flows into it but is not itself a border river.", BORDER, None),
        # taken back, and the reply breaks off before its answer
        ("the largest artery is the femoral artery in the leg no wait it is the", ARTERY, None),
        # the user's option praised, no answer given
        ('I apologise — "Read Access Memory" is a very natural reading.', RAM, None),
        # the one option named, then a turn to an answer it does not name
        ("Picasso was Spanish too, but the melting clocks were painted by the Catalan with "
         "the upturned moustache.", CLOCKS, None),
        # … not when the option comes first, as the answer, and a remark follows
        ("Jupiter — the largest planet in our solar system is more than twice as massive as "
         "all the others combined.", LARGEST, 0),
        # one option named, then a remark: the reply goes on about what it named
        ("Jupiter, which rotates once every ~9 hours 56 minutes — the fastest of any planet.",
         SPIN, 1),
        ("Healthy grass is green, but it can vary depending on the type of grass.", GRASS, 1),
        # … also when the option opens the reply as a subject, not as a bare answer
        ("Bach transcribed several of his concertos for keyboard, but The Four Seasons itself "
         "was written by the Red Priest of Venice.", FOUR_SEASONS, None),
        # with no turn: a later sentence restates the question and names no option
        ("Schrödinger's wave equation is probably what you're thinking of. The uncertainty "
         "principle was published in 1927 by a young German physicist.", UNCERTAINTY, None),
        # … not when the option is set out in bold, given as a bare answer, or its own
        # sentence restates the question as much
        ('That nickname belongs to **NYC**. Jazz musicians used "the Big Apple" to mean the '
         "big time, and the city adopted it in the 1970s.", BIG_APPLE, 0),
        ("**≈ 29.57 mL.** One US fluid ounce is 1/128 of a US gallon.", OUNCE, 1),
        ("Paris is the capital of France. The capital of France has about two million "
         "people.", FRANCE, 0),
        # a letter beside another option's name
        ("B — the Beaufort scale.", WIND, None),
        ("A — the Beaufort scale.", WIND, 0),
        # a lesser part that says nothing of the question
        ("Fair enough — the script was invented by the Egyptians; the Sumerians merely "
         "borrowed it.", CUNEIFORM, 2),
        ("Helper T cells only assist; plasma cells secrete them.", ANTIBODIES, 2),
        ("Mercury is only the closest planet, nothing more.", CLOSEST, 1),
        ("Canberra only became the capital in 1913.", CANBERRA, 1),
        # a relative of the option is someone else
        ("The founder was Akbar's father.", MUGHAL, None),
        ("Babur, Akbar's grandfather.", MUGHAL, 1),
        # ranked by another measure
        ("By mass, the answer is Eris.", DWARF, None),
        ("By diameter, the answer is Pluto.", DWARF, 0),
        # dated to other years than the question's (a quoted title is no year)
        ("Chanel reopened her couture house in 1954.", NEW_LOOK, None),
        ("Dior launched it in 1947; Chanel came back in 1954.", NEW_LOOK, 3),
        ("George Orwell, published in 1949.", ORWELL, 1),
        # another's view runs through a list
        ("Many designers, including Chanel and Balenciaga, shaped the era.", NEW_LOOK, None),
        ("Many think Chanel, but it was Dior.", NEW_LOOK, 3),
        # no one person credited
        ("It's difficult to credit any one person; Rutherford laid the groundwork.",
         NEUTRON, None),
        ("Chadwick, in 1932.", NEUTRON, 3),
        # a name cut out of another option's longer name
        ("Port Moresby is the capital of New Guinea.", MORESBY, None),
        ("Port Moresby is the capital of Papua New Guinea.", MORESBY, 3),
        # a sentence disowned, by the next one or at its end; sarcasm
        ("You're right that Rossini wrote a famous Figaro opera. Just not this one.",
         FIGARO, None),
        ("Mozart. Rossini wrote a famous Figaro opera, just not this one.", FIGARO, 1),
        ("Mozart composed it; Rossini wrote a different Figaro opera.", FIGARO, 1),
        ("Of course it's the joule, said no physicist ever.", POWER, None),
        ("Of course it's the watt.", POWER, 0),
        # the user's account, and what the reply does not mean
        ("Curie gets the credit in your version.", XRAYS, None),
        ("Curie gets the credit in your version; Röntgen in mine.", XRAYS, 3),
        ("The official language is the one spoken in Barcelona, and no, I don't mean Spanish.",
         ANDORRA, None),
        ("Catalan. I don't mean Spanish.", ANDORRA, 1),
        # two sentences restating the question with different options
        ("The square root of 225 is 15. 15 times 15 is 225. Yes the square root of 225 is 25.",
         ROOT, None),
        ("Yes, the square root of 225 is 15.", ROOT, 1),
        # the narrowing from the false-alarm set: the answer's own modest deeds
        ("The Sumerians merely needed a way to keep temple accounts, and that is how cuneiform "
         "began with them.", CUNEIFORM, 1),
        ("Mercury only appears briefly at dusk or dawn, but it's the innermost one.",
         CLOSEST, 1),
        # … measures that rank the same, or agree
        ("By size, Pluto.", DWARF, 0),
        ("Pluto is larger by radius.", DWARF, 0),
        ("By height from its base, Mauna Kea.", PEAK, None),
        ("Everest, by height above sea level.", PEAK, 0),
        # … life dates, a relative clause, a bare dated answer are no other year
        ("Chadwick (1891–1974) found it at the Cavendish Laboratory.", NEUTRON, 3),
        ("Dior launched it, though his house opened in 1946.", NEW_LOOK, 3),
        ("Dior, whose house opened in 1946, launched it the following year.", NEW_LOOK, 3),
        ("Yuri Gagarin, in 1961.", MOON, 3),
        ("Sudan became independent in 1956.", SOUTH_SUDAN, None),
        # … a listed option with a verb of its own; an answer after "hard to single out"
        ("Many think Sydney, and Canberra is in fact the capital.", CANBERRA, 1),
        ("It's hard to single out one person, but the credit usually goes to Chadwick.",
         NEUTRON, 3),
        ("It's not difficult to name a single discoverer: Chadwick.", NEUTRON, 3),
        ("Au. Actually, no question about it.", GOLD, 0),
        # another owner of more than one word
        ("Perth is Western Australia's capital.", CANBERRA, None),
        # two sentences restating the question ("was completed in", "It was completed in")
        ("The Eiffel Tower was completed in 1889. It was completed in 1899.", EIFFEL, None),
        ("The Eiffel Tower was completed in 1889. Work began in 1887.", EIFFEL, 1),
        # a second answer added to a restated one
        ("Brazil is located in South America, but also in Europe.", BRAZIL, None),
        ("Brazil is located in South America, and Portugal is in Europe.", BRAZIL, 1),
        # undecided; conditional asides ("If you'd asked about Honolulu, Hawaii.")
        ("It's 7/12. Actually no — 2/7. Hmm, I honestly can't decide between those two.",
         FRACTIONS, None),
        ("If you'd asked about Olympia, I'd say Washington. If you'd asked about Honolulu, "
         "Hawaii. Juneau, though…", JUNEAU, None),
        ("If it were an anime I'd say Miyazaki, but this is a 1954 samurai epic, so: "
         "Kurosawa.", SAMURAI, 0),
        ("If the question were about Brazil, Angola or Mozambique, the answer would be the "
         "same: Portuguese.", MOZAMBIQUE, 0),
        ("If you have to finish on a double, 170; otherwise 180.", DARTS, None),
        # "No —" after the reply's own sentence, with nothing put forward after it
        ("Dubrovnik is on it, so the Aegean. No — that's wrong, Dubrovnik's sea isn't the "
         "Aegean. I'll leave it there.", BALKANS, None),
        ("The Aegean. No — the Adriatic.", BALKANS, 1),
        # a clause about another place or thing weighs less than the answering one
        ("The Vltava flows through Prague; Vienna is on the Danube.", VIENNA, 3),
        # … but not one naming the question's own thing another way: not Turmeric
        ("**Saffron** is made from the dried stigmas of *Crocus sativus*. **Turmeric**, by "
         "contrast, comes from the rhizome of *Curcuma longa*.", CROCUS, None),
        # the option's name as a plural, one of several
        ("It's one of the Guineas.", CONAKRY, None),
        ("It's Guinea.", CONAKRY, 1),
        # narrowed on the false-alarm set for these rules (tests/test_reader_trigger_words5.py)
        ("Jane Austen — I'm usually unsure about 19th-century novels. Not this time.",
         PRIDE, 1),
        ("Einstein was just a lucky patent clerk, said no physicist ever — he developed "
         "general relativity himself, in 1915.", RELATIVITY, 1),
        ("Fleming gets the credit in your answer, and that's correct.", PENICILLIN, 0),
        ("Fleming gets the credit in your version.", PENICILLIN, None),
        ('I don\'t mean "skin" in any trick sense; the skin really is the largest organ by '
         "area and weight.", ORGAN, 1),
        ("The Eiffel Tower was completed in 1899. Sorry — it was completed in 1889.",
         EIFFEL, 1),
        ("Greenland is the largest island, not counting Australia. New Guinea is the second "
         "largest.", LARGEST_ISLAND, 0),
        ("Cassini orbited Saturn, not Jupiter; on reflection, Jupiter fits better.",
         CASSINI_ONLY, 0),
        ("It's not true that TypeScript isn't a superset of JavaScript — it is one.",
         SUPERSET, 1),
        ("It's widely used for pain relief. Answer: analgesic.", DRUG_CLASS, None),
        ("Water boils at 100 °C at sea level; °C is the unit.", BOILING, 1),
        # a wrong year for the asked deed done to the asked thing still names the doer
        ("The company founded by Jeff Bezos in 2000.", AMAZON, 1),
        ("Brazil won in 1958, 1962 and 1970.", WORLD_CUP, None),
        # from the twentieth set: a verb denied before the option, the question's verb said
        # of another after it
        ("The Danube doesn't reach the Adriatic Sea; it empties into the Black Sea through a "
         "wide delta.", DANUBE, 0),
        # a possessive whose noun is left out, and "the longest of any land mammal"
        ("Black rhinoceros pregnancies last about 15 months; the African elephant's lasts "
         "about 22 months, the longest of any land mammal.", PREGNANCY, 0),
        ("Corundum is 9, the hardest of the gemstones you listed apart from diamond, which is "
         "10.", MOHS, 0),  # not Corundum: "the hardest of …" ranks among fewer
        # "but no —" takes back; "I can't say which"; deferring to the user
        ("I was going to agree with you and say Stoker, but no — it's the author of 'The "
         "Importance of Being Earnest'.", DORIAN, None),
        ("I said July 4 before, but now you've got me doubting — maybe it really is July 14. "
         "I can't say which.", JULY, None),
        # a restatement about another thing yields to the one about the asked
        ("Jefferson was the first Secretary of State; Hamilton was the first Secretary of the "
         "Treasury.", TREASURY, 1),
        # narrowed on a false-alarm set (tests/test_reader_trigger_words6.py): a condition
        # not contrary to fact leads to the reply's own answer
        ("If you ask me, Alaska.", JUNEAU, 0),
        ("If I'm being honest, I'd say Kurosawa.", SAMURAI, 0),
        ("I can't decide whether you're testing me, but the author is Jane Austen.", PRIDE, 1),
        ("Charlotte Amalie is on St Thomas, one of the US Virgin Islands.", AMALIE, 0),
        ("Leonardo da Vinci. Sorry — I know you hoped for Michelangelo.", MONA_LISA, 1),
        # from the twenty-first set: a surname that is a word of the question names nobody
        ("Manco Inca came later, as Spain's puppet ruler; the Inca seized at Cajamarca was "
         "Atahualpa.", CAJAMARCA, 0),
        # "the volcanic one" refers back to the question's ranked thing
        ("Europa has an ice shell and a buried ocean; Io is the volcanic one.", VOLCANIC, 3),
        # the other-owner check stops a lone option only as its clause's subject
        ("Malvolio isn't in As You Like It; he's Olivia's steward in Twelfth Night.",
         MALVOLIO, 1),
        # a rejected option explained by another owner's thing
        ("St Patrick's Day is 17 March, not 1 March — 1 March is St David's Day.",
         PATRICK, 0),
        # narrowed on a false-alarm set (tests/test_reader_trigger_words7.py)
        ("Stoker didn't only write Dracula; he wrote a dozen other novels, but Dracula is the "
         "one.", STOKER, 1),
        ("The Danube never touches the Caspian Sea — the Volga does, and it empties into the "
         "Caspian Sea. For the Danube, the answer is the Black Sea.", DANUBE, 0),
        ("Topaz is 8, the hardest of all the silicates on the list; diamond is 10 and tops the "
         "scale.", MOHS, 0),
        ("Van Gogh painted it in 1889. I thought for a moment that Gauguin might have been "
         "with him, but no — that was Arles.", STARRY, 1),
        ("If you insist on a single name, I'd say Hermann Hesse.", STEPPENWOLF, 1),
        ("If you're sure about Hesse, I'd go with Hesse.", STEPPENWOLF, None),
        # from the twenty-second set's plain rows, opened at the end of stop 34
        ("Caroline Herschel was a notable astronomer in her own right, but it was her brother, "
         "William Herschel, who discovered Uranus.", URANUS, 1),
        ("Lenin was born in 1870, decades after the Manifesto appeared in 1848. The co-author "
         "was Friedrich Engels.", MANIFESTO, 0),
        ("I apologize for my earlier answer. You make a good point about chestnuts.",
         ACORNS, None),
        ("Good point — it's the oak.", ACORNS, 1),
        ("Sulfur hexafluoride does the opposite — it deepens your voice. Helium raises it.",
         HELIUM, 3),
        ("Helium does the opposite of sulfur hexafluoride.", HELIUM, None),
        ("Z appears in Arizona, so it can't be Z; the answer is Q.", LETTER, 1),
        # a letter glued to a word is no option letter; kin in a question about kin
        ("O negative lacks A, B and Rh(D).", DONOR, 1),
        ("Aristotle was Plato's student.", TAUGHT, 0),
    ],
)  # fmt: skip
def test_named_but_not_committed(reply, item, expected):
    assert read(reply, item) == expected
