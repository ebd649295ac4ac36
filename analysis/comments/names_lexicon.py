"""The word lists person names are read against, and the English-word tests.

Part of the name finder (:mod:`analysis.comments.names`, whose docstring says how
each list is used): the curated and shipped name lists, titles, roles, words that are
never names, places, countries, NHS systems and brands; the English words of
``english-words`` with their inflections; demonyms. Where each list comes from is in
``name_lists/README.md`` and ``docs/redaction.md``.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

__all__ = [
    "FIRST_NAMES",
    "SURNAMES",
    "MORE_FIRST_NAMES",
    "MORE_SURNAMES",
    "CENSUS_SURNAMES",
    "ENGLISH_FIRST_NAMES",
    "TITLES",
    "ROLES",
    "NOT_NAMES",
    "PUBLIC_FIGURES",
    "PLACES",
    "COUNTRIES",
    "MODERN_WORDS",
    "english_words",
    "is_english",
    "is_demonym",
    "one_edit_from_english",
]


def _words(block: str) -> frozenset[str]:
    return frozenset(word.lower() for word in block.split())


FIRST_NAMES = _words(
    """
    Aaron Abbie Abdul Abigail Adaeze Adam Adebayo Adele Adrian Agata Agnieszka Ahmed Aidan
    Aileen Aisha Akosua Alan Alastair Albert Alex Alexander Alexandra Alfie Ali Alice Alison
    Alistair Allan Ama Amanda Amara Amelia Amina Amir Amit Amy Ana Analyn Andrea Andreea Andrew
    Andy Angela Angharad Anil Anita Anjali Ann Anna Anne Annette Annie Anthony Anton Antonio
    Arjun Arlene Arthur Asif Ayesha Barbara Barry Beatriz Becky Ben Benjamin Bernadette Beryl
    Beth Bethan Bev Beverley Bilal Bogdan Bola Brenda Brian Bridget Bronwen Bryony Caitlin
    Callum Carl Carla Carly Carmen Carol Caroline Carolyn Cath Catherine Cathy Charlie
    Charlotte Chelsea Cheryl Chidi Chinedu Chioma Chipo Chloe Chris Christina Christine
    Christopher Ciara Claire Clare Colette Colin Connor Craig Cynthia Dan Daniel Daniela
    Danielle Danny Darren Dave David Dawn Dean Debbie Debra Deborah Deepa Demi Denise Dennis
    Derek Diana Diane Dianne Divya Dominic Donna Doreen Dorota Dylan Eamon Edith Edward Eileen
    Eilidh Elaine Eleanor Eleni Elena Elizabeth Ella Ellen Ellie Emily Emma Eric Ethan Eve
    Ewa Faye Fatima Fergus Fernando Fiona Folake Frances Francesca Funmi Gail Gareth Gary
    Gavin Gemma Geoff Geoffrey George Georgia Georgina Gerald Gerry Gillian Giovanni Giulia
    Glenn Gordon Graham Gwen Hamza Hannah Harriet Harry Hassan Hayley Heidi Helen Helena
    Hilary Hillary Hollie Howard Hussain Iain Ian Ibrahim Imogen Imran Ines Ioana Ionut Irene
    Isabel Isabella Isobel Jackie Jacob Jacqueline Jacqui Jake James Jamie Jane Janet Janice
    Jasmin Jason Jayne Jean Jeanette Jen Jenna Jenny Jennifer Jeremy Jess Jessica Jill Jim Jo
    Joan Joanna Joanne Jocelyn Joe Joel John Jon Jonathan Jordan Joseph Josephine Josh Joshua
    Judith Judy Julia Julian Julie Justin Kamal Karen Karina Kasia Katarzyna Kate Katherine
    Kathleen Kathryn Kathy Katie Katy Keith Kelly Kerry Kevin Kieran Kim Kirsty Kofi
    Krzysztof Kwame Lakshmi Laura Lauren Leah Leanne Lee Leon Lesley Leslie Liam Linda Lindsay
    Lisa Liz Lorna Lorraine Louisa Louise Lucy Luke Lydia Lynda Lynn Lynne Magdalena Maggie
    Mairead Malcolm Mandy Manoj Marcus Marek Margaret Maria Marian Marie Marilyn Marion Marisol
    Marites Martin Martina Mary Matt Matthew Maureen Megan Melanie Melissa Michael Michaela
    Michelle Mihai Mike Mohammed Mohammad Molly Muhammad Nadia Naomi Natalie Natasha Nathan
    Neil Ngozi Niamh Nicholas Nick Nicky Nicola Nicole Nigel Nikki Nina Nkechi Norma Oksana
    Olena Oliver Olivia Olumide Oluwaseun Owen Pamela Patricia Paul Paula Pauline Pawel Peter
    Philip Philippa Piotr Priya Rachael Rachel Rajesh Rashid Rebecca Rhian Rhys Richard Rita
    Robert Robyn Roger Ronan Rosemary Rowena Rumbidzai Ruth Ryan Sadia Saima Sally Samantha
    Samuel Sandra Sanjay Sara Sarah Scott Sean Shabana Shannon Sharon Shaun Sheila Shirley
    Simon Siobhan Sofia Sonia Sophie Stacey Stavros Steph Stephanie Stephen Steve Steven
    Stuart Sunita Susan Suzanne Svetlana Tamsin Tanya Tariq Tatenda Tendai Teresa Terry
    Theresa Thomas Tina Toby Tom Tomasz Tony Tracey Tracy Travis Trevor Trisha Tunde Uzma
    Valerie Vanessa Vicky Victoria Vikram Vivienne Wayne Wendy Yannis Yasmin Yvonne Zainab
    Zoe Zoë Bob Dot Ethel Flo Florence Hilda Ivy Ken Les Marge Nora Pat Peggy Pete Phil Rob
    Ron Roy Sid Stan Sue Ted Val Vera Viv Winnie Jan Sam Tim Kay Grace Hope Faith Joy Will
    Mark Bill Rose Frank Ray Drew Holly Heather Hazel Ruby Jade Daisy Poppy Lily Jasmine Iris
    Precious Patience Robin Violet Pearl Olive Amber May June April August Summer Sandy Angel
    Guy Jack Chance Destiny Blessing Mercy Gift Harmony
    Abi Agnes Alfred Alicia Allison Angus Annabel Antonia Audrey Bernard Beverly Bianca
    Bonnie Brandon Brendan Bryan Candice Carys Cassie Cecilia Chantelle Charles Clair
    Claudia Clive Connie Courtney Damian Daphne Declan Delia Dermot Desmond Dolores Donald
    Doris Dorothy Douglas Duncan Edna Eddie Elise Eliza Elsie Emmanuel Esther Eunice Evelyn
    Fay Felicity Felix Fran Freya Gaynor Gerard Gill Gina Gladys Glenda Gloria Graeme Greg
    Gregory Gwyneth Hamish Harold Hector Henry Hugh Hugo Imelda Isaac Ivan Janine Jasper
    Jeff Jemma Jenni Jerry Jessie Jodie Joyce Jules Justine Karl Kath Kayleigh Kenneth Kev
    Kieron Kris Kyle Lara Laurence Leigh Leonard Lilian Lindsey Lois Lola Lottie Lucas
    Lynette Mabel Madeleine Marc Marcia Marjorie Martyn Mathew Maxine Mel Mia Miriam Moira
    Monica Morag Muriel Nadine Nancy Nathalie Nia Nicki Noel Patrick Petra Phoebe Polly
    Rhiannon Rhona Ricky Roberta Rodney Roisin Ronald Rosie Rosalind Sabrina Selina Shane
    Sharron Shelley Sheryl Sian Sinead Sonya Stella Suzanna Susanne Suzie Sylvia Tamara
    Tammy Tara Tasha Thelma Tiffany Tilly Trish Tricia Ursula Vernon Veronica Vince Vincent
    Vivian Walter William Yolanda Zara Zoey Zak Aarav Abena Adwoa Amandeep Anand Arun Ashok
    Baljit Balvinder Deepak Farah Farhan Gurpreet Harpreet Hina Jaspreet Kiran Kuldip
    Mandeep Meena Mina Nasreen Navjot Nazia Neha Nikhil Parveen Pooja Rahul Rakesh Ravi Reena
    Rekha Rohit Ruksana Sabina Sajid Salma Samina Shahid Shazia Shilpa Sonal Sukhwinder Sunil
    Suresh Tahir Usman Vijay Waqas Yusuf Zahid Abimbola Adaora Chiamaka Chidinma Chukwuma
    Emeka Femi Ifeanyi Kemi Kunle Nneka Obinna Segun Temitope Tobi Uche Yetunde Akua Efua
    Kojo Kwabena Yaw Tafadzwa Farai Nyasha Rutendo Arnel Edwin Gerlie Jennelyn Maricel
    Marilou Rhea Rosario Jonalyn Beata Ewelina Iwona Janusz Justyna Kamil Karolina Magda
    Malgorzata Michal Monika Renata Sylwia Wojciech Zofia Alexandru Cristina Florin Gabriela
    Mihaela Raluca Carlos Catarina Diogo Joana Jose Juan Luis Miguel Pedro Rui Alessandro
    Chiara Francesco Luca Paola Dimitris Georgios Nikos Aoife Ciaran Eoin Grainne Niall Orla
    Padraig Una Penny Dale Ashley Juliet Kenny Calvin Bethany Shona Rosa Isla Ava Evie
    Freddie Archie Oscar Leo Theo Reuben Sebastian Rory Kirsten Kirstie Mhairi Catriona Ailsa
    Iona Morven Nana
    """
)
"""Common first names in the UK and its health workforce, lower case."""

SURNAMES = _words(
    """
    Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson
    Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Clark Patel
    Jackson Wood Turner Martin Cooper Hill Ward Morris Moore Lee King Baker Harrison Morgan
    Allen James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell
    Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan
    Marshall Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb
    Rogers Gray Grey Mason Ali Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes
    Knight Lloyd Butler Russell Barker Fisher Stevens Jenkins Murray Dixon Harvey Graham
    Pearson Ahmed Fletcher Walsh Kaur Gibson Howard Andrews Stewart Elliott Reynolds Saunders
    Payne Fox Ford Pearce Day Brooks West Lawrence Cole Atkinson Bradley Spencer Gill Dawson
    Ball Burton O'Brien Watts Rose Booth Perry Ryan Grant Wells Armstrong Francis Rees Hayes
    Hart Hudson Newman Barrett Webster Hunter Gregory Carr Lowe Page Marsh Riley Dunn Woods
    Parsons Berry Stone Reid Holland Hawkins Harding Porter Robertson Newton Oliver Reed
    Kennedy Williamson Bird Gardner Shah Dean Lane Cooke Bates Henderson Parry Burgess Bishop
    Walton Burns Nicholson Shepherd Ross Cross Long Freeman Warren Nicholls Hamilton Byrne
    Sutton McDonald Macdonald Yates Hodgson Robson Curtis Hopkins O'Connor Harper Coleman
    Watkins Moss McCarthy Chambers O'Neill Griffin Sharp Hardy Wheeler Potter Osborne Johnston
    Gordon Doyle Wallace George Jordan Hutchinson Rowe Burke May Pritchard Gilbert Willis
    Higgins Read Miles Stevenson Stephenson Hammond Arnold Buckley Walters Hewitt Barber
    Nelson Slater Sullivan Whitehead Mann Frost Lambert Stephens Blake Akhtar Lynch Goodwin
    Barton Woodward Thomson Cunningham Quinn Barnett Baxter Bibi Clayton Nash Greenwood
    Jennings Holt Kemp Poole Gallagher Bond Stokes Tucker Davidson Fowler Heath Norman Lawson
    Banks French Gibbs Ferguson Hayward Carroll Atkins Iqbal Rahman Chowdhury Miah Uddin
    Mahmood Sharma Kumar Gupta Mistry Desai Joshi Mehta Nair Pillai Menon Reddy Rao Das Bose
    Chatterjee Banerjee Mukherjee Iyer Kapoor Malik Qureshi Siddiqui Hussein Aziz Rashid
    Sandhu Sidhu Dhillon Gill Grewal Bains Okafor Okonkwo Adeyemi Adebayo Okoro Eze
    Nwosu Obi Adewale Okeke Ogunleye Afolabi Bakare Mensah Owusu Boateng Asante Osei Appiah
    Moyo Ndlovu Dube Sibanda Mutasa Nowak Kowalski Kowalska Wisniewski Lewandowski Kowalczyk
    Wojcik Kaminski Kaminska Zielinski Szymanski Santos Silva Pereira Ferreira Costa Rodrigues
    Oliveira Garcia Fernandez Lopez Martinez Gonzalez Rossi Russo Romano Papadopoulos Popescu
    Ionescu Nguyen Tran Chen Wang Li Zhang Liu Wong Lim Tan Cruz Reyes Mendoza Bautista
    Villanueva Ramos Aquino Santiago Castillo Flanagan Brennan Donnelly Kavanagh Fitzgerald
    Gallacher MacLeod McKenzie Mackenzie Fraser Paterson McLean Maclean Sinclair Morrison
    Hamid Thornton Dyson Hargreaves Ashworth Whittaker
    Crossley Brady Nolan Duffy Kane Connolly Devlin Hogan McGuire Maguire Regan Sweeney
    Hanson Knowles Jarvis Pickering Summers Sykes Wilde Wilkins Winter Horton Oakley Preece
    Howells Pugh Bevan Jenkin Vaughan Llewellyn Morgan Prosser Ingram Kerr
    """
)
"""Common surnames in the UK and its health workforce, lower case."""

_NAME_LISTS = Path(__file__).resolve().parent / "name_lists"


def _listed_words(file_name: str, *, leave_out: frozenset[str]) -> frozenset[str]:
    words = (_NAME_LISTS / file_name).read_text(encoding="utf-8").split()
    return frozenset(words) - leave_out


TITLES = _words(
    "dr doctor mr mrs ms miss mx prof professor sister sr matron nurse sir dame rev revd"
)
"""Titles written before a name: "Dr Patel", "Sister O'Neill", "Mr. Smith"."""

_ABBREVIATED_TITLES = _words("dr mr mrs ms mx prof sr rev revd")
"""Titles that may end with a full stop before the name ("Mr. Smith")."""

ROLES = _words(
    """
    manager leader lead supervisor boss colleague receptionist secretary administrator admin
    hca cpn physio physiotherapist ot therapist counsellor psychologist psychiatrist
    consultant registrar gp midwife visitor hv porter cleaner director ceo executive head
    deputy coordinator co-ordinator pharmacist dentist worker assistant practitioner student
    trainee mentor preceptor educator buddy chair chairman officer clinician surgeon
    anaesthetist paramedic sonographer radiographer dietitian podiatrist chaplain volunteer
    locum nurse doctor matron sister clerk housekeeper technician phlebotomist physician
    called named
    """
)
"""Roles (and "called", "named") written before a name: "my manager Karen", "CPN Andy"."""

_DETERMINERS = _words("my our the a an his her their your")

NOT_NAMES = (
    _words(
        """
        a an and but or nor if in on at to for of with by from as into onto upon about over
        under through than is was are were be been being has have had do does did would
        can could should shall might must i we you he she they it me us him them my our
        your his her their this that these those there here what when where why how who whom
        which whose not no yes also thank thanks please very too so then just all some any
        every each both many most more much other another only even still again since after
        before during while because although though however overall sometimes always never
        often such now today tomorrow yesterday last next new old good great bad best well lovely
        amazing excellent brilliant fantastic kind nice dear hi hello ok okay sorry mum dad
        one two three four five six seven eight nine ten first second third
        i've i'm i'd i'll we've we're we'd they've they're you've you're it's that's
        monday tuesday wednesday thursday friday saturday sunday january february march
        september october november december christmas easter
        staff team teams ward wards unit band bank agency trust nhs covid hospital hospice
        centre center clinic surgery practice service services department dept directorate
        board management nurses health healthcare care mental community district primary
        acute occupational therapy specialist associate support senior junior chief acting
        interim clinical medical office estates finance payroll pharmacy physiotherapy
        learning disability disabilities children families adult adults older people
        safeguarding infection control quality governance human resources registered general
        students bay level room floor building site base hub visit visits appointment
        unison rcn gmb nmc cqc english british welsh scottish irish polish god jesus lord
        north south east west central upper lower great little royal county city national
        regional local st saint red blue yellow orange purple pink
        """
    )
    | TITLES
    | (ROLES - {"called", "named"})
    | frozenset(f"{word}s" for word in TITLES | ROLES)
    | _words(
        """
        the everyone everybody nobody somebody someone anyone anybody people patients patient pt pts
        relatives families visitors colleagues doctors consultants managers matrons sisters
        porters cleaners physios registrars juniors seniors leaders nobody's everyone's
        reception security switchboard theatres theatre outpatients maternity radiology
        pathology paediatrics oncology cardiology orthopaedics endoscopy admissions
        discharge bookings rostering recruitment leadership morale culture workload staffing
        agency bank honestly sadly unfortunately personally recently generally nothing
        everything something anything its let cant dont wont didnt couldnt wouldnt shouldnt
        isnt wasnt im ive felt got kept maybe carer carers women men woman man lady ladies
        gentleman gentlemen girl girls boys england scotland wales britain eid diwali
        ramadan hanukkah passover vaisakhi navratri holi
        """
    )
)
"""Capitalised words that are never read as a name in staff comments, lower case."""

_ORDINARY_WORD_NAMES = _words(
    """
    grace hope faith joy will mark bill rose frank ray drew holly heather hazel ruby jade
    daisy poppy lily jasmine iris precious patience robin violet pearl olive summer dot
    sandy angel guy jack chance destiny blessing mercy gift harmony dawn pat sue rob carol
    jan jordan chelsea georgia florence victoria penny dale nana
    """
)
"""First names that are also ordinary words or places: names only inside a sentence."""

_PLACE_WORD_NAMES = _words("chelsea jordan georgia florence victoria dale india kent")
"""First names that are also places ("Chelsea and Westminster")."""

_DATE_AND_COLOUR_NAMES = _words("may june april august amber")
"""First names that are also months or ratings: names only with a surname, title or role."""

_LOWER_CASE_WORDS = _words(
    "nick mike matt josh jean john harry dean hugh gene gail terry pete phil stan"
)
"""First names that, written in lower case, are more often ordinary words ("harry", "hugh")."""

_NAMES_BEFORE_YEARS = _words("jan")

_MONTH_ABBREVIATIONS = _words("jan feb mar apr jun jul aug sep sept oct nov dec")
"""First names that are month abbreviations: not a name before a number ("Jan 2021")."""

PUBLIC_FIGURES = frozenset(
    tuple(name.lower().split())
    for name in (
        "Florence Nightingale",
        "Mary Seacole",
        "Marie Curie",
        "Marie Currie",
        "Aneurin Bevan",
        "Nye Bevan",
        "Edith Cavell",
        "Cicely Saunders",
        "Lloyd George",
    )
)
"""People the NHS names hospitals, charities, courses and records after: not identifiers."""

_AFTER_A_NAME = _words(
    "in from at said says told has had who always never did listened helped explained came "
    "rang phoned visited"
)
"""Words that, after "Will" or "Grace" opening a sentence, show it is a name ("Will in IT")."""

_ABSTRACT_NOUN_NAMES = _words("faith hope joy grace patience mercy destiny harmony chance")
"""Names that are abstract nouns, which take "in" and "at" as words do ("Faith in
leadership", "Joy at work"): after them, "in" and "at" do not show a name."""

_FACILITIES = _words(
    """
    hospital hospice ward wing unit centre center clinic surgery practice house lodge court
    building suite road street lane avenue drive way close place square park hall school
    college university institute trust foundation programme program award awards scheme
    fund library room block site campus rounds nurse nurses team infirmary valley line
    wards units wings centres clinics hospitals restaurant canteen cafe café lounge chapel
    outpatients department
    """
)
"""Words after a name that make it the name of a place or thing ("Florence Ward")."""

_BUILDINGS = _words("centre center house lodge hospice unit ward wing clinic hospital suite")
"""Buildings named with a possessive ("Maggie's centre"): not "Karen's team"."""

_EPONYMOUS_CONDITIONS = _words(
    "parkinson alzheimer crohn huntington hodgkin asperger tourette addison cushing raynaud"
)
"""Surnames that, with "'s", name a condition rather than a person ("Patients with Crohn's
and Parkinson's")."""
_CONDITION_WORDS = _words("disease syndrome palsy lymphoma disorder")
"""After a possessive, these make it a condition's name ("Bell's palsy")."""

_HOSPITALS = _words("hospital hospitals hospice infirmary")
"""Capitalised after a name, these make it a hospital's name ("Hope Hospital")."""

_FACILITY_SURNAMES = _words("ward hall lane park house court")
"""Facility words that are also common surnames ("Lucy Ward")."""

MORE_FIRST_NAMES = _listed_words("first_names.txt", leave_out=NOT_NAMES | _FACILITIES)
"""First names of many countries from Faker's lists, less English words (see name_lists/)."""

MORE_SURNAMES = _listed_words("surnames.txt", leave_out=NOT_NAMES | _FACILITIES)
"""Surnames of many countries from Faker's lists, less English words (see name_lists/)."""

CENSUS_SURNAMES = _listed_words("census_surnames.txt", leave_out=NOT_NAMES | _FACILITIES)
"""Surnames of the 1990 United States census, less English words and UK and Irish towns
(see name_lists/): many British surnames ("Winterbottom", "Stoddart") are in no Faker list."""

ENGLISH_FIRST_NAMES = _listed_words("english_first_names.txt", leave_out=NOT_NAMES)
"""First names of Faker's lists that are also English words ("rowan", "ebony"), which
:data:`MORE_FIRST_NAMES` leaves out (see name_lists/): read as names only beside a found name."""

PLACES = frozenset((_NAME_LISTS / "places.txt").read_text(encoding="utf-8").splitlines())
"""Towns and cities of the UK and Ireland with 5,000 people or more, from GeoNames (see
name_lists/), lower case: "swindon", "milton keynes"."""

COUNTRIES = frozenset((_NAME_LISTS / "countries.txt").read_text(encoding="utf-8").split())
"""Words of the English names of countries and territories, from Babel's CLDR data (see
name_lists/), lower case: "spain", "philippines", "jersey"."""

MODERN_WORDS = _words(
    """
    datix ulysses allocate healthroster safecare esr cerner epic systmone emis rio lorenzo
    medway careflow nervecentre patientrack vitalpac eobs sunquest evolve ice pacs trakcare
    meditech nhsmail netcall vivup totara loop teams zoom whatsapp facebook twitter instagram
    tiktok linkedin youtube google microsoft outlook excel sharepoint onedrive brexit covid
    coronavirus omicron ofsted cqc unison hcpc camhs ftsu pals tesco costa starbucks uber
    deliveroo amazon greggs info rehab meds appt appts apps app obs sats tvs etc lol alot
    thankyou anymore pilates snomed postcode postcodes website websites smartphone ipad ipads
    laptop laptops wifi podcast selfie hashtag webinar webinars timesheet timesheets eroster
    ereferral ereferrals telehealth telemedicine skype iphone username voicemail spreadsheet
    spreadsheets lockdown lockdowns ppe fitmask facemask facemasks paygrade preceptee
    preceptees upskill upskilling onboarding wellbeing microaggression microaggressions
    neurodiverse neurodivergent flexi ultrasound cannulation elearning nhsp nhsi nhse icb pcn
    anp acp escalation resus bedspace sideroom siderooms bankshift chemo haemodialysis
    """
)
"""Capitalised words too recent for the English word lists, or names of NHS systems, unions
and brands: never read as a name by the rules for unknown words."""

_ALL_FIRST_NAMES = FIRST_NAMES | MORE_FIRST_NAMES
_ALL_SURNAMES = SURNAMES | MORE_SURNAMES | CENSUS_SURNAMES

_DEMONYM_ENDING = re.compile(r"(?:ian|an|ese|ish|i)$")


def is_demonym(word: str) -> bool:
    """Whether ``word`` names the people of a country ("Ukrainian", "Sudanese", "Iraqi").

    The word less "-ian", "-an", "-ese", "-ish" or "-i" is at least four letters and a word of
    :data:`COUNTRIES` is that stem and at most two letters more ("ukrain" + "e", "ghana",
    "nepal", "iraq"), so "Christian" ("christmas" is three letters more) and "Adrian" stay;
    a country that is also a first name does not count ("Lucian", from "Lucia").

    Examples
    --------
    >>> [is_demonym(w) for w in ("Ukrainian", "Ghanaian", "Nepalese", "Iraqi", "Christian")]
    [True, True, True, True, False]
    """
    lower = word.lower()
    ending = _DEMONYM_ENDING.search(lower)
    if ending is None or lower in _ALL_FIRST_NAMES or lower in ENGLISH_FIRST_NAMES:
        return False
    for suffix in ("ian", "an", "ese", "ish", "i"):
        stem = lower.removesuffix(suffix)
        if stem != lower and len(stem) >= 4:
            for extra in ("", "a", "e", "y", "ia", "al"):
                country = stem + extra
                if country in COUNTRIES and country not in _ALL_FIRST_NAMES | ENGLISH_FIRST_NAMES:
                    return True
    return False


@functools.cache
def english_words() -> frozenset[str]:
    """Words English writes in lower case, from the ``web2`` and ``gcide`` lists.

    Read once, when first needed, from the ``english-words`` package (MIT licence; ``web2``
    is Webster's Second International, 1934, public domain; ``gcide`` is the GNU
    Collaborative International Dictionary of English). Words listed only with a capital
    ("Bernice", "Bradshaw") are proper nouns, so they are not in this set.
    """
    from english_words import get_english_words_set

    listed = get_english_words_set(["web2", "gcide"], lower=False, alpha=True)
    return frozenset(word for word in listed if word.islower())


_IRREGULAR_VERB_FORMS = _words(
    """
    became began brought bought caught chose came did drew drove ate fell felt fought found
    flew forgot gave went grew had heard held hid kept knew laid led left lent lost made
    meant met paid ran rang rode rose said saw sold sent shook shot showed shut sang sat
    slept spoke spent stood stole struck swore swam took taught tore told thought threw
    understood woke wore won wrote been done gone given taken seen written known shown
    spoken broken chosen forgotten gotten hidden ridden risen stolen sworn thrown woken worn
    driven eaten fallen flown grown
    """
)
"""Irregular past forms, which the word lists (of stems) leave out."""

_INFLECTIONS = (("ies", "y"), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""))
_INFLECTIONS += (("s", ""), ("ly", ""), ("er", ""), ("ers", ""), ("ings", ""))


