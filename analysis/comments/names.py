"""Finding person names in staff comments, offline and without a language model.

A word is read as a name on evidence of these kinds (the rules of :func:`find_person_names`):

1. the organisation's own list of names (``names``): a listed name written in full, in any
   case ("Karen Smith", "karen smith"); any word of a listed name when capitalised
   ("Smith"); the first word of a listed name in any case ("karen");
2. a title or role just before it: "Dr Patel", "Sister O'Neill", "Mr. Smith", "Dr J.
   Okafor", "Dr A. Khan", "Dr van der Merwe", "my manager Karen", "our team leader Jo", "the
   CPN Andy", "a nurse called Precious", and in lower case "my manager sue is..." (a first
   name that is also a word, such as "sue", only when "is", "was", "and", "said"... follows;
   never "will", "may" or "drew"). After a role written in capitals with no "my", "our",
   "the"... before it ("GP Visit", "OT Dept"), only a listed name counts;
3. a list of first names: the curated list of common UK first names (:data:`FIRST_NAMES`,
   written for this project from public knowledge of names common in the UK and its health
   workforce), capitalised, or in lower case when four letters or more and not also a
   common word ("nicola" but not "mark", "harry" or "dawn"); and the first names of many
   countries in :data:`MORE_FIRST_NAMES`, capitalised ("Xiaoming", "Thandiwe"), except
   after "in", "at", "from"... where such a word is more often a place;
4. a capitalised word followed by a listed surname (:data:`SURNAMES`,
   :data:`MORE_SURNAMES`): "Zbigniew Kowalski" inside a sentence; at the start of a sentence
   when either word is in the curated lists ("Hussein Ali", "Ngozika Eze"); two words in
   capitals when the second is a listed surname ("SUE HARRIS");
5. initials before a capitalised word: "J. Smith", "C.D. Ramirez"; "J Smith" without a
   full stop only before a listed surname;
6. capitalised words where the context says person: before a verb or description only a
   person takes ("Patel is a bully", "Okafor shouted", "Hendricks never listens", "X is
   the kindest nurse"), possibly after a short phrase ("Radek from the IT helpdesk fixed");
   or after words that take a person ("bullied by", "thanks to", "reported", "complaints
   about", "scared of", "told"). Words ending in "-ly" or "-ed", contractions ("Don't")
   and words after "in", "at", "from"... are not read so;
7. a list beside a found name ("Chidinma and Rotimi");
8. unknown words: a word is *unknown* when it is not English (:func:`is_english`: the
   ``web2`` and ``gcide`` lists of ``english-words``, their inflections and irregular verb
   forms), not a UK or Irish town (:data:`PLACES`), not in :data:`NOT_NAMES` or
   :data:`MODERN_WORDS` (NHS systems, brands, "Brexit"), and not a long word one edit from an
   English word (a misspelling such as "Treatement"). Capitalised words, one of them unknown
   and none a place word, followed by what a person does are a name ("Gethin has made",
   "Aditi and Rahim from the phlebotomy team are", "that Ebony Campbell-Reid runs"), unless
   the verb is passive ("was given") or plural without "and" ("Appts were"), a word ends like
   a drug (:data:`_DRUG_STEMS`, "Aripiprazole") or is written like "TVs". An unknown word in
   lower case after a role or title ("my manager bernice", "dr bhatt") or after "bullied
   by", "thanks to"... is a name; so is an unknown word of five letters or more in capitals
   with two vowels ("BRADSHAW", not "CAMHS"), and one in capitals after a name in capitals
   ("GRAHAM PEMBERTON"), and an unknown word just before a found name;
9. more person contexts for rule 6: "work with", "meeting with", "tell", "letting",
   "nominate", "challenge", "complains about", "told by", "ignored by"... before; "admits",
   "arrived", "insists", "blames" after;
10. a listed surname alone inside a sentence after a word in lower case, when it is not
   an English word, a town or a country ("a meeting with Ashworth", "challenge
   Winterbottom"); the surname lists include :data:`CENSUS_SURNAMES`;
11. capitalised words, one unknown or listed, owning what only a person has ("Xiaoming's
   contract", "Okafor's temper");
12. capitalised words, not all English, beside a role between commas ("Vasilios, our
   porter,", "Kerensa, the ward clerk,").
13. capitalised words, each listed or not English, then "the" and a role ("Arash the
   registrar", "Bill the porter"); a pay band as a role ("my band 6 keisha", "my band 7,
   Thornbury,"); person passives after an unknown word ("Xolani was refused", "Lwazi was
   made to feel") and after any capitalised first name ("Hazel was bullied", "Rose is
   retiring", "Amber was rude"); a first name that is also an English word
   (:data:`ENGLISH_FIRST_NAMES`, "Ebony") opening a sentence beside a found name; first names
   joined by hyphens ("Jo-Anne"); a lower-case first name beside a lower-case name ("aisha
   and tom").

Endings "-ly" and "-ed" mark an adverb or a verb only when what is left is English
("Really", "Closed", "Basically"), so "Anatoly" and "Naveed" stay names; "co-" words
("Co-amoxiclav") are drugs; after an abstract-noun name opening a sentence ("Faith", "Joy",
"Hope"), "in" and "at" do not show a name ("Faith in leadership").

:data:`MORE_FIRST_NAMES` and :data:`MORE_SURNAMES` come from the first and last names of
every Latin-alphabet locale of Faker (MIT licence), less every word that is an English word
or proper noun in the ``english-words`` lists (which drops "Hope", "Will", "London",
"Devon"); ``name_lists/build.py`` rebuilds them and says how.

A name found by any rule takes in the capitalised words that follow it ("Tracey Holloway",
"Lucy Ward"), particles and initials ("J. van der Merwe"), and a listed surname written in
lower case after a first name written in lower case ("karen smith").

What is kept: words in :data:`NOT_NAMES` (days, jobs, NHS words, function words, words for
groups of people such as "Everyone" and "Management"); first names that are ordinary words
("Will", "Hope", "Grace", "Mark") at the start of a sentence unless a surname, an initial or
a word such as "said" or "in" follows ("Will in estates", "Mark X has"); months and colours
that are first names ("May", "June", "Amber") unless a surname follows or a title or role
comes before; "Jan" before a year; :data:`PUBLIC_FIGURES`; and places and things named
after people: a name followed by a word such as "Hospital", "Ward", "Road" or "award" after
"on", "at", "the", "a"... ("on Florence Ward", "the Stanley Road clinic", "a Daisy award"),
or after "St", "Queen", "King", "Prince", "Princess" or "Royal"; a name and a place word
opening a sentence ("Victoria Ward needs") unless a person's verb follows; towns of
several words ("Milton Keynes"); after "Mount", "the" or "of" ("Mount Vernon", "The Brompton
has", "Head of Midwifery"); unlisted words ending like an English place
(:data:`_PLACE_ENDING`: "Derriford", "Pinderfields"); a building named with a possessive
("Maggie's centre"); things out of stock or prescribed ("Clexane and Tazocin are out of
stock"); and, in a person context, English words that are no first name ("Catering was
rude").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
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
    "NameList",
    "find_person_names",
    "names_beside_found",
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
        the everyone everybody nobody somebody someone anyone anybody people patients patient
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
    wards units wings centres clinics hospitals
    """
)
"""Words after a name that make it the name of a place or thing ("Florence Ward")."""

