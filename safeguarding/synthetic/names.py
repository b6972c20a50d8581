"""Name pools and variant tables for the synthetic generator.

The names are common given names and surnames; every combination the generator makes is random, so no
record describes a real person. Pools are grouped by a loose cultural background so that families get
plausible combinations (English, South Asian, Eastern European, other), with some mixing.
"""

from __future__ import annotations


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Given names by group and sex ("F"/"M"). Names with diacritics appear as they are written in the
# language; systems that cannot store them strip them (see ``strip_diacritics``).
FIRST_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "english": {
        "F": _split(
            "Olivia Amelia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Freya Willow "
            "Florence Emily Ella Poppy Evie Elsie Charlotte Evelyn Sienna Daisy Phoebe Sophie "
            "Alice Harper Matilda Ruby Emilia Maya Millie Jessica Chloë Zoë Katherine Elizabeth "
            "Rebecca Hannah Abigail Megan Leah Niamh Siobhán Caitlin Amy Lucy Holly Eleanor "
            "Victoria Jennifer Margaret Samantha Alexandra Natalie Bethany Courtney Kayleigh "
            "Renée Aoife"
        ),
        "M": _split(
            "Oliver George Noah Arthur Harry Leo Muhammad Jack Charlie Oscar Jacob Henry Thomas "
            "Freddie Alfie Theo William Theodore Archie Joshua Alexander James Isaac Edward Lucas "
            "Tommy Finley Max Logan Ethan Robert Stephen Daniel Jayden Samuel Benjamin Joseph "
            "Michael Christopher Matthew Nathan Connor Reece Lewis Kieran Callum Liam Ryan Tyler "
            "Jake Dylan Aiden Sean Philip Anthony Richard Nicholas Patrick Seán Oisín"
        ),
    },
    "south_asian": {
        "F": _split(
            "Aisha Fatima Maryam Zainab Ayesha Hafsa Inaya Aleena Anaya Zara Amira Safa Khadija "
            "Sana Noor Priya Ananya Diya Riya Saanvi Aaliyah Mehreen Nadia Farah Sadia Rukhsana "
            "Simran Harleen Jasleen Tahmina"
        ),
        "M": _split(
            "Mohammed Muhammad Ibrahim Yusuf Ali Hamza Zayn Ayaan Rayyan Musa Adam Zakariya "
            "Hassan Hussain Bilal Arjun Rohan Aarav Vihaan Dev Harjit Gurpreet Imran Faisal Tariq "
            "Rehan Aryan Kabir Umar Abdullah"
        ),
    },
    "eastern_european": {
        "F": _split(
            "Zuzanna Julia Zofia Hanna Maja Lena Alicja Oliwia Amelia Natalia Katarzyna "
            "Małgorzata Agnieszka Aleksandra Weronika Wiktoria Magdalena Andreea Ioana Elena "
            "Ştefania Mădălina Ieva Gabija Emilija Olena Anastasiia Sofiia Daria Kateřina"
        ),
        "M": _split(
            "Jakub Antoni Jan Szymon Franciszek Filip Aleksander Mikołaj Wojciech Kacper Łukasz "
            "Michał Paweł Piotr Krzysztof Tomasz Mateusz Bartłomiej Andrei Ştefan Ionuţ Mihai "
            "Alexandru Lukas Jonas Matas Oleksandr Dmytro Mykola Tomáš"
        ),
    },
    "other": {
        "F": _split(
            "Chioma Adaeze Ngozi Amara Zainab Hodan Ayaan Fartun Layla Mariam Yasmin Leila "
            "Beatriz Inês Mariana Ana Mei Lina Esther Blessing"
        ),
        "M": _split(
            "Chidi Emeka Oluwaseun Tobi Abdi Mohamed Ahmed Omar Youssef Karim João Tiago Rafael "
            "Diogo Wei Kwame Kofi David Samuel Joel"
        ),
    },
}