def is_english(word: str) -> bool:
    """Whether ``word`` (lower case) or the stem of its inflection is an English word.

    The word lists hold stems, so "asking", "shifts", "regrading" and "stopped" are read
    as "ask", "shift", "regrade" and "stop".

    Examples
    --------
    >>> is_english("asking"), is_english("stopped"), is_english("gethin")
    (True, True, False)
    """
    words = english_words()
    if word in words or word in _IRREGULAR_VERB_FORMS:
        return True
    for ending, stem in _INFLECTIONS:
        if word.endswith(ending) and len(word) > len(ending) + 2:
            base = word[: -len(ending)]
            if base + stem in words or (base[-1] == base[-2:-1] and base[:-1] in words):
                return True
    return False


def one_edit_from_english(word: str) -> bool:
    """Whether ``word`` (lower case, no hyphen) is one edit from an English word.

    An edit deletes, inserts, replaces or swaps two neighbouring letters (Damerau 1964,
    "A technique for computer detection and correction of spelling errors").

    Examples
    --------
    >>> one_edit_from_english("treatement"), one_edit_from_english("gethin")
    (True, False)
    """
    if "-" in word:
        return False
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:n], word[n:]) for n in range(len(word) + 1)]
    edits = (
        [left + right[1:] for left, right in splits if right]
        + [left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1]
        + [left + c + right[1:] for left, right in splits if right for c in letters]
        + [left + c + right for left, right in splits for c in letters]
    )
    return any(map(is_english, edits))