_BUILDINGS = _words("centre center house lodge hospice unit ward wing clinic hospital suite")
"""Buildings named with a possessive ("Maggie's centre"): not "Karen's team"."""

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
_LOCATION_WORDS = _words("on to at in from into onto the of our their new old a an")
_PARTICLES = _words("van der de den da di du dos das del della le la al el bin ibn von ter ten")

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


_LIST_GAP = re.compile(r"\s*[,&]\s*")

_PLACE_PREPOSITIONS = _words("in at from near around towards via into outside")
"""Ordinary-word names that are also verbs after a role ("my manager will...")."""

_INITIAL_STOP = re.compile(r"\.\s?")
_ADVERBS = (
    r"(?:(?:never|always|often|constantly|really|also|just|even|still|actually|openly"
    r"|regularly|repeatedly|then|once|again|has|had)\s+)*"
)
_ROLE_WORDS = "|".join(sorted(ROLES - {"called", "named"}, key=len, reverse=True))
_PERSON_VERBS = (
    r"(?:(?:shout|scream|yell|swear|bull(?:y|ie)|humiliate|belittle|undermine|patronise"
    r"|intimidate|harass|threaten|treat|laugh|refuse|ignore|favour|ask|help|listen|cover"
    r"|teache?|support|deserve|smile|phone|email|sort|fix|talk|cr(?:y|ie))(?:s|d|ed)"
    r"|explain(?:s|ed\s+(?:to|it|that|why|how|what))"
    r"|swore|picks?\s+on|picked\s+on|manag(?:es|ed)\s+(?:by|us)|sa(?:id|ys)|told|tells"
    r"|admits|admitted|arrived|insists|insisted|blames|blamed|refuses"
    r"|stayed|taught|spoke|speaks|rang|went\s+above|goes\s+above|runs\s+the|ran\s+the"
    r"|keeps\s+us|kept\s+us|never\s+(?:answers|replies|responds|returns)"
    r"|(?:makes|made)\s+(?:me|us|everyone|them)\s+feel"
    r"|(?:makes|made|takes|took)\s+(?:the\s+)?time"
    r"|(?:makes|made)\s+(?:a|an)\s+(?:[a-z]+\s+)?(?:joke|comment|remark|complaint)s?"
    r"|(?:is\s+|was\s+)?retir(?:es|ed|ing)"
    r"|(?:is|was|were|got|gets|has\s+been|had\s+been)\s+(?:bullied|harassed|victimised"
    r"|humiliated|belittled|singled\s+out|passed\s+over|overlooked|sent\s+home"
    r"|told\s+(?:off|to)|made\s+to\s+feel|reduced\s+to\s+tears)"
    r"|(?:is|was)\s+(?:a|an)\s+(?:nightmare|pleasure|joy|dream|pain)\s+to\s+work\s+(?:with|for)"
    r"|should\s+be\s+(?:sacked|promoted|disciplined|investigated|thanked|praised|ashamed)"
    r"|(?:is|was)\s+(?:a|an|so|very|always|never)?\s*"
    r"(?:in\s+tears|bully|legend|rude|kind|racist|sexist|inspiration|credit|asset|gem|angel|menace|hero"
    r"|superstar|unapproachable|approachable|dismissive|supportive|unprofessional|aggressive"
    r"|abusive)"
    r"|(?:is|was|has\s+been)\s+(?:a|an|the|our|my)\s+(?:[a-z]+\s+){0,2}?"
    rf"(?:{_ROLE_WORDS}|hca|person|woman|man|lady|guy|boss|bully))\b"
)
_PERSON_AFTER = re.compile(
    rf"(?:['’]s)?(?:\s+(?:in|from|on|at)(?:\s+(?:the|our|a))?(?:\s+[\w&/-]+){{1,3}})?"
    rf"(?:\s+{_ADVERBS}{_PERSON_VERBS}|,?\s+(?:and\s+)?(?:he|she|who)\b"
    rf"|\s+as\s+(?:a|an|my|our|the|their)\s+(?:[a-z]+\s+){{0,2}}?(?:{_ROLE_WORDS})\b)",
    re.IGNORECASE,
)
_PERSON_VERB_AFTER = re.compile(rf"\s+{_ADVERBS}{_PERSON_VERBS}", re.IGNORECASE)
"""What a person does, right after a word: "shouted", "never listens"."""
_PERSON_BEFORE = re.compile(
    r"(?:\b(?:bullying|harassment|abuse|racism|victimisation)\s+(?:from|by)"
    r"|\b(?:bullied|harassed|belittled|humiliated|intimidated|supported|helped|mentored|"
    r"managed|trained|taught|victimised|targeted|shouted\s+at|abused|threatened)\s+by"
    r"|\bthanks?(?:\s+you)?(?:\s+so\s+much)?(?:\s+to)?"
    r"|\b(?:well\s+done|shout[\s-]*out|kudos|hats\s+off)(?:\s+to)?"
    r"|\b(?:reported|complain(?:t|ts|ed)?\s+about|concerns?\s+about|scared\s+of|afraid\s+of"
    r"|frightened\s+of|told|asked|ask|ask\s+for|contact|spoke\s+to|speak\s+to|talk\s+to|talked\s+to"
    r"|shout(?:s|ed)?\s+at\s+by|people\s+like|without|complains\s+about|nominate|challenge"
    r"|tell|letting|(?:work|works|worked|working|meeting|met|clash(?:es|ed)?)\s+with"
    r"|(?:told|ignored|dismissed|blamed|undermined|criticised|overruled|refused|sacked"
    r"|disciplined|sent\s+home|yelled\s+at|screamed\s+at)\s+by)"
    r")\s+$",
    re.IGNORECASE,
)
_LOWER_CASE_PERSON_BEFORE = re.compile(
    r"\b(?:(?:bullied|harassed|belittled|humiliated|intimidated|victimised|targeted|abused"
    r"|threatened|shouted\s+at)\s+by|thanks\s+to|thank\s+you\s+to|scared\s+of|afraid\s+of"
    r"|reported|complaints?\s+about|spoke\s+to|speak\s+to|listen(?:s|ed)?\s+to"
    r"|talk(?:s|ed)?\s+to|work(?:s|ed|ing)?\s+with)\s+$",
    re.IGNORECASE,
)
"""Words before a name written in lower case, stricter than :data:`_PERSON_BEFORE`: "ask
for" or "without" are followed by ordinary misspelt words more often than by names."""