SURNAMES: dict[str, tuple[str, ...]] = {
    "english": _split(
        "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans "
        "Walker White Roberts Green Hall Wood Jackson Clarke Harrison Thomas Cooper Hughes "
        "Edwards Turner Lewis Ashworth Kettlewell Hargreaves Pickering Whitworth Sutcliffe "
        "Brennan Murphy O'Connor O'Neill McDonald MacLeod Fitzgerald Holroyd Barraclough "
        "Greenwood Atkinson Marsden Blackburn Fairclough Lockwood Armitage Wainwright"
    ),
    "south_asian": _split(
        "Khan Ahmed Hussain Ali Begum Akhtar Iqbal Mahmood Rashid Shah Patel Singh Kaur Sharma "
        "Chaudhry Mirza Qureshi Malik Anwar Siddiqui Bibi Islam Uddin Rahman Choudhury"
    ),
    "eastern_european": _split(
        "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański "
        "Woźniak Dąbrowski Kozłowski Jankowski Mazur Krawczyk Popescu Bogdănescu Ionescu Munteanu "
        "Ştefănescu Kazlauskas Petrauskas Jankauskas Shevchenko Kovalenko Bondarenko Dvořák Novák "
        "Horváth Varga"
    ),
    "other": _split(
        "Okafor Okonkwo Adeyemi Mensah Osei Abdullahi Mohamed Hassan Farah Warsame Haddad Mansour "
        "Silva Santos Gonçalves Conceição Ferreira Chen Wang Nguyen"
    ),
}

# Share of families by background (fictional areas; loosely like a northern English county).
GROUP_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("english", 0.66),
    ("south_asian", 0.16),
    ("eastern_european", 0.12),
    ("other", 0.06),
)

MIDDLE_NAME_SHARE = {"english": 0.55, "south_asian": 0.35, "eastern_european": 0.25, "other": 0.35}

# Nicknames and diminutives: canonical name -> what people are called.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "Robert": ("Bob", "Rob", "Bobby", "Robbie"),
    "William": ("Will", "Billy", "Liam"),
    "Thomas": ("Tom", "Tommy"),
    "James": ("Jim", "Jamie"),
    "Joseph": ("Joe", "Joey"),
    "Michael": ("Mike", "Mikey"),
    "Christopher": ("Chris",),
    "Matthew": ("Matt",),
    "Nicholas": ("Nick", "Nicky"),
    "Anthony": ("Tony", "Ant"),
    "Richard": ("Rick", "Richie", "Dick"),
    "Edward": ("Ed", "Eddie", "Ted"),
    "Alexander": ("Alex", "Xander", "Sandy"),
    "Samuel": ("Sam", "Sammy"),
    "Benjamin": ("Ben", "Benji"),
    "Daniel": ("Dan", "Danny"),
    "Frederick": ("Freddie",),
    "Theodore": ("Theo", "Ted"),
    "Nathan": ("Nate",),
    "Joshua": ("Josh",),
    "Jacob": ("Jake",),
    "Philip": ("Phil",),
    "Patrick": ("Paddy", "Pat"),
    "Stephen": ("Steve",),
    "Elizabeth": ("Liz", "Lizzie", "Beth", "Betty", "Eliza"),
    "Katherine": ("Kate", "Katie", "Kath"),
    "Rebecca": ("Becky", "Becca"),
    "Abigail": ("Abbie", "Abby"),
    "Jessica": ("Jess",),
    "Victoria": ("Vicky", "Tori"),
    "Jennifer": ("Jenny", "Jen"),
    "Margaret": ("Maggie", "Peggy", "Meg"),
    "Samantha": ("Sam", "Sammy"),
    "Alexandra": ("Alex", "Lexi", "Sasha"),
    "Eleanor": ("Ellie", "Nell"),
    "Charlotte": ("Lottie", "Charlie"),
    "Florence": ("Flo",),
    "Matilda": ("Tilly",),
    "Isabella": ("Bella", "Izzy"),
    "Natalie": ("Nat",),
    "Bethany": ("Beth",),
    "Katarzyna": ("Kasia", "Kaśka"),
    "Małgorzata": ("Gosia", "Małgosia"),
    "Aleksandra": ("Ola",),
    "Agnieszka": ("Aga",),
    "Magdalena": ("Magda",),
    "Weronika": ("Weronka",),
    "Wiktoria": ("Wika",),
    "Zuzanna": ("Zuzia",),
    "Natalia": ("Natka",),
    "Oleksandr": ("Sasha", "Olek"),
    "Aleksander": ("Olek", "Alek"),
    "Jakub": ("Kuba",),
    "Wojciech": ("Wojtek",),
    "Michał": ("Michu",),
    "Krzysztof": ("Krzyś",),
    "Tomasz": ("Tomek",),
    "Mateusz": ("Mati",),
    "Bartłomiej": ("Bartek",),
    "Mikołaj": ("Mikołajek",),
    "Franciszek": ("Franek",),
    "Piotr": ("Piotrek",),
    "Paweł": ("Pawełek",),
    "Szymon": ("Szymek",),
    "Alexandru": ("Alex",),
    "Andreea": ("Andra",),
    "Anastasiia": ("Nastia", "Nastya"),
    "Dmytro": ("Dima",),
    "Mykola": ("Kolya",),
    "Muhammad": ("Mo",),
    "Mohammed": ("Mo",),
    "Ibrahim": ("Ibby",),
    "Abdullah": ("Abdul",),
    "Oluwaseun": ("Seun",),
    "Zakariya": ("Zak",),
    "Khadija": ("Dija",),
}

