"""A synthetic, fictional evaluation set for ``uglymugs links``: planted series and decoys.

Every person, number and plate here is made up (phones in Ofcom's drama range, e-mails
at example domains). A *series* is one invented offender who offends 3–8 times; each of
his reports describes him with the noise real reports have: age as "40-50", "mid 40s"
or "40多岁", height as "5ft 10", "178cm" or "about 5'10", build and hair in other
words, a mark and a method told in one of the five languages, a plate whole, partial
("AB12 C??", "starts AB1") or misread (8 for B), sometimes no phone, sometimes a second
one, in one force area or two (a travelling offender), days to months apart, some
completed by a follow-up report. *Singletons* are one-off offenders, many of them with
the most common descriptions. *Decoys* are built to fool a linker: a recycled number
used years apart by men who look nothing alike, the same car model in one city, a
project's own office number written into every report it makes, common first names
as usernames and as the name he gave, two men in one city with the same make and
method, and men who share one common method. Some series are hard: a man who looks
like the commonest description, or who uses a new phone every time. Free text is in
the report's language (names as "he called himself", "se numea", "他自称" …), ages
and heights in each language's words and styles ("cincizeci", "quarenta e poucos",
"po czterdziestce", "四十多岁"; "1,80 m", "1m80", "一米八"), with typos.

The set is written in the format ``uglymugs links --evaluate`` reads (``docs/links.md``):

    {"format": "uglymugs.links-eval/1",
     "reports": [{"report_number": …, "received_at": …, "content": {…sealed report…}}],
     "series": [["UM-…", "UM-…", …], …]}

>>> data = generate(seed=1, series=5, singletons=20)
>>> len(data["series"]), data["format"]
(5, 'uglymugs.links-eval/1')
"""

from __future__ import annotations

import json
import random
import string
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