_DRUG_STEMS = re.compile(
    r"^co-[a-z]|(?:azole|pril|olol|statin|mab|cillin|mycin|micin|oxacin|sartan|tidine|azepam|zolam"
    r"|triptan|gliptin|parin|vir|dronate|setron|profen|fenac|caine|dipine|azine|oxetine"
    r"|pramine|apine|idone|afil|floxacin|cycline|lukast|tinib|semide|thiazide|traline|triptyline"
    r"|cetamol|codone|morphine|phylline|olone|asone|isolone|gliflozin|formin|xaban|gatran"
    r"|clopidogrel|prazole|lamide|clazide|pidem|piclone|tropium|terol|sonide|ticasone)$"
)
"""Endings of international non-proprietary drug names (WHO stems): "Aripiprazole",
"Ramipril", "Atorvastatin"; and "co-" combinations ("Co-amoxiclav", "Co-codamol"). Unknown
words written so are not read as names."""

_PLACE_ENDING = re.compile(
    r"(?:fields?|wells?|ford|shawe?|ham|bury|borough|burgh|mouth|minster|chester|caster|thorpe"
    r"|wick|combe|stead|ington|ston|hurst|bridge|brook|moor|church|cliffe)$"
)
"""Endings of English place names ("Pinderfields", "Ninewells", "Derriford", "Wythenshawe"):
an unknown word so written, in no name list, is read as a place (hospitals are named after
them), not as a name."""

_NAME_SHAPE = re.compile(
    r"(?:Mc|Mac|O['’]|D['’]|Di|De|La|Le|Van|Von)?[^\W\d_][^\W\d_A-Z]*"
    r"(?:['’\-][^\W\d_][^\W\d_A-Z]*)*"
)
"""How a capitalised name is written: "Gethin", "O'Driscoll", "McAllister", "Campbell-Reid";
not "TVs" or "EverthIng"."""

_PERSON_CONTEXT = re.compile(
    rf"{_PERSON_VERBS}|\b(?:by|thanks?|reported|about|of|told|asked|for|to|like|without|ask|contact|he|she|who)\b",
    re.IGNORECASE,
)

_THING_STATES = (
    r"(?:out\s+of\s+stock|in\s+short\s+supply|(?:un)?available|on\s+back\s*order"
    r"|prescribed|discontinued)"
)
"""What is said of things, not people ("Clexane and Tazocin are constantly out of stock")."""

_PARTICIPLE = (
    r"(?:being|been|[a-z]+ed|given|taken|done|seen|written|shown|found|lost|stolen|withdrawn"
    r"|made|kept|left|sent|put)"
)
_PREDICATE = re.compile(
    rf"(?:,?\s+and\s+[A-Z][\w'’-]+)?"
    rf"(?:\s+(?:in|from|on|at|with)(?:\s+(?:the|our|a))?(?:\s+[\w&/-]+){{1,3}}?)?"
    rf"\s+{_ADVERBS}(?:(?:is|was|are|were)(?!\s+{_ADVERBS}(?:{_PARTICIPLE}|{_THING_STATES})\b)"
    rf"|(?:has|had|have)(?!\s+(?:[a-z]+ed|been\s+(?:[a-z]+ed|{_THING_STATES}))\b)"
    r"|(?:(?:has|had|have)\s+been|is|was|are|were)\s+(?:always\s+|often\s+|never\s+)?"
    r"(?:bullied|harassed|promoted|suspended|sacked|disciplined|redeployed|seconded"
    r"|signed\s+off|off\s+sick|on\s+(?:leave|nights)|refused|singled\s+out|overlooked"
    r"|passed\s+over|excluded|victimised|targeted|blamed|humiliated|ignored|criticised"
    r"|praised|thanked|(?:made|left|forced|expected|asked|told|pressured)\s+to)"
    r"|never|always|will|would|can|could|should|does|did|doesn['’]t|didn['’]t|won['’]t"
    r"|can['’]t|kept|keeps|made|makes|gave|gives|took|takes|got|gets|went|goes|came|comes"
    r"|left|works|worked|stayed|helped|helps|set|sets|sorted|sorts|ran|runs|sent|sends"
    r"|knew|knows|tried|tries|lets|brought|brings|stepped|transferred|moved|joined|started"
    r"|organised|organized|covered|covers|treats|treated|cares|cared|listens|listened"
    r"|deserves|deserved|shouted|shouts|called|calls|rang|checks|checked|smiles|smiled"
    r"|lost|loses|forgot|forgets|lied|lies|ignored|ignores|refused|refuses)\b"
)
"""What a person does after an unknown word ("Gethin has made", "Aditi and Rahim from the
phlebotomy team are"); "was given", "is being", "has replaced" are passive or things."""

_POSSESSIVE_PERSON = re.compile(
    r"['’]s\s+(?:(?:own|new|old|last|first|current|poor|elderly|late)\s+)?"
    r"(?:contract|behaviou?r|attitude|husband|wife|partner|mum|mother|dad|father|son"
    r"|daughter|children|kids|baby|family|retirement|leaving|funeral|wedding|maternity"
    r"|paternity|sickness|appraisal|line\s+manager|manager|temper|caseload|shifts|bullying"
    r"|comments|remarks|team|probation|preceptorship|secondment|resignation|promotion|mentor"
    r"|preceptor|supervisor|colleagues|friends?|boyfriend|girlfriend|career|salary|payslip"
    r"|grievance|disciplinary|tribunal|visa|accent|religion|pregnancy|boss|locker|uniform"
    r"|sister|brother|parents|grandchildren|(?:sick|annual|compassionate)\s+leave)\b",
    re.IGNORECASE,
)
"""What only a person has, after a possessive ("Xiaoming's contract", "Okafor's temper")."""

_ROLE_AFTER = re.compile(
    rf"\s+the\s+(?:[a-z-]+\s+){{0,2}}?(?P<role>{_ROLE_WORDS})\b(?!\s+(?:of|for|to|on|in)\b)"
)
"""A role after a name, with "the" and no commas ("Arash the registrar", "Bill the porter")."""

_BAND_GAP = re.compile(r"\s+\d[a-z]?\s*[,:\-–]?\s+")
"""Between "band" and a name: a pay band number ("my band 6 keisha", "my band 7, Thornbury")."""

_APPOSITION = re.compile(
    r",\s+(?:our|the|my|a|their)\s+(?:[a-z-]+\s+){0,2}?(?P<role>[a-z-]+)\s*,", re.IGNORECASE
)
"""A role between commas after a name ("Vasilios, our porter,", "Kerensa, the ward clerk,")."""