# Spellings heard over the phone or typed from speech: each tuple is one spoken name.
PHONETIC_GROUPS: tuple[tuple[str, ...], ...] = (
    ("Katherine", "Catherine", "Kathryn", "Cathryn"),
    ("Mohammed", "Muhammad", "Mohammad", "Muhammed", "Mohamed"),
    ("Niamh", "Neve", "Neave"),
    ("Zoë", "Zoe", "Zoey"),
    ("Chloë", "Chloe", "Cloe"),
    ("Stephen", "Steven"),
    ("Aiden", "Aidan", "Ayden"),
    ("Sean", "Shaun", "Shawn"),
    ("Seán", "Shaun", "Shawn"),
    ("Siobhán", "Shivaun", "Chevonne"),
    ("Caitlin", "Kaitlyn", "Katelyn"),
    ("Connor", "Conor", "Conner"),
    ("Reece", "Rhys", "Reese"),
    ("Lewis", "Louis"),
    ("Philip", "Phillip"),
    ("Megan", "Meghan", "Meagan"),
    ("Leah", "Lea", "Leia"),
    ("Jayden", "Jaden", "Jaiden"),
    ("Aisha", "Ayesha", "Aysha"),
    ("Ayesha", "Aisha", "Aysha"),
    ("Hussain", "Hussein", "Husain"),
    ("Kieran", "Ciaran", "Keiran"),
    ("Kayleigh", "Kayley", "Kaylee"),
    ("Courtney", "Kortney"),
    ("Isla", "Ayla", "Islah"),
    ("Freya", "Freyja"),
    ("Sophia", "Sofia"),
    ("Hannah", "Hanna"),
    ("Oisín", "Osheen"),
    ("Aoife", "Eefa", "Eva"),
    ("Wojciech", "Voytek", "Vojtek"),
    ("Łukasz", "Lukash", "Lucas"),
    ("Oleksandr", "Olexander", "Aleksandr"),
    ("Yusuf", "Yousef", "Yousuf"),
    ("Zainab", "Zaynab"),
    ("Tobi", "Toby"),
)

SURNAME_PHONETIC_GROUPS: tuple[tuple[str, ...], ...] = (
    ("Thompson", "Thomson", "Tomson"),
    ("Smith", "Smyth"),
    ("Clarke", "Clark"),
    ("McDonald", "MacDonald", "Macdonald"),
    ("MacLeod", "McLeod"),
    ("Hussain", "Hussein", "Husain"),
    ("Chaudhry", "Choudhury", "Chowdhury"),
    ("Choudhury", "Chaudhry", "Chowdhury"),
    ("Mohamed", "Mohammed", "Muhammad"),
    ("Ahmed", "Ahmad"),
    ("Siddiqui", "Siddiqi"),
    ("Qureshi", "Kureshi"),
    ("Nowak", "Novak"),
    ("Kowalski", "Kovalski"),
    ("Wójcik", "Voychick", "Wojcik"),
    ("Shevchenko", "Shevchenco"),
    ("O'Neill", "O'Neil", "ONeill"),
    ("O'Connor", "O'Conner", "Connor"),
    ("Brennan", "Brenan"),
    ("Greenwood", "Greenword"),
    ("Okafor", "Okafur"),
)

# Names a parent might give twins that look alike but are different children.
SIMILAR_TWIN_NAMES: tuple[tuple[tuple[str, str], tuple[str, str]], ...] = (
    (("Jayden", "M"), ("Jaydon", "M")),
    (("Ella", "F"), ("Ellie", "F")),
    (("Lily", "F"), ("Lila", "F")),
    (("Harry", "M"), ("Harvey", "M")),
    (("Evie", "F"), ("Eva", "F")),
    (("Leo", "M"), ("Leon", "M")),
    (("Aisha", "F"), ("Alisha", "F")),
    (("Hassan", "M"), ("Hasan", "M")),
    (("Daniel", "M"), ("Daniela", "F")),
    (("Jan", "M"), ("Jana", "F")),
    (("Mia", "F"), ("Maya", "F")),
    (("Oliver", "M"), ("Olivia", "F")),
    (("Kacper", "M"), ("Kasper", "M")),
    (("Amir", "M"), ("Amira", "F")),
)