FORMAT = "uglymugs.links-eval/1"
LANGS = ("en", "en", "en", "ro", "pt", "pl", "zh")
AREAS = (
    "merseyside",
    "west-midlands",
    "greater-manchester",
    "cleveland",
    "northumbria",
    "west-yorkshire",
    "south-yorkshire",
    "metropolitan",
    "avon-and-somerset",
    "kent",
    "lancashire",
    "scotland",
    "south-wales",
)
ETHNICITY = {
    "white": ("white", "White British", "caucasian", "alb", "branco", "biały", "白人"),
    "black": ("black", "Black British", "afro-caribbean", "negru", "negro", "czarnoskóry", "黑人"),
    "south_asian": ("south asian", "Asian", "Pakistani", "asiatic", "asiático", "azjata", "南亚"),
    "east_asian": ("east asian", "Chinese", "chinez", "chinês", "chińczyk", "中国人"),
    "eastern_european": ("eastern european", "Polish", "Romanian", "român", "polak", "东欧"),
}
HAIR = {
    "bald": ("bald", "shaved head", "chel", "careca", "łysy", "光头"),
    "grey": ("grey", "greying", "short grey hair", "cărunt", "grisalho", "siwy", "白发"),
    "ginger": ("ginger", "red hair", "roșcat", "ruivo", "rudy", "红头发"),
    "dark": ("dark hair", "black hair", "brunet", "cabelo preto", "ciemne włosy", "黑头发"),
    "brown": ("brown", "short brown hair", "șaten", "castanho", "brązowe", "棕色头发"),
    "blond": ("blond", "fair hair", "blond", "loiro", "blondyn", "金发"),
}
BUILD = ("slim", "medium", "stocky", "large")
MOTIFS = {
    "snake": ("snake", "șarpe", "serpente", "węża", "蛇"),
    "dragon": ("dragon", "dragon", "dragão", "smoka", "龙"),
    "spider web": ("spider web", "pânză de păianjen", "teia de aranha", "pajęczyna", "蜘蛛网"),
    "rose": ("rose", "trandafir", "rosa", "róża", "玫瑰"),
    "skull": ("skull", "craniu", "caveira", "czaszka", "骷髅"),
    "eagle": ("eagle", "vultur", "águia", "orzeł", "鹰"),
    "anchor": ("anchor", "ancoră", "âncora", "kotwica", "锚"),
    "teardrop": ("teardrop", "lacrimă", "lágrima", "łza", "泪滴"),
}
PARTS = {
    "forearm": ("forearm", "antebrațul", "antebraço", "przedramieniu", "前臂"),
    "neck": ("neck", "gât", "pescoço", "szyi", "脖子"),
    "hand": ("hand", "mâna", "mão", "dłoni", "手背"),
    "chest": ("chest", "piept", "peito", "klatce", "胸"),
}
SIDES = {
    "left": ("left", "stâng", "esquerdo", "lewym", "左"),
    "right": ("right", "drept", "direito", "prawym", "右"),
}
TATTOO = ("tattoo", "tatuaj", "tatuagem", "tatuaż", "纹身")
METHODS = {
    "condom": (
        "he took the condom off without asking",
        "și-a scos prezervativul fără să întrebe",
        "ele tirou a camisinha sem perguntar",
        "zdjął prezerwatywę bez pytania",
        "他偷偷摘套",
    ),
    "police": (
        "he said he was police and showed a badge",
        "a spus că e polițist și a arătat o insignă",
        "disse que era policial e mostrou um distintivo",
        "mówił, że jest policjantem i pokazał odznakę",
        "他自称警察，还出示了警察证",
    ),
    "strangle": (
        "he choked me with his hands around my neck",
        "m-a sufocat cu mâinile",
        "ele me estrangulou",
        "dusił mnie rękami",
        "他掐住我的脖子",
    ),
    "money_back": (
        "afterwards he took the money back",
        "după aceea a luat banii înapoi",
        "depois pegou o dinheiro de volta",
        "potem zabrał pieniądze",
        "事后他把钱抢回去",
    ),
    "locks": (
        "he locked the door and would not let me leave",
        "a încuiat ușa și nu m-a lăsat să plec",
        "trancou a porta e não me deixou sair",
        "zamknął drzwi i nie wypuścił mnie",
        "他锁上门，不让我走",
    ),
    "filming": (
        "he filmed me on his phone without asking",
        "m-a filmat cu telefonul",
        "ele me filmou com o celular",
        "nagrywał mnie telefonem",
        "他用手机偷拍我",
    ),
    "fake_transfer": (
        "he showed a fake bank transfer on his phone",
        "mi-a arătat un transfer fals",
        "mostrou um comprovante falso",
        "pokazał fałszywy przelew",
        "他给我看了假转账截图",
    ),
    "restraints": (
        "he tied me up with cable ties",
        "m-a legat cu coliere",
        "ele me amarrou",
        "związał mnie",
        "他把我绑起来",
    ),
}
COMMON_METHOD = (
    "he refused to pay",
    "a refuzat să plătească",
    "ele se recusou a pagar",
    "odmówił zapłaty",
    "他拒绝付钱",
)
CARS = (
    ("Ford", "Focus"),
    ("Ford", "Transit"),
    ("Vauxhall", "Corsa"),
    ("Volkswagen", "Golf"),
    ("VW", "Passat"),
    ("BMW", "3 Series"),
    ("Mercedes", "Sprinter"),
    ("Toyota", "Prius"),
    ("Nissan", "Qashqai"),
    ("Audi", "A4"),
    ("Skoda", "Octavia"),
    ("Kia", "Sportage"),
)
COLOURS = {
    "white": ("white", "alb", "branco", "biały", "白色"),
    "black": ("black", "negru", "preto", "czarny", "黑色"),
    "silver": ("silver", "gri", "prata", "srebrny", "银色"),
    "blue": ("blue", "albastru", "azul", "niebieski", "蓝色"),
    "red": ("red", "roșu", "vermelho", "czerwony", "红色"),
}
FIRST_NAMES = ("dave", "john", "mike", "steve", "paul", "chris", "mark", "tom")
RARE_NAMES = ("Tarquin", "Lysander", "Radu", "Florin", "Thiago", "Jarek", "Bartek", "Ambrose")
ZH_NAMES = ("小龙", "阿伟", "李强", "老周", "小马", "阿杰")
# How a report says the name he gave, in each language ({} is the name).
NAME_SAID = (
    ("He called himself {}", "He said his name was {}", "he goes by {}"),
    ("Se numea {}", "a zis că îl cheamă {}"),
    ("disse que se chamava {}", "se apresentou como {}"),
    ("przedstawił się jako {}", "powiedział, że ma na imię {}"),
    ("他自称{}", "他说他叫{}"),
)
INTROS = (
    ("We met at his place.", "I went to a hotel he chose.", "He picked me up."),
    ("Ne-am întâlnit la el acasă.", "Am mers la un hotel ales de el.", "M-a luat cu mașina."),
    ("Nos encontramos na casa dele.", "Fui a um hotel que ele escolheu.", "Ele me buscou."),
    ("Spotkaliśmy się u niego.", "Pojechałam do hotelu, który wybrał.", "Odebrał mnie autem."),
    ("我们在他家见面。", "我去了他选的酒店。", "他开车来接我。"),
)
CATEGORIES = ("violence", "sexual_assault", "rape", "robbery", "theft", "threats", "non_payment")
MISREAD = {"B": "8", "O": "0", "I": "1", "S": "5", "Z": "2", "8": "B", "0": "O", "5": "S"}
LANG_INDEX = {"en": 0, "ro": 1, "pt": 2, "pl": 3, "zh": 4}
RO_TENS = {10: "zece", 20: "douăzeci", 30: "treizeci", 40: "patruzeci", 50: "cincizeci"}
RO_TENS |= {60: "șaizeci", 70: "șaptezeci"}
PT_TENS = {10: "dez", 20: "vinte", 30: "trinta", 40: "quarenta", 50: "cinquenta"}
PT_TENS |= {60: "sessenta", 70: "setenta"}
PL_TENS = {10: "dziesięciu", 20: "dwudziestu", 30: "trzydziestu", 40: "czterdziestu"}
PL_TENS |= {50: "pięćdziesięciu", 60: "sześćdziesięciu", 70: "siedemdziesięciu"}
PL_DECADE = {30: "trzydziestc", 40: "czterdziestc", 50: "pięćdziesiątc"}
ZH_DIGITS = "零一二三四五六七八九"
ZH_TENS = {n * 10: f"{ZH_DIGITS[n]}十" for n in range(2, 8)} | {10: "十"}
START = date(2023, 1, 1)