_TOKEN = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?\n]")
_TITLE_FULL_STOP = re.compile(r"\.\s*")
_INITIAL_GAP = re.compile(r"\.?\s*")
_ROLE_GAP = re.compile(r"\s*[,:\-–]?\s+")
_NUMBER_NEXT = re.compile(r"\s*\d")
_WARD_NUMBER = re.compile(r" \d{1,2}[A-Za-z]?\b")


def _lengths(names: frozenset[tuple[str, ...]]) -> dict[str, frozenset[int]]:
    lengths: dict[str, set[int]] = {}
    for name in names:
        lengths.setdefault(name[0], set()).add(len(name))
    return {first: frozenset(sizes) for first, sizes in lengths.items()}


_PUBLIC_FIGURE_LENGTHS = _lengths(PUBLIC_FIGURES)
_CUES = TITLES | ROLES


@dataclass(frozen=True)
class NameList:
    """An organisation's list of names (for example its staff list), ready for matching.

    Parameters
    ----------
    whole : frozenset of tuple of str
        Each name as a tuple of its lower-case words, matched whole in any case.
    parts : frozenset of str
        Every word (of two letters or more) of every name, lower case, matched alone when
        capitalised.
    first : frozenset of str
        The first word of every name, lower case, matched alone in any case.
    """

    whole: frozenset[tuple[str, ...]] = frozenset()
    parts: frozenset[str] = frozenset()
    first: frozenset[str] = frozenset()

    @functools.cached_property
    def possible_first_words(self) -> frozenset[str]:
        """Words that may start a name: shipped first names and words of listed names."""
        return _ALL_FIRST_NAMES | self.parts

    @functools.cached_property
    def possible_surnames(self) -> frozenset[str]:
        """Words that may end a name: shipped surnames and words of listed names."""
        return _ALL_SURNAMES | self.parts

    @functools.cached_property
    def lengths(self) -> dict[str, frozenset[int]]:
        """For each first word of a listed name, the numbers of words of names it starts."""
        return _lengths(self.whole)

    @classmethod
    def from_names(cls, names: Iterable[str]) -> NameList:
        """Build the lookup from names such as ``["Karen Smith", "Jo Bloggs"]``.

        Raises
        ------
        ValueError
            If ``names`` is a single string or holds something that is not a string.
        """
        if isinstance(names, str):
            raise ValueError(
                f"names must be a list of names, not one string: use names=[{names!r}]"
            )
        whole, parts, first = set(), set(), set()
        for name in names:
            if not isinstance(name, str):
                raise ValueError(f"names must be strings; got {name!r} ({type(name).__name__})")
            words = tuple(word.lower() for word in _TOKEN.findall(name))
            if words:
                whole.add(words)
                parts.update(word for word in words if len(word) > 1)
                first.add(words[0])
        return cls(frozenset(whole), frozenset(parts), frozenset(first))


def _capitalised(word: str) -> bool:
    """True for "Karen", "O'Neill", "McDonald"; False for "karen", "NHS", "K", "wIll"."""
    return word[0].isupper() and not word.isupper()


def _shouted(word: str) -> bool:
    """True for "DAVE", "PATEL": a word of two letters or more in capitals."""
    return len(word) > 1 and word.isupper()


_SHORT_FIRST_NAMES = _words("jo al ed di bo ty lu mo")
"""First names of two letters, which the longer lists leave out."""


def _hyphenated_first_name(lower: str) -> bool:
    """Whether ``lower`` joins first names with hyphens ("jo-anne", "lee-ann", "mary-kate")."""
    parts = lower.split("-")
    return len(parts) > 1 and all(
        part in _ALL_FIRST_NAMES or part in ENGLISH_FIRST_NAMES or part in _SHORT_FIRST_NAMES
        for part in parts
    )


_NO_NAMES = NameList()