# A few given names are also surnames, so a first/last swap can look like another child.
PARTNER_SURNAME_GROUPS = ("english", "english", "english", "south_asian", "eastern_european", "other")


def feminine_surname(surname: str) -> str:
    """Polish surnames in -ski/-cki/-dzki take -ska/-cka/-dzka for girls."""
    for ending in ("ski", "cki", "dzki"):
        if surname.endswith(ending):
            return surname[:-1] + "a"
    return surname


def _phonetic_index(groups: tuple[tuple[str, ...], ...]) -> dict[str, tuple[str, ...]]:
    index: dict[str, tuple[str, ...]] = {}
    for group in groups:
        head, *others = group
        index.setdefault(head, tuple(others))
    return index


PHONETIC = _phonetic_index(PHONETIC_GROUPS)
SURNAME_PHONETIC = _phonetic_index(SURNAME_PHONETIC_GROUPS)


# Longer tails of surnames, built from common English place-name parts and from the usual endings of Polish,
# Romanian, Lithuanian and Ukrainian surnames, so that two unrelated children rarely share a full name by chance
# more often than they would in a real county. Each family draws from the common list above or from these.
_ENGLISH_HEADS = _split(
    "Ash Black Brad Brook Brom Cal Chad Clay Cold Crow Dal Den Ever Fair Fen Gar Green Hall Hart Hay Heath Hol "
    "Holm Kirk Lang Ley Mar Mid Mill Moss Nor Oak Pen Red Rid Roth Shaw Stan Stock Thorn Wal War Wes Whit Wick "
    "Wil Win Wood"
)
_ENGLISH_TAILS = _split("bury by croft den field ford ham hurst ington ley more ridge shaw stead ton well wick worth")
_POLISH_ROOTS = _split(
    "Brzozow Sadow Zalew Grabow Kalinow Makow Olszew Jasiń Borkow Czarnow Dudziń Gajew Kaczmarczyk Lipiń "
    "Malinow Nowakow Ostrow Pawłow Rutkow Sobieraj Tomaszew Wasilew Zawadz Kubiak Michalak Walczak Wróblew "
    "Zając Sikor Baran"
)
_ROMANIAN_ROOTS = _split("Pop Ion Rad Stan Dobr Marin Constantin Georg Vasil Dumitr Mih Nicol Andr Tudor Barb")
_LITHUANIAN_ROOTS = _split("Kazl Petr Jank Pauliuk Stank Vasil Žuk Urb Butk Balt")
_UKRAINIAN_ROOTS = _split("Shevch Koval Bondar Tkach Kravch Moroz Lys Rudn Savch Marchen Pavl Oliynyk")


def _polish(root: str) -> str:
    if root.endswith(("ak", "yk", "aj", "ar", "an", "ąc")):
        return root
    if root.endswith("dz"):
        return root + "ki"
    if root.endswith("ń"):
        return root[:-1] + "ński"
    return root + "ski"


SURNAME_TAILS: dict[str, tuple[str, ...]] = {
    "english": tuple(sorted({h + t for h in _ENGLISH_HEADS for t in _ENGLISH_TAILS})),
    "eastern_european": tuple(
        sorted(
            {_polish(r) for r in _POLISH_ROOTS}
            | {r + s for r in _ROMANIAN_ROOTS for s in ("escu", "eanu")}
            | {r + s for r in _LITHUANIAN_ROOTS for s in ("auskas", "aitis", "ėnas")}
            | {r + ("" if r.endswith("yk") else "enko") for r in _UKRAINIAN_ROOTS}
        )
    ),
    "south_asian": _split(
        "Aslam Javed Riaz Nawaz Butt Raja Hanif Latif Sultana Sarwar Saleem Yousaf Zaman Hafeez Karim Majid Parveen "
        "Kauser Ghani Hameed Akram Bashir Jamil Khalid Nazir Rafiq Shafiq Tahir Younis Dhillon Gill Sandhu "
        "Sidhu Grewal Bains Chohan Mistry Desai Joshi Mehta Kapoor Miah Hoque Sarkar Talukdar"
    ),
    "other": _split(
        "Abubakar Bello Eze Nwosu Obi Afolabi Asante Boateng Owusu Yusuf Ibrahim Elmi Omar Pereira Costa Rodrigues "
        "Oliveira Li Zhang Liu Tran Pham Adebayo Okoro Nnamdi Mwangi Kamau Otieno Ndlovu Dlamini"
    ),
}
# Share of families whose surname comes from the common list rather than the tail.
COMMON_SURNAME_SHARE = {"english": 0.35, "south_asian": 0.7, "eastern_european": 0.35, "other": 0.4}