class _Maker:
    """Makes fictional reports with one random generator (reproducible from a seed)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - fictional test data, reproducible
        self.reports: list[dict[str, Any]] = []
        self.used: set[str] = set()

    def number(self) -> str:
        from uglymugs.reports.numbers import ALPHABET, check_character

        while True:
            payload = "".join(self.rng.choices(ALPHABET, k=11))
            full = payload + check_character(payload)
            number = f"UM-{full[:4]}-{full[4:8]}-{full[8:]}"
            if number not in self.used:
                self.used.add(number)
                return number

    def phone(self) -> str:
        return f"07700 900{self.rng.randrange(1000):03d}"

    def rare_phone(self) -> str:
        """A phone outside the drama range's 1,000 numbers, so series do not collide."""
        return f"+44 7{self.rng.randrange(400, 999)} {self.rng.randrange(100000, 999999)}"

    def plate(self) -> str:
        letters = string.ascii_uppercase.replace("I", "").replace("Q", "")
        return (
            "".join(self.rng.choices(letters, k=2))
            + f"{self.rng.randrange(10, 75):02d}"
            + "".join(self.rng.choices(letters, k=3))
        )

    def persona(self, common: bool = False) -> dict[str, Any]:
        rng = self.rng
        return {
            "sex": "male" if common or rng.random() < 0.95 else "female",
            "ethnicity": "white" if common or rng.random() < 0.6 else rng.choice(list(ETHNICITY)),
            "age": rng.randrange(32, 38) if common else rng.randrange(19, 66),
            "height": rng.randrange(172, 182) if common else rng.randrange(160, 196),
            "build": "medium" if common else rng.choice(BUILD),
            "hair": "brown" if common else rng.choice(list(HAIR)),
            "mark": None
            if common or rng.random() < 0.45
            else (rng.choice(list(MOTIFS)), rng.choice(list(PARTS)), rng.choice(list(SIDES))),
            "methods": [] if common else rng.sample(list(METHODS), rng.choice((0, 1, 1, 2))),
            "car": None if rng.random() < 0.5 else (*rng.choice(CARS), rng.choice(list(COLOURS))),
            "plate": self.plate(),
            "phones": [self.rare_phone()] if rng.random() < 0.6 else [],
            "username": None
            if rng.random() < 0.7
            else f"{rng.choice(FIRST_NAMES)}{rng.randrange(10, 99)}_{rng.randrange(1000)}",
            "areas": [rng.choice(AREAS)],
            "categories": rng.sample(CATEGORIES, rng.choice((1, 1, 2))),
            "name": None if common or rng.random() < 0.75 else self.name(),
        }

    def name(self) -> str:
        rng = self.rng
        pool = rng.choice((FIRST_NAMES, RARE_NAMES, ZH_NAMES))
        return rng.choice(pool).title()

    def answers(self, persona: dict[str, Any], when: date, lang: str, noise: bool) -> dict:
        rng = self.rng
        li = LANG_INDEX[lang]
        answers: dict[str, Any] = {
            "incident_date": when.isoformat(),
            "force_area": rng.choice(persona["areas"]) if rng.random() < 0.9 else "not_sure",
            "offender_sex": persona["sex"] if rng.random() < 0.95 else "not_sure",
            "categories": list(persona["categories"]),
            "contact_method": [rng.choice(("online_ad", "phone", "street", "outcall"))],
        }
        if rng.random() < 0.85:
            answers["offender_ethnicity"] = rng.choice(ETHNICITY[persona["ethnicity"]])
        if rng.random() < 0.85:
            answers["offender_age"] = self.age_text(persona["age"], lang)
        if rng.random() < 0.7:
            answers["offender_height"] = self.height_text(persona["height"], lang)
        if rng.random() < 0.8:
            build = persona["build"]
            if noise and rng.random() < 0.2:
                index = BUILD.index(build) + rng.choice((-1, 1))
                build = BUILD[min(max(index, 0), 3)]
            answers["offender_build"] = build
        if rng.random() < 0.75:
            answers["offender_hair"] = rng.choice(HAIR[persona["hair"]])
        mark = persona["mark"]
        if mark and rng.random() < 0.85:
            motif, part, side = mark
            answers["offender_marks"] = self.mark_text(motif, part, side, li)
        story = [rng.choice(INTROS[li]).rstrip(".。")]
        for method in persona["methods"]:
            if rng.random() < 0.75:
                story.append(METHODS[method][li])
        if rng.random() < 0.5:
            story.append(COMMON_METHOD[li])
        if persona.get("name") and rng.random() < 0.6:
            story.insert(1, rng.choice(NAME_SAID[li]).format(persona["name"]))
        if noise and rng.random() < 0.1:  # a mark told only in the story, not the marks field
            mark = answers.pop("offender_marks", None)
            if mark:
                story.append(mark)
        answers["what_happened"] = ("。" if lang == "zh" else ". ").join(story) + (
            "。" if lang == "zh" else "."
        )
        if noise and rng.random() < 0.15:
            answers["what_happened"] = _typo(rng, answers["what_happened"])
        car = persona["car"]
        if car and rng.random() < 0.8:
            make, model, colour = car
            if rng.random() < 0.85:
                answers["vehicle_make"] = make
            if rng.random() < 0.7:
                answers["vehicle_model"] = model
            if rng.random() < 0.8:
                answers["vehicle_colour"] = COLOURS[colour][li]
            if rng.random() < 0.7:
                answers["vehicle_registration"] = self.plate_text(persona["plate"], noise)
        phones = [p for p in persona["phones"] if rng.random() < 0.75]
        if persona.get("burner"):  # a new phone every time: no number links his reports
            phones = [self.rare_phone()]
        if phones:
            answers["phone_numbers"] = "\n".join(phones)
        if persona["username"] and rng.random() < 0.7:
            answers["usernames"] = persona["username"]
        return answers

    def age_text(self, age: int, lang: str) -> str:
        rng = self.rng
        age += rng.choice((-3, -2, -1, 0, 0, 1, 2, 3))
        decade = age // 10 * 10
        part = "early" if age % 10 < 4 else "mid" if age % 10 < 7 else "late"
        forms = {
            "en": (
                f"{decade}-{decade + 10}",
                f"{part} {decade}s",
                f"about {age}",
                f"{age}ish",
                f"{decade}s",
            ),
            "ro": (
                f"în jur de {age} de ani",
                f"{decade}-{decade + 10}",
                f"{RO_TENS[decade]} și ceva",
                f"în jur de {RO_TENS[round(age, -1)]} de ani",
            ),
            "pt": (
                f"cerca de {age} anos",
                f"{decade}-{decade + 10}",
                f"{PT_TENS[decade]} e poucos" if part == "early" else f"uns {age} anos",
                f"uns {PT_TENS[round(age, -1)]} anos",
            ),
            "pl": (
                f"około {age} lat",
                f"{decade}-{decade + 10}",
                f"około {PL_TENS[round(age, -1)]}",
                f"po {PL_DECADE[decade]}ce" if decade in PL_DECADE else f"około {age} lat",
            ),
            "zh": (
                f"{ZH_TENS[decade]}多岁",
                f"{age}岁左右",
                f"{ZH_TENS[round(age, -1)]}岁左右",
                f"{ZH_TENS[decade]}出头" if part == "early" else f"{decade}多岁",
            ),
        }
        return rng.choice(forms[lang])

    def height_text(self, cm: int, lang: str = "en") -> str:
        rng = self.rng
        cm += rng.choice((-3, -1, 0, 1, 3))
        inches = round(cm / 2.54)
        feet, rest = divmod(inches, 12)
        local = {
            "en": (f"{feet}ft {rest}", f"about {feet}'{rest}", f"{feet} foot {rest}"),
            "ro": (f"1,{cm - 100} m", f"{cm} cm"),
            "pt": (f"1,{cm - 100} m", f"1m{cm - 100}", f"{cm} cm"),
            "pl": (f"1,{cm - 100} m", f"{cm} cm wzrostu"),
            "zh": (f"{cm}公分", f"一米{ZH_DIGITS[(cm - 100) // 10]}", f"{cm}厘米"),
        }
        return rng.choice((f"{cm}cm", f"1.{cm - 100}m", *local[lang], *local[lang]))

    def mark_text(self, motif: str, part: str, side: str, li: int) -> str:
        motif_word, part_word, side_word = MOTIFS[motif][li], PARTS[part][li], SIDES[side][li]
        tattoo = TATTOO[li]
        forms = (
            f"{motif_word} {tattoo} on his {side_word} {part_word}",
            f"{tattoo} cu un {motif_word} pe {part_word} {side_word}",
            f"{tattoo} de {motif_word} no {part_word} {side_word}",
            f"{tattoo} {motif_word} na {side_word} {part_word}",
            f"{side_word}{part_word}有{motif_word}{tattoo}",
        )
        return forms[li]

    def plate_text(self, plate: str, noise: bool) -> str:
        rng = self.rng
        choice = rng.random() if noise else 0.0
        spaced = f"{plate[:4]} {plate[4:]}"
        if choice < 0.5:
            return spaced if rng.random() < 0.7 else spaced.lower()
        if choice < 0.65:
            return f"{plate[:4]} {plate[4]}??"
        if choice < 0.8:
            return rng.choice((f"starts {plate[:3]}", f"{plate[:4]}...", f"începe cu {plate[:3]}"))
        if choice < 0.9:
            index = next((i for i, c in enumerate(plate) if c in MISREAD), None)
            if index is not None:
                plate = plate[:index] + MISREAD[plate[index]] + plate[index + 1 :]
            return f"{plate[:4]} {plate[4:]}"
        return plate[:4]

    def report(
        self, answers: dict, lang: str, reporter: str = "self", follows: str | None = None
    ) -> str:
        number = self.number()
        content = {
            "schema": "uglymugs.report/1",
            "report_type": "follow_up" if follows else "full",
            "follows": follows,
            "reporter": reporter,
            "language": lang,
            "answers": answers,
        }
        self.reports.append(
            {
                "report_number": number,
                "received_at": answers.get("incident_date", "2024-01-01") + "T12:00:00Z",
                "content": content,
            }
        )
        return number

    def incident(
        self, persona: dict, when: date, noise: bool = True, reporter: str = "self", **extra: Any
    ) -> str:
        lang = self.rng.choice(LANGS)
        answers = self.answers(persona, when, lang, noise) | extra
        split = noise and self.rng.random() < 0.15
        later: dict[str, Any] = {}
        if split:  # the details come in a follow-up
            for name in ("vehicle_registration", "phone_numbers", "offender_marks"):
                if name in answers:
                    later[name] = answers.pop(name)
        number = self.report(answers, lang, reporter=reporter)
        if later:
            self.report(later, lang, follows=number)
        return number