class _NameFinder:
    """The rules of :func:`find_person_names` applied to one comment.

    Token ``i`` is ``words[i]`` (its possessive "'s" removed), at ``starts[i]:ends[i]``.
    """

    def __init__(self, text: str, own: NameList) -> None:
        self.text = text
        self.own = own
        matches = list(_TOKEN.finditer(text))
        self.starts = [match.start() for match in matches]
        self.words = [match.group() for match in matches]
        self.ends = [match.end() for match in matches]
        for i, word in enumerate(self.words):
            if word[-1] in "sS" and len(word) > 3 and word[-2] in "'’":
                self.words[i] = word[:-2]
                self.ends[i] -= 2
        self.lowers = [word.lower() for word in self.words]
        self.count = len(self.words)

    def gap(self, i: int) -> str:
        """The text between token ``i - 1`` and token ``i``."""
        return self.text[self.ends[i - 1] : self.starts[i]]

    def sentence_start(self, i: int) -> bool:
        return (
            i == 0 or _SENTENCE_END.search(self.text, self.ends[i - 1], self.starts[i]) is not None
        )

    def unknown(self, k: int) -> bool:
        """Whether token ``k`` is a word no list knows: not English, not a place, not listed.

        A hyphenated word is unknown when one of its parts is ("Campbell-Reid", "Hyun-woo").
        """
        lower = self.lowers[k]
        return (
            len(lower) > 2
            and lower not in NOT_NAMES
            and lower not in _FACILITIES
            and lower not in MODERN_WORDS
            and lower not in PLACES
            and not _inflected(lower)
            and not all(map(is_english, lower.split("-")))
            and not self.misspelt(k)
            and not is_demonym(lower)
        )

    def shouted_unknown(self, k: int) -> bool:
        """An unknown word in capitals with two vowels or more ("BRADSHAW", not "CAMHS")."""
        word = self.words[k]
        return (
            _shouted(word)
            and len(word) >= 4
            and sum(char in "AEIOUY" for char in word) >= 2
            and self.unknown(k)
        )

    def unknown_before_verb(self, i: int, last: int) -> bool:
        """Rule 8: capitalised words, one of them unknown, then what a person does.

        "Gethin has made", "Aditi and Rahim from the phlebotomy team are", "that Ebony
        Campbell-Reid runs"; not after "in", "at", "from"..., not a place ("Swindon has"),
        nor with a word for a place or thing ("Kingsley Wing has").
        """
        words = range(i, last + 1)
        if i > 0 and self.lowers[i - 1] in _PLACE_PREPOSITIONS | {"the", "of"}:
            return False  # "in Swindon", "The Brompton has", "Duty of Candour was"
        if any(self.place_shaped(k) for k in words):
            return False  # "Pinderfields was"
        if any(
            not _capitalised(self.words[k])
            or self.lowers[k] in NOT_NAMES
            or self.lowers[k] in _FACILITIES
            or self.lowers[k] in MODERN_WORDS
            or self.lowers[k] in PLACES
            for k in words
        ):
            return False
        if " ".join(self.lowers[i : last + 1]) in PLACES or not any(map(self.unknown, words)):
            return False
        if any(
            not _NAME_SHAPE.fullmatch(self.words[k]) or _DRUG_STEMS.search(self.lowers[k])
            for k in words
        ):
            return False
        predicate = _PREDICATE.match(self.text, self.ends[last])
        if predicate is None:
            return False
        # "Appts were", "Apps have": a plural verb needs "X and Y".
        plural = re.search(r"\b(?:are|were|have)\b", predicate.group()) is not None
        return not plural or " and " in predicate.group()

    def place_shaped(self, k: int) -> bool:
        """Whether token ``k`` is an unlisted word with a place name's ending ("Derriford")."""
        lower = self.lowers[k]
        return (
            _PLACE_ENDING.search(lower) is not None
            and lower not in _ALL_SURNAMES
            and lower not in _ALL_FIRST_NAMES
            and lower not in self.own.parts
        )

    def misspelt(self, k: int) -> bool:
        """Whether token ``k``, of eight letters or more, is one edit from an English word.

        Long unknown words one letter away from a word ("Perscriptions", "Treatement",
        "Everbody") are misspellings more often than names.
        """
        word = self.lowers[k]
        return len(word) >= 8 and one_edit_from_english(word)

    def lower_case_after_person_cue(self, i: int) -> bool:
        """Rule 9: an unknown word in lower case where only a person fits ("bullied by jo")."""
        before = self.text[max(0, self.starts[i] - 40) : self.starts[i]]
        return (
            self.words[i].islower()
            and (self.unknown(i) or (self.first_name(i) and not is_english(self.lowers[i])))
            and not (i > 0 and self.lowers[i - 1] in _PLACE_PREPOSITIONS)
            and _LOWER_CASE_PERSON_BEFORE.search(before) is not None
        )

    def lower_case_before_person_verb(self, i: int) -> bool:
        """Rule 8: a listed name in lower case, no English word, before what a person does
        ("hughes shouted at", "okafor never listens"); not after "in", "at", "from"..."""
        lower = self.lowers[i]
        if not self.words[i].islower() or len(lower) < 4 or is_english(lower):
            return False
        if lower in NOT_NAMES or lower in MODERN_WORDS or lower in PLACES or lower in COUNTRIES:
            return False
        if i > 0 and self.lowers[i - 1] in _PLACE_PREPOSITIONS:
            return False
        return (lower in _ALL_SURNAMES or self.first_name(i)) and bool(
            _PERSON_VERB_AFTER.match(self.text, self.ends[i])
        )

    def first_name(self, i: int) -> bool:
        return (
            self.lowers[i] in _ALL_FIRST_NAMES
            or self.lowers[i] in self.own.first
            or _hyphenated_first_name(self.lowers[i])
        )

    def listed(self, i: int) -> bool:
        lower = self.lowers[i]
        return self.first_name(i) or lower in _ALL_SURNAMES or lower in self.own.parts

    def curated(self, i: int) -> bool:
        """Whether token ``i`` is in the curated UK lists or the organisation's list."""
        lower = self.lowers[i]
        return lower in FIRST_NAMES or lower in SURNAMES or lower in self.own.parts

    def cued(self, i: int) -> bool:
        """Rule 2: whether a title or role is written just before token ``i``."""
        if i == 0:
            return False
        before, lower, word, gap = self.lowers[i - 1], self.lowers[i], self.words[i], self.gap(i)
        abbreviated = before in _ABBREVIATED_TITLES
        after_title = gap.isspace() or (abbreviated and _TITLE_FULL_STOP.fullmatch(gap))
        if abbreviated and after_title and _capitalised(word) and lower in SURNAMES:
            return True  # "Dr Ward", "Mr Porter": surnames that are also ordinary words
        if before in TITLES and after_title and self.initials_then_name(i):
            return True  # "Dr A. Khan"
        if lower in NOT_NAMES or lower in MODERN_WORDS:
            return False  # "Dr Google"
        if before == "band" and i >= 2 and self.lowers[i - 2] in _DETERMINERS:
            return _BAND_GAP.fullmatch(gap) is not None and self.name_after_role(i, gap)
        if before in TITLES and after_title:
            return self.name_after_title(i)
        if before in ROLES and _ROLE_GAP.fullmatch(gap):
            return self.name_after_role(i, gap)
        return False

    def name_after_title(self, i: int) -> bool:
        word = self.words[i]
        if self.lowers[i] in _PARTICLES:
            return self.particles_then_name(i)
        if _capitalised(word) or (word.isupper() and word != "I"):
            return True
        if self.listed(i) and self.lowers[i] not in _ORDINARY_WORD_NAMES:
            return True
        return word.islower() and self.unknown(i)  # "dr okwu"

    def name_after_role(self, i: int, gap: str) -> bool:
        word, role = self.words[i], self.words[i - 1]
        if not word[0].isupper():
            if self.lowers[i] in _ORDINARY_WORD_NAMES:
                return self.lowers[i] not in _VERB_NAMES and self.followed_by(
                    i, _AFTER_A_NAME | _AFTER_A_NAME_IN_LOWER_CASE
                )
            return self.first_name(i) or self.unknown(i)  # "my manager bernice"
        if self.listed(i):
            return _capitalised(word) or _shouted(word)
        return _capitalised(word) and (
            role.islower()
            or "," in gap
            or self.lowers[i - 1] in ("called", "named")
            or (i >= 2 and self.lowers[i - 2] in _DETERMINERS)
        )

    def starts_name(self, i: int) -> bool:
        """Rules 1 and 3: whether token ``i`` is a name by itself."""
        word, lower = self.words[i], self.lowers[i]
        in_own = lower in self.own.parts
        if lower in NOT_NAMES or not (
            in_own or lower in _ALL_FIRST_NAMES or _hyphenated_first_name(lower)
        ):
            return False
        if word.isupper() and len(word) > 1 and self.surname_follows(i):
            return True  # "SUE HARRIS"
        if lower in _DATE_AND_COLOUR_NAMES:
            return self.surname_follows(i)
        if lower in _NAMES_BEFORE_YEARS and _NUMBER_NEXT.match(self.text, self.ends[i]):
            return False
        ordinary = lower in _ORDINARY_WORD_NAMES
        if (
            lower not in FIRST_NAMES
            and not in_own
            and i > 0
            and self.lowers[i - 1] in _PLACE_PREPOSITIONS
        ):
            return False  # "in Preston": the longer lists hold some places
        if not word[0].isupper():
            return not ordinary and (
                lower in self.own.first
                or (len(word) > 3 and lower in FIRST_NAMES and lower not in _LOWER_CASE_WORDS)
            )
        if word.isupper():
            return not ordinary and (in_own or len(word) >= 4)
        if ordinary and self.sentence_start(i):
            return (
                self.surname_follows(i)
                or self.followed_by(
                    i,
                    _AFTER_A_NAME - {"in", "at", "has", "had"}
                    if lower in _ABSTRACT_NOUN_NAMES
                    else _AFTER_A_NAME,
                )
                or self.initial_follows(i)
                or self.unknown_name_follows(i)
            )
        return True

    def unknown_name_follows(self, i: int) -> bool:
        """Whether an unknown capitalised word follows token ``i`` ("Will Anstruther")."""
        j = i + 1
        return (
            j < self.count
            and self.gap(j) == " "
            and _capitalised(self.words[j])
            and _NAME_SHAPE.fullmatch(self.words[j]) is not None
            and _DRUG_STEMS.search(self.lowers[j]) is None
            and self.unknown(j)
        )

    def followed_by(self, i: int, words: frozenset[str]) -> bool:
        return i + 1 < self.count and self.gap(i + 1) == " " and self.words[i + 1] in words

    def initial_follows(self, i: int) -> bool:
        """Whether a surname's initial follows token ``i`` ("Mark X has been...")."""
        return (
            i + 1 < self.count
            and self.gap(i + 1) == " "
            and len(self.words[i + 1]) == 1
            and self.words[i + 1].isupper()
            and self.words[i + 1] not in "AI"
        )

    def surname_follows(self, i: int) -> bool:
        if i + 1 >= self.count or self.gap(i + 1) != " " or not self.words[i + 1][0].isupper():
            return False
        return self.lowers[i + 1] in _ALL_SURNAMES or self.lowers[i + 1] in self.own.parts

    def unlisted_before_surname(self, i: int) -> bool:
        """Rule 4: an unlisted capitalised word inside a sentence before a listed surname."""
        shouted_pair = (
            _shouted(self.words[i]) and i + 1 < self.count and _shouted(self.words[i + 1])
        )
        return (
            (_capitalised(self.words[i]) or shouted_pair)
            and self.lowers[i] not in NOT_NAMES
            and self.lowers[i] not in _FACILITIES
            and self.surname_follows(i)
            and self.lowers[i + 1] not in NOT_NAMES
            and (
                not self.sentence_start(i)
                or self.lowers[i] in SURNAMES
                or (
                    self.lowers[i + 1] in SURNAMES
                    and self.lowers[i] not in _PLACE_LEADS
                    and not _inflected(self.words[i])
                    and not is_english(self.lowers[i])  # "Stepping Hill"
                )
            )
        )

    def initials_then_name(self, i: int) -> bool:
        """Rule 5: tokens from ``i`` are initials then a surname ("J. Smith", "C.D. Ramirez").

        An initial is one capital letter followed by a full stop, or by a space when a
        listed surname follows ("J Smith"); "I" and "A" only with a full stop.
        """
        j = i
        while j + 1 < self.count and len(self.words[j]) == 1 and self.words[j].isupper():
            gap = self.gap(j + 1)
            stopped = _INITIAL_STOP.fullmatch(gap) is not None
            if not stopped and not (gap == " " and self.words[j] not in "AI"):
                return False
            surname_next = self.lowers[j + 1] in _ALL_SURNAMES or len(self.words[j + 1]) == 1
            if not stopped and not surname_next:
                return False
            j += 1
        word = self.words[j]
        return (
            j > i
            and len(word) > 1
            and _capitalised(word)
            and self.lowers[j] not in NOT_NAMES
            and self.lowers[j] not in _FACILITIES
        )

    def in_person_context(self, i: int, last: int) -> bool:
        """Rule 6: words ``i..last`` stand where only a person can ("bullied by X", "X shouted").

        The words must be capitalised, and none of them a word that is never a name.
        """
        if any(
            not (_capitalised(self.words[k]) or self.shouted_unknown(k))
            or self.lowers[k] in NOT_NAMES
            or self.lowers[k] in _FACILITIES
            or self.lowers[k] in MODERN_WORDS
            for k in range(i, last + 1)
        ):
            return False
        if any(_inflected(self.words[k]) for k in range(i, last + 1)):
            return False
        after_place_word = i > 0 and self.lowers[i - 1] in _PLACE_PREPOSITIONS
        if after_place_word and (self.lowers[i] in PLACES or self.lowers[i] in COUNTRIES):
            return False  # "harassment from Leeds"
        before = self.text[max(0, self.starts[i] - 40) : self.starts[i]]
        if _PERSON_BEFORE.search(before):
            return True  # "complaints about Featherstone", a town too; "bullying from X"
        if after_place_word:
            return False
        if i > 0 and self.lowers[i - 1] == "of":
            return False  # "Our Head of Midwifery is approachable"
        if any(self.lowers[k] in _DATE_AND_COLOUR_NAMES for k in range(i, last + 1)) and (
            self.sentence_start(i) is False
        ):
            return False  # "in May", but "Amber was rude to my student"
        if all(
            is_english(self.lowers[k])
            and not self.listed(k)
            and self.lowers[k] not in ENGLISH_FIRST_NAMES
            for k in range(i, last + 1)
        ):
            return False  # "Catering was rude", but "Rowan made a joke"
        if last > i and self.lowers[i].endswith("ing") and is_english(self.lowers[i]):
            return False  # "Having Magnus as a manager": "Magnus" is read alone
        after = _PERSON_AFTER.match(self.text, self.ends[last])
        if after is None or " ".join(self.lowers[i : last + 1]) in PLACES:
            return False
        pronoun = re.search(r"\b(?:he|she|who)\b", after.group(), re.IGNORECASE) is not None
        return pronoun or not any(
            self.place_shaped(k) or _DRUG_STEMS.search(self.lowers[k]) for k in range(i, last + 1)
        )

    def plain_capitalised(self, k: int) -> bool:
        """Whether token ``k`` is capitalised like a name and is no word for a place or thing."""
        lower = self.lowers[k]
        return (
            _capitalised(self.words[k])
            and _NAME_SHAPE.fullmatch(self.words[k]) is not None
            and lower not in NOT_NAMES
            and lower not in _FACILITIES
            and lower not in MODERN_WORDS
            and lower not in PLACES
            and lower not in COUNTRIES
            and lower not in _DATE_AND_COLOUR_NAMES
            and lower not in _MONTH_ABBREVIATIONS
            and _DRUG_STEMS.search(lower) is None
            and not (k > 0 and self.lowers[k - 1] in _PLACE_PREPOSITIONS | _PLACE_LEADS)
        )

    def surname_alone(self, i: int, last: int) -> bool:
        """Rule 10: a listed surname alone inside a sentence ("a meeting with Ashworth").

        One capitalised word, not opening a sentence, after a word in lower case, in the
        surname lists and not an English word or a town.
        """
        return (
            i == last
            and i > 0
            and not self.sentence_start(i)
            and self.words[i - 1].islower()
            and self.lowers[i] in _ALL_SURNAMES
            and self.plain_capitalised(i)
            and not is_english(self.lowers[i])
        )

    def possessor(self, i: int, last: int) -> bool:
        """Rule 11: unknown or listed words owning what only a person has ("X's contract")."""
        owner = _POSSESSIVE_PERSON.match(self.text, self.ends[last]) is not None
        return (
            owner
            and all(self.plain_capitalised(k) for k in range(i, last + 1))
            and any(self.unknown(k) or self.listed(k) for k in range(i, last + 1))
        )

    def in_apposition(self, i: int, last: int) -> bool:
        """Rule 12: capitalised words beside a role between commas ("Kerensa, the ward clerk,")."""
        role = _APPOSITION.match(self.text, self.ends[last])
        return (
            role is not None
            and role.group("role").lower() in ROLES | {"receptionist", "porter", "clerk"}
            and all(self.plain_capitalised(k) for k in range(i, last + 1))
            and not all(is_english(self.lowers[k]) for k in range(i, last + 1))
        )

    def role_after(self, i: int, last: int) -> bool:
        """Rule 13: a name, "the" and a role ("Arash the registrar", "Bill the porter is")."""
        role = _ROLE_AFTER.match(self.text, self.ends[last])
        return (
            role is not None
            and role.group("role").lower() in ROLES
            and all(self.plain_capitalised(k) for k in range(i, last + 1))
            and all(self.listed(k) or not is_english(self.lowers[k]) for k in range(i, last + 1))
        )

    def particles_then_name(self, i: int) -> bool:
        """Whether tokens from ``i`` are particles then a capitalised word ("van der Merwe")."""
        for j in range(i, self.count):
            if self.lowers[j] not in _PARTICLES:
                return _capitalised(self.words[j])
        return False

    def extend(self, i: int) -> int:
        """The index of the last word of the name that starts at token ``i``."""
        last = i
        while last + 1 < self.count and last - i < 4:
            j = last + 1
            initial = len(self.words[last]) == 1
            if self.gap(j) != " " and not (initial and _INITIAL_GAP.fullmatch(self.gap(j))):
                break
            if not (
                (self.lowers[j] in _PARTICLES and self.particles_then_name(j))
                or self.continues_name(j, lower_case=self.words[i].islower())
            ):
                break
            last = j
        return last

    def continues_name(self, j: int, *, lower_case: bool) -> bool:
        """Whether token ``j`` is the next word of a name; ``lower_case`` if it started so."""
        word, lower = self.words[j], self.lowers[j]
        listed = lower in _ALL_SURNAMES or lower in self.own.parts
        if lower in _FACILITY_SURNAMES:
            return listed and not _NUMBER_NEXT.match(self.text, self.ends[j])
        if len(word) == 1 and word.isupper():
            return self.initials_then_name(j)
        if lower in NOT_NAMES or lower in _FACILITIES:
            return False
        if _capitalised(word):
            return True
        if _shouted(word) and _shouted(self.words[j - 1]) and self.shouted_unknown(j):
            return True  # "GRAHAM PEMBERTON"
        return listed and (_shouted(word) or (lower_case and word.islower()))

    def is_place(self, first: int, last: int, listed: bool) -> bool:
        """Whether the words ``first..last`` name a place or thing ("on Florence Ward")."""
        before = self.lowers[first - 1] if first > 0 else ""
        if before in _PLACE_LEADS or (
            last > first and " ".join(self.lowers[first : last + 1]) in PLACES
        ):
            return True
        after = self.lowers[last + 1] if last + 1 < self.count else ""
        if after in _HOSPITALS and self.words[last + 1].istitle():
            return True  # "Hope Hospital", "Victoria Infirmary": no person is so followed
        possessive = self.text[self.ends[last] : self.ends[last] + 2] in ("'s", "’s")
        if possessive and after in _BUILDINGS:
            return True  # "Maggie's centre", "St Luke's hospice"
        facility = (
            after in _FACILITIES
            or (last > first and self.lowers[last] in _FACILITY_SURNAMES)
            or _WARD_NUMBER.match(self.text, self.ends[last]) is not None
        )
        named_ward = (
            last > first and self.words[last].istitle() and self.lowers[last] in _FACILITIES
        )
        opens = (
            named_ward
            and self.sentence_start(first)
            and not _PERSON_AFTER.match(self.text, self.ends[last])
        )  # "Victoria Ward needs new beds"
        return facility and (before in _LOCATION_WORDS or not listed or opens)

    def whole_names(self, lengths: dict[str, frozenset[int]], names: frozenset[tuple[str, ...]]):
        """The first and last token of each of ``names`` written out in full, in any case."""
        found = []
        for i in (i for i, lower in enumerate(self.lowers) if lower in lengths):
            for length in lengths[self.lowers[i]]:
                if tuple(self.lowers[i : i + length]) in names:
                    found.append((i, i + length - 1))
        return found

    def candidates(self) -> list[int]:
        """The tokens that may start a name: a quick test that skips most words."""
        lowers, words = self.lowers, self.words
        possible, surnames = self.own.possible_first_words, self.own.possible_surnames
        context = _PERSON_CONTEXT.search(self.text) is not None
        english = english_words()
        return [
            i
            for i, lower in enumerate(lowers)
            if lower in possible
            or ("-" in lower and _hyphenated_first_name(lower))
            or (i > 0 and lowers[i - 1] in _CUES)
            or (words[i][0].isupper() and i + 1 < self.count and lowers[i + 1] in surnames)
            or (len(words[i]) == 1 and words[i].isupper())
            or (context and _capitalised(words[i]) and lower not in NOT_NAMES)
            or (_capitalised(words[i]) and lower not in english and lower not in NOT_NAMES)
            or (context and words[i].islower() and lower not in english)
            or (_shouted(words[i]) and lower not in english)
        ]

    def find(self) -> list[tuple[int, int]]:
        spans = self.whole_names(self.own.lengths, self.own.whole)
        public = set()
        for first, last in self.whole_names(_PUBLIC_FIGURE_LENGTHS, PUBLIC_FIGURES):
            public.update(range(first, last + 1))
        after_last = 0
        for i in self.candidates():
            if i < after_last or i in public:
                continue
            cued = self.cued(i)
            listed = cued or self.starts_name(i)
            if listed or self.unlisted_before_surname(i) or self.initials_then_name(i):
                last = self.extend(i)
                if cued or not self.is_place(i, last, listed and self.curated(i)):
                    spans.append((i, last))
                after_last = last + 1
            elif _capitalised(self.words[i]) or _shouted(self.words[i]):
                last = self.extend(i)
                shouted_name = self.shouted_unknown(i) and len(self.words[i]) >= 5  # "BRADSHAW"
                if (
                    shouted_name
                    or self.in_person_context(i, last)
                    or self.unknown_before_verb(i, last)
                    or self.surname_alone(i, last)
                    or self.possessor(i, last)
                    or self.in_apposition(i, last)
                    or self.role_after(i, last)
                ) and not self.is_place(i, last, False):
                    spans.append((i, last))
                    after_last = last + 1
            elif self.lower_case_after_person_cue(i) or self.lower_case_before_person_verb(i):
                last = self.extend(i)
                spans.append((i, last))
                after_last = last + 1
        spans = [(self.surname_before(first), last) for first, last in spans]
        spans += self.listed_with(spans)
        return [(self.starts[first], self.ends[last]) for first, last in spans]

    def surname_before(self, first: int) -> int:
        """Where a name starts that a listed surname may open ("Nguyen Thi Lan")."""
        i = first - 1
        if (
            i >= 0
            and self.gap(first) == " "
            and _capitalised(self.words[i])
            and (
                self.lowers[i] in _ALL_SURNAMES
                or (_NAME_SHAPE.fullmatch(self.words[i]) and self.unknown(i))  # "Cheng Wei"
            )
            and self.lowers[i] not in NOT_NAMES
            and self.lowers[i] not in _FACILITIES
            and not (i > 0 and self.lowers[i - 1] in _CUES)
        ):
            return i
        return first

    def coordinated(self, j: int, *, lower_case: bool = False) -> bool:
        """Whether token ``j``, written beside a name with "and" or a comma, is a name too.

        Beside a name written in lower case, a first name in lower case ("aisha and tom").
        """
        word = self.words[j]
        if lower_case and word.islower():
            kept = NOT_NAMES | _ORDINARY_WORD_NAMES | _LOWER_CASE_WORDS
            first = self.first_name(j) or self.lowers[j] in ENGLISH_FIRST_NAMES
            return first and self.lowers[j] not in kept
        return (
            _capitalised(word)
            and self.lowers[j] not in NOT_NAMES
            and self.lowers[j] not in _FACILITIES
            and self.lowers[j] not in _DATE_AND_COLOUR_NAMES
            and not _inflected(word)
        )

    def _and_between(self, left: int, right: int) -> bool:
        """Whether tokens ``left`` and ``right`` are joined by "and" (or ", and")."""
        return (
            self.lowers[left + 1] == "and"
            and self.gap(right) == " "
            and self.gap(left + 1) in (" ", ", ")
        )

    def listed_with(self, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Rule 7: names listed beside a found name ("Chidinma and Rotimi", "X, Y and Z")."""
        taken = {k for first, last in spans for k in range(first, last + 1)}
        added: list[tuple[int, int]] = []
        pending = list(spans)
        while pending:
            first, last = pending.pop()
            neighbours = []
            if last + 1 < self.count and _LIST_GAP.fullmatch(self.gap(last + 1)):
                neighbours.append(last + 1)
            if first > 0 and _LIST_GAP.fullmatch(self.gap(first)):
                neighbours.append(first - 1)
            elif first > 1 and self._and_between(first - 2, first):
                neighbours.append(first - 2)
            if last + 2 < self.count and self._and_between(last, last + 2):
                neighbours.append(last + 2)
            for j in neighbours:
                if j in taken or not self.coordinated(j, lower_case=self.words[first].islower()):
                    continue
                if self.sentence_start(j) and (
                    self.lowers[j] in PLACES | COUNTRIES | _PLACE_WORD_NAMES
                    or not (self.first_name(j) or self.lowers[j] in ENGLISH_FIRST_NAMES)
                ):
                    continue  # "Ebony and Shanice are", not "Datix and Karen"
                end = self.extend(j) if j > last else j
                if self.is_place(j, end, False):
                    continue
                taken.update(range(j, end + 1))
                added.append((j, end))
                pending.append((j, end))
        return added


def find_person_names(text: str, names: NameList | None = None) -> list[tuple[int, int]]:
    """Find the person names written in a comment.

    Parameters
    ----------
    text : str
        The comment as written.
    names : NameList, optional
        The organisation's own names (see :meth:`NameList.from_names`).

    Returns
    -------
    list of (int, int)
        The ``(start, end)`` character span of each name, titles and roles left out
        ("Dr Patel" gives the span of "Patel"); spans may overlap when two rules agree.

    Notes
    -----
    The rules, what they keep and why are described in this module's docstring. They read
    capitalisation, so a name written in lower case is found only when it is on the
    organisation's list, is a curated first name, or is a listed first name after a title or
    role.

    Examples
    --------
    >>> text = "My manager Karen and Dr O'Neill are great, unlike the M4 on a Monday."
    >>> [text[start:end] for start, end in find_person_names(text)]
    ['Karen', "O'Neill"]
    """
    return _NameFinder(text, names or _NO_NAMES).find()


def names_beside_found(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """More of a comment's names, read from the names already found in it.

    Parameters
    ----------
    text : str
        The comment as written.
    spans : iterable of (int, int)
        The character spans of the names found by the rules and the tagger.

    Returns
    -------
    list of (int, int)
        Spans of words not in ``spans``: every other mention of a word of a found name that
        is in no English word list ("Day" of "Boxing Day" is), spelt the same ("Aled
        Pritchard has made ..., thanks Aled"); and an unknown capitalised word just before a
        found name, its first name ("I am Oleksandr Petrenko", where only "Petrenko" was
        found). Unknown means what :meth:`_NameFinder.unknown` says: not English, a place,
        a demonym or a listed word.

    Examples
    --------
    >>> text = "Aled Pritchard fixed it, thanks Aled"
    >>> [text[start:end] for start, end in names_beside_found(text, [(0, 14)])]
    ['Aled']
    """
    spans = list(spans)
    if not spans:
        return []
    finder = _NameFinder(text, _NO_NAMES)
    inside = [
        any(start <= finder.starts[k] and finder.ends[k] <= end for start, end in spans)
        for k in range(finder.count)
    ]
    starts = {start for start, _ in spans}
    found_words = {
        finder.words[k]
        for k in range(finder.count)
        if inside[k]
        and _capitalised(finder.words[k])
        and finder.lowers[k] not in NOT_NAMES | _ORDINARY_WORD_NAMES | _DATE_AND_COLOUR_NAMES
        and finder.lowers[k] not in PLACES
        and finder.lowers[k] not in english_words()
    }
    extra = []
    for k in range(finder.count):
        if inside[k]:
            continue
        first_name_before = (
            k + 1 < finder.count
            and finder.starts[k + 1] in starts
            and finder.gap(k + 1) == " "
            and _capitalised(finder.words[k])
            and _NAME_SHAPE.fullmatch(finder.words[k]) is not None
            and finder.unknown(k)
            and not finder.place_shaped(k)
            and _DRUG_STEMS.search(finder.lowers[k]) is None
            and not (k > 0 and finder.lowers[k - 1] in _PLACE_PREPOSITIONS | _PLACE_LEADS)
        )
        if finder.words[k] in found_words or first_name_before:
            extra.append((finder.starts[k], finder.ends[k]))
    return extra