_PLACE_LEADS = _words("st saint queen king prince princess royal mount")
_LOCATION_WORDS = _words("on to at in from into onto the of our their new old a an called named")
_PARTICLES = _words(
    "van der de den da di du dos das del della le la al el bin ibn von ter ten ap binti bint"
)
"""Particles inside surnames: "van der Merwe", "bin Ahmad", the Welsh "ap" (son
of): "Gareth ap Rhys"."""

_AFTER_A_NAME_IN_LOWER_CASE = _words("is was and never always")
"""Words that, after a role and a lower-case name, show it is a name ("my manager sue is")."""

_VERB_NAMES = _words("will may drew")

_NOT_A_NAME_ENDING = re.compile(r"(?:ly|ed|['’](?:t|ve|d|ll|re|m))$", re.IGNORECASE)
"""Endings of unlisted words that are adverbs, verbs or contractions ("Really", "Don't")."""


def _inflected(word: str) -> bool:
    """Whether ``word`` is an adverb, a verb or a contraction by its ending.

    "-ly" and "-ed" count only when what is left is English ("Really", "Closed"), so names
    such as "Anatoly" and "Naveed" are not read as adverbs or verbs.

    Examples
    --------
    >>> _inflected("Really"), _inflected("Closed"), _inflected("Don't"), _inflected("Anatoly")
    (True, True, True, False)
    """
    ending = _NOT_A_NAME_ENDING.search(word)
    if ending is None:
        return False
    if ending.group()[0] in "'’":
        return True
    stem = word[: ending.start()].lower()
    bases = {stem, stem + "e", stem[:-1]}  # "closed", "stopped"
    if stem.endswith("al"):
        bases.add(stem[:-2])  # "basically"
    if stem.endswith("i"):
        bases.add(stem[:-1] + "y")  # "happily", "carried"
    return len(stem) < 3 or any(map(is_english, bases))