def _typo(rng: random.Random, text: str) -> str:
    """One slip of the keyboard in a long-enough word: a letter dropped or doubled."""
    words = text.split(" ")
    long = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    if not long:
        return text
    i = rng.choice(long)
    word, at = words[i], rng.randrange(1, len(words[i]) - 1)
    words[i] = word[:at] + word[at + 1 :] if rng.random() < 0.5 else word[: at + 1] + word[at:]
    return " ".join(words)


def generate(seed: int = 16, series: int = 40, singletons: int = 300) -> dict[str, Any]:
    """An evaluation set: ``series`` planted series, ``singletons`` one-offs, and decoys."""
    maker = _Maker(seed)
    rng = maker.rng
    truth: list[list[str]] = []
    for _ in range(series):
        persona = maker.persona()
        if rng.random() < 0.35:  # a travelling offender
            persona["areas"].append(rng.choice(AREAS))
        if rng.random() < 0.5 and len(persona["phones"]) == 1:
            persona["phones"].append(maker.rare_phone())  # a second phone
        persona["burner"] = rng.random() < 0.15
        if rng.random() < 0.15:  # a common-looking man: only method, mark or name tell
            common = maker.persona(common=True)
            for key in ("sex", "ethnicity", "age", "height", "build", "hair"):
                persona[key] = common[key]
        first = START + timedelta(days=rng.randrange(0, 900))
        numbers = []
        for _ in range(rng.randrange(3, 9)):
            when = first + timedelta(days=rng.randrange(0, 200))
            numbers.append(maker.incident(persona, when))
        truth.append(numbers)
    for index in range(singletons):
        maker.incident(
            maker.persona(common=index % 3 == 0), START + timedelta(days=rng.randrange(0, 1100))
        )
    _decoys(maker)
    rng.shuffle(maker.reports)
    return {"format": FORMAT, "reports": maker.reports, "series": truth}


def _decoys(maker: _Maker) -> None:
    """Unrelated incidents built to look related on one signal each."""
    rng = maker.rng
    for _ in range(6):  # a recycled number, years apart, two different men
        phone = maker.rare_phone()
        one, other = maker.persona(), maker.persona()
        one["phones"], other["phones"] = [phone], [phone]
        one["age"], other["age"] = 22, 58
        one["build"], other["build"] = "slim", "large"
        one["ethnicity"], other["ethnicity"] = "white", "black"
        maker.incident(one, date(2019, 3, 1), noise=False, phone_numbers=phone)
        maker.incident(other, date(2025, 6, 1), noise=False, phone_numbers=phone)
    area = rng.choice(AREAS)
    for _ in range(8):  # the same car model in one city
        persona = maker.persona(common=True)
        persona["car"], persona["areas"] = ("Ford", "Focus", "silver"), [area]
        maker.incident(persona, START + timedelta(days=rng.randrange(0, 700)), noise=False)
    office = "0191 496 0000"
    for _ in range(8):  # a project writing its own office number in every report
        persona = maker.persona()
        maker.incident(
            persona,
            START + timedelta(days=rng.randrange(0, 700)),
            phone_numbers=office,
            project_name="Northern Lights Project",
            contact_details="via the project, 0191 496 0000" if rng.random() < 0.5 else "",
            reporter="project",
        )
    for name in FIRST_NAMES[:2]:  # common first names given by different men
        for _ in range(5):
            persona = maker.persona()
            persona["name"] = name.title()
            maker.incident(persona, START + timedelta(days=rng.randrange(0, 900)))
    for _ in range(6):  # two men, one city, the same make and a common method each
        car = rng.choice(CARS)
        area = rng.choice(AREAS)
        method = rng.choice(list(METHODS))
        for _twin in range(2):
            persona = maker.persona()
            persona["car"] = (*car, rng.choice(list(COLOURS)))
            persona["areas"], persona["methods"] = [area], [method]
            maker.incident(persona, START + timedelta(days=rng.randrange(0, 900)))
    for name in FIRST_NAMES[:3]:  # common first names as usernames
        for _ in range(4):
            persona = maker.persona()
            persona["username"] = name
            maker.incident(persona, START + timedelta(days=rng.randrange(0, 700)), usernames=name)


def main(argv: list[str]) -> int:
    """``python -m benchmarks.links_data OUT [SEED SERIES SINGLETONS]``: write a set."""
    out = Path(argv[0])
    seed, series, singletons = (int(a) for a in [*argv[1:], "16", "40", "300"][:3])
    out.write_text(json.dumps(generate(seed, series, singletons), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
