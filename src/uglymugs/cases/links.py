"""Incidents that may be the same offender, best first, with reasons a caseworker checks.

Casework's concern (a caseworker confirms or dismisses each link), so it lives beside
case records. Every signal a report carries is read into a profile
(:mod:`uglymugs.cases.signals`); two profiles are compared signal by signal.

**The score says how much the evidence narrows it down.** Each shared signal weighs
``log(q / p)``: ``q`` how often one offender's reports agree on it (a phone number
nearly always, a method about half the time), ``p`` how common it is among the vault's
incidents, smoothed towards a prior for small vaults. A phone number shared by two
incidents of 10,000 narrows things to those two; "white male, 30s, medium build"
narrows nothing, and weighs nothing. An identifier many incidents share (a recycled
or public number), a project's own contact details written into its reports, and
signals that recur in a project's own reports weigh little or nothing. Signals that
disagree (sex, age, height, build, ethnicity, make, whole plates) count against a
link, so a recycled number used years apart by men of different descriptions scores
below the same number with matching descriptions. Signals that say one thing are
weighed as one group, not summed: a mark's motif, kind, place and side weigh as its
rarest shared description; make and model as the rarer; the description (sex, age,
height, build, hair, ethnicity, accent) at most :data:`DESCRIPTION_CAP`, so common
evidence does not add up to a link; methods, and categories, as the rarest plus a
share of the rest; place and time together (near in both is rarer than either). The
sum, less what chance alone gives in a vault of N incidents
(``CHANCE_SHARE × log(N / REFERENCE)``), becomes a score from 0 to 1
(``1 − exp(−(sum − chance) / SCALE)``).

Pairs are found through an inverted index of every signal and of pairs of the
rarer signals (blocking), never by comparing every incident with every other one,
and the evidence a key needs rises with the vault too. A report and its follow-ups
are one incident and are never linked; a dismissed pair is not suggested again; a
confirmed one is marked.

>>> suggest_links([])
[]
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from uglymugs.alerts.plates import compare
from uglymugs.cases.signals import Profile, profile_of_answers
from uglymugs.cases.terms import label
from uglymugs.reports.incidents import Incident

SCALE = 7.0  # evidence (natural log units) at which the score reaches 1 − 1/e
THRESHOLD = 0.65  # the tool's own threshold: above it, a link is worth a caseworker's look
MIN_EVIDENCE = 2.5  # below this much net evidence a pair is not suggested at all
BLOCK_CAP = 150  # a signal held by more incidents than this finds no candidates alone
PAIR_TOKENS = 12  # the rarest signals of an incident, combined in pairs for candidates
TOO_COMMON = 20  # an identifier in more incidents than this is a shared or public one
ALONE = 4.0  # evidence a shared signal needs to make a pair a candidate by itself
TOGETHER = 3.0  # evidence two shared signals need together
SMOOTHING = 40  # pseudo-incidents pulling a small vault's frequencies to the prior
REFERENCE = 1_000  # the vault size the threshold was set at (measured: docs/links.md)
CHANCE_SHARE = 0.85  # share of log(N / REFERENCE) a larger vault must make up (tuned, seed 17)
DESCRIPTION_CAP = 4.0  # sex, age, height, build, hair … say one thing: how he looks
PLACE_SHARE = 0.75  # share of a shared area's evidence counted when also near in time
METHODS_SHARE = 0.5  # a second shared method adds this share: one man's ways go together
ELSEWHERE = 0.6  # evidence against two incidents in different force areas
NEIGHBOURS_KM = 150  # areas nearer than this count less against: crossing a border is easy
RECYCLED_AFTER_DAYS = 3 * 365  # numbers are reissued: weigh them less this far apart
OWN_REPEATS = 3  # an identifier in this many reports of one project is its own
CENTRES = Path(__file__).resolve().parents[1] / "data" / "force_area_centres.yaml"

# kind: (q: how often one offender's reports agree on it, prior frequency p0)
KINDS: dict[str, tuple[float, float]] = {
    "id": (0.9, 0.0002),
    "plate": (0.85, 0.001),
    "make": (0.5, 0.08),
    "model": (0.5, 0.02),
    "colour": (0.5, 0.15),
    "sex": (0.95, 0.5),
    "age": (0.6, 0.2),
    "height": (0.5, 0.2),
    "build": (0.6, 0.3),
    "hair": (0.5, 0.15),
    "facial_hair": (0.4, 0.15),
    "ethnicity": (0.7, 0.3),
    "accent": (0.5, 0.05),
    "marks": (0.6, 0.08),
    "motifs": (0.7, 0.02),
    "body_parts": (0.5, 0.08),
    "sides": (0.5, 0.4),
    "mark": (0.7, 0.01),
    "markat": (0.55, 0.004),
    "methods": (0.5, 0.04),
    "names": (0.4, 0.002),  # a first name he gave; men give false ones
    "categories": (0.5, 0.3),
    "contact": (0.4, 0.3),
    "force_area": (0.5, 0.05),
    "town": (0.4, 0.02),
}
# First names so common a shared one narrows little (UK and the five languages' men):
# their prior is :data:`COMMON_NAME_PRIOR`, not the rare name's.
COMMON_NAMES = frozenset(
    [
        "dave",
        "david",
        "john",
        "james",
        "mike",
        "michael",
        "paul",
        "mark",
        "steve",
        "stephen",
        "peter",
        "chris",
        "tom",
        "tony",
        "andy",
        "andrew",
        "rob",
        "robert",
        "richard",
        "ian",
        "gary",
        "lee",
        "jason",
        "dan",
        "daniel",
        "matt",
        "ben",
        "sam",
        "alex",
        "joe",
        "jack",
        "harry",
        "charlie",
        "george",
        "mo",
        "mohammed",
        "muhammad",
        "ali",
        "adam",
        "ion",
        "ionut",
        "andrei",
        "mihai",
        "alexandru",
        "joao",
        "jose",
        "pedro",
        "lucas",
        "carlos",
        "piotr",
        "tomasz",
        "pawel",
        "krzysztof",
        "marek",
        "wei",
        "jun",
    ]
)
COMMON_NAME_PRIOR = 0.01
NOT_ALONE = {"sex", "sides", "categories", "contact", "colour", "build", "age", "height"}


@dataclass(frozen=True)
class Link:
    """Two incidents (their original report numbers), or an incident and an alert."""

    a: str
    b: str
    score: float
    reasons: tuple[str, ...]
    confirmed: bool = False

    def as_dict(self) -> dict[str, object]:
        found: dict[str, object] = {
            "a": self.a,
            "b": self.b,
            "score": self.score,
            "reasons": list(self.reasons),
        }
        if self.confirmed:
            found["confirmed"] = True
        return found


@dataclass
class Vault:
    """How common each signal is among the incidents: the weights' denominator."""

    counts: Counter[str]
    size: int
    own: set[str] = field(default_factory=set)  # identifier tokens that are a project's own
    _known: dict[str, float] = field(default_factory=dict)

    @property
    def chance(self) -> float:
        """Evidence a pair must first make up for because the vault is large: ``log(N / 1,000)``.

        Chance coincidences grow with the number of pairs (N²), true links with the
        number of incidents (N): the prior odds that two incidents are one man fall as
        1/N, so a vault ten times larger needs ``log 10`` more evidence for the same
        precision. Never negative: a small vault is already smoothed towards the prior.
        Taken at :data:`CHANCE_SHARE`: the weights are estimated from the vault itself,
        so a larger vault already prices common signals lower (measured: docs/links.md).
        """
        return CHANCE_SHARE * max(0.0, math.log(max(self.size, 1) / REFERENCE))

    def evidence(self, token: str) -> float:
        """``log(q / p)`` for a signal both sides share (never below 0)."""
        found = self._known.get(token)
        if found is None:
            found = self._known[token] = self._evidence(token)
        return found

    def _evidence(self, token: str) -> float:
        kind = token.split(":", 1)[0]
        q, prior = KINDS.get(kind, (0.5, 0.2))
        if kind == "names" and token.split(":", 1)[1] in COMMON_NAMES:
            prior = COMMON_NAME_PRIOR
        if token in self.own:
            return 0.0
        others = max(self.counts.get(token, 2) - 2, 0)
        p = (others + SMOOTHING * prior) / (self.size + SMOOTHING)
        return max(0.0, math.log(q / p))


def profile_of_incident(incident: Incident) -> Profile:
    answers = {name: sourced.value for name, sourced in incident.answers.items()}
    return profile_of_answers(incident.number, answers, incident.who_reported)


def profile_of_alert(alert: Mapping[str, Any]) -> Profile:
    """An alert's front matter as a profile (its identifiers, vehicle, description)."""
    offender = alert.get("offender") or {}
    vehicle = alert.get("vehicle") or {}
    identifiers = alert.get("identifiers") or {}
    plates = [vehicle.get("registration") or "", *(identifiers.get("plates") or [])]
    answers = {f"offender_{name}": value for name, value in offender.items()}
    answers |= {f"vehicle_{name}": value for name, value in vehicle.items()}
    answers |= {
        "vehicle_registration": "\n".join(str(p) for p in plates if p),
        "phone_numbers": identifiers.get("phones") or [],
        "emails": identifiers.get("emails") or [],
        "usernames": identifiers.get("usernames") or [],
        "what_happened": alert.get("what_happened") or "",
        "categories": alert.get("categories") or [],
        "contact_method": alert.get("contact_method") or [],
        "force_area": alert.get("region"),
        "incident_date": (alert.get("incident") or {}).get("date"),
    }
    return profile_of_answers(f"alert {alert.get('number')}", answers)


def suggest_links(
    incidents: Iterable[Incident],
    alerts: Iterable[Mapping[str, Any]] = (),
    decisions: Mapping[frozenset[str], str] | None = None,
    *,
    minimum: float = 0.0,
    by_hand: Mapping[frozenset[str], str] | None = None,
) -> list[Link]:
    """Pairs of incidents, and of an incident with a published alert, best first.

    ``decisions`` maps a pair of incident numbers to ``dismissed`` or ``confirmed``;
    ``by_hand`` a pair a caseworker linked themselves to their reason
    (:func:`uglymugs.cases.records.linked_by_hand`).
    """
    profiles = [profile_of_incident(i) for i in incidents if i.readable]
    links = link_profiles(profiles, [profile_of_alert(a) for a in alerts], decisions, minimum)
    return add_linked_by_hand(links, by_hand or {}, {p.number for p in profiles})


def add_linked_by_hand(
    links: Sequence[Link], by_hand: Mapping[frozenset[str], str], known: set[str]
) -> list[Link]:
    """``links`` with the pairs a caseworker linked themselves: confirmed, their reason first.

    A caseworker may know what no report says (the same voice on the phone, a name
    from an outreach worker). A pair the tool never suggested keeps a score of 0 (the
    reports' evidence), so the score still says what the reports alone show.

    >>> held = {"UM-A", "UM-B"}
    >>> [link] = add_linked_by_hand([], {frozenset(held): "same voice"}, held)
    >>> link.a, link.b, link.score, link.reasons, link.confirmed
    ('UM-A', 'UM-B', 0.0, ('linked by a caseworker: same voice',), True)
    """
    found = []
    present = set()
    for link in links:
        pair = frozenset((link.a, link.b))
        present.add(pair)
        if pair in by_hand:
            said = (_by_hand(by_hand[pair]), *link.reasons)
            link = Link(link.a, link.b, link.score, said, confirmed=True)
        found.append(link)
    for pair, reason in by_hand.items():
        if len(pair) == 2 and pair <= known and pair not in present:
            a, b = sorted(pair)
            found.append(Link(a, b, 0.0, (_by_hand(reason),), confirmed=True))
    return sorted(found, key=lambda link: (-link.score, link.a, link.b))


def _by_hand(reason: str) -> str:
    reason = " ".join(reason.split())
    return "linked by a caseworker: " + (reason[:197] + "…" if len(reason) > 200 else reason)


def link_profiles(
    profiles: Sequence[Profile],
    alert_profiles: Sequence[Profile] = (),
    decisions: Mapping[frozenset[str], str] | None = None,
    minimum: float = 0.0,
) -> list[Link]:
    decisions = decisions or {}
    tokens = [profile.tokens() for profile in profiles]
    vault = _vault(profiles, tokens)
    everyone = [*profiles, *alert_profiles]
    every_tokens = [*tokens, *(profile.tokens() for profile in alert_profiles)]
    links = []
    for i, j in _candidates(every_tokens, vault, len(profiles)):
        one, other = everyone[i], everyone[j]
        pair = frozenset((one.number, other.number))
        if decisions.get(pair) == "dismissed":
            continue
        shared = every_tokens[i] & every_tokens[j]
        if _upper_bound(shared, vault) < MIN_EVIDENCE + vault.chance:
            continue  # cannot reach the minimum: not worth the full comparison
        found = score_pair(one, other, vault, shared)
        if found is None:
            continue
        score, reasons = found
        if score < minimum:
            continue
        a, b = sorted((one.number, other.number))
        links.append(Link(a, b, score, tuple(reasons), decisions.get(pair) == "confirmed"))
    return sorted(links, key=lambda link: (-link.score, link.a, link.b))


def _upper_bound(shared: set[str], vault: Vault) -> float:
    """Roughly the most the shared signals could add up to (plates: the rarest run)."""
    plates = [vault.evidence(t) for t in shared if t.startswith("plate:")]
    total = sum(vault.evidence(t) for t in shared if not t.startswith(("plate:", "mark:")))
    return (
        total
        + max(plates, default=0.0)
        + (3.0 if any(t.startswith("mark:") for t in shared) else 0.0)
        + 0.7
    )


def _vault(profiles: Sequence[Profile], tokens: Sequence[set[str]]) -> Vault:
    counts: Counter[str] = Counter()
    for found in tokens:
        counts.update(found)
    orgs: dict[str, Counter[str | None]] = defaultdict(Counter)
    for profile, found in zip(profiles, tokens, strict=True):
        for token in found:
            if token.startswith("id:"):
                orgs[token][profile.reporter_org] += 1
    own = {
        token
        for token, by in orgs.items()
        if len(by) == 1 and None not in by and sum(by.values()) >= OWN_REPEATS
    }
    return Vault(counts, len(profiles), own)


def _candidates(tokens: Sequence[set[str]], vault: Vault, incidents: int) -> set[tuple[int, int]]:
    """Pairs sharing a rare signal, or a rare pair of signals; alerts pair with incidents.

    A signal finds candidates alone when sharing it is strong evidence by itself
    (:data:`ALONE`); the rarer signals of each incident also find them in pairs
    (:data:`TOGETHER`). Neither may be held by more than :data:`BLOCK_CAP` incidents.
    """
    holders: dict[str, list[int]] = defaultdict(list)
    for index, found in enumerate(tokens):
        weighed = sorted(((vault.evidence(t), t) for t in found), reverse=True)
        for weight, token in weighed:
            identifier = token.startswith("id:") and vault.counts[token] <= TOO_COMMON
            alone = weight >= ALONE + vault.chance
            if identifier or (alone and token.split(":", 1)[0] not in NOT_ALONE):
                holders[token].append(index)
        rare = _pairable(weighed, vault)[:PAIR_TOKENS]
        for (w1, one), (w2, other) in itertools.combinations(rare, 2):
            if w1 + w2 >= TOGETHER + vault.chance / 2:
                holders[f"{one}|{other}"].append(index)
    pairs = set()
    for members in holders.values():
        if 2 <= len(members) <= BLOCK_CAP:
            for i, j in itertools.combinations(members, 2):
                if i < incidents or j < incidents:
                    pairs.add((i, j))
    return pairs


def _pairable(weighed: list[tuple[float, str]], vault: Vault) -> list[tuple[float, str]]:
    """The signals worth pairing, rarest first: one plate run, no identifier already a key.

    An incident with a whole plate holds a dozen rare plate runs, and its identifiers
    find candidates alone; taken as they come, they would fill every pairing slot and
    leave its area, method or mark unpaired.
    """
    found, plate = [], False
    for weight, token in weighed:
        if weight <= 0.5:
            break
        if token.startswith("id:") and vault.counts[token] <= TOO_COMMON:
            continue
        if token.startswith("plate:"):
            if plate:
                continue
            plate = True
        found.append((weight, token))
    return found


def score_pair(
    one: Profile, other: Profile, vault: Vault, shared: set[str]
) -> tuple[float, list[str]] | None:
    """The score and reasons for two profiles, or None when too little evidence."""
    evidence = 0.0
    reasons: list[str] = []
    for check in _CHECKS:
        weight, reason = check(one, other, vault, shared)
        evidence += weight
        if isinstance(reason, list):
            reasons.extend(reason)
        elif reason:
            reasons.append(reason)
    evidence -= vault.chance
    if evidence < MIN_EVIDENCE or not reasons:
        return None
    reasons.append(_place_and_time(one, other))
    score = round(1 - math.exp(-evidence / SCALE), 3)
    return score, [reason for reason in reasons if reason]


Check = Callable[[Profile, Profile, Vault, set[str]], tuple[float, "str | list[str]"]]


def _identifiers(
    one: Profile, other: Profile, vault: Vault, shared: set[str]
) -> tuple[float, list[str]]:
    weight, said = 0.0, []
    apart = _days_apart(one.when, other.when)
    for token in sorted(t for t in shared if t.startswith("id:")):
        _, kind, value = token.split(":", 2)
        holders = vault.counts.get(token, 2)
        found = vault.evidence(token)
        if apart is not None and apart > RECYCLED_AFTER_DAYS:
            found /= 2
        if found <= 0:
            continue
        weight += found
        text = f"same {kind} {_shown_identifier(kind, value)}"
        if holders > 2:
            text += f" (also in {holders - 2} other incidents)"
        said.append(text)
    return weight, said


def _plates(one: Profile, other: Profile, vault: Vault, shared: set[str]) -> tuple[float, str]:
    best: tuple[float, str] = (0.0, "")
    for mine, theirs in itertools.product(one.plates, other.plates):
        agreement = compare(mine, theirs)
        if agreement is None:
            if mine.whole and theirs.whole:
                best = min(best, (-1.0, f"different plates {mine.shown} and {theirs.shown}"))
            continue
        if mine.whole and theirs.whole and agreement.exact and mine == theirs:
            continue  # the same whole plate is an identifier, counted there
        grams = [f"plate:{g}" for g in mine.grams() & theirs.grams()]
        rarity = max((vault.evidence(g) for g in grams), default=0.0)
        weight = min(rarity, agreement.agreed * 1.6) - 1.5 * len(agreement.misread)
        text = f"plate {mine.shown} is compatible with {theirs.shown}"
        if agreement.misread:
            pairs = ", ".join(f"{x} read as {y}" for x, y in agreement.misread)
            text += f" ({pairs})"
        if weight > best[0]:
            best = (weight, text)
    return best


def _vehicle(one: Profile, other: Profile, vault: Vault, shared: set[str]) -> tuple[float, str]:
    weight, said, car = 0.0, [], 0.0
    for name in ("colour", "make", "model"):
        token = f"{name}:{getattr(one, name)}"
        if token in shared:
            if name == "colour":
                weight += vault.evidence(token)
            else:  # a model says its make: the rarer of the two, not both
                car = max(car, vault.evidence(token))
            value = getattr(one, name)
            said.append(label("colours", value) if name == "colour" else _vehicle_word(name, value))
    weight += car
    if one.make and other.make and one.make != other.make:
        weight -= 1.0
    elif one.colour and other.colour and one.colour != other.colour and said:
        weight -= 0.3
    if not said or weight <= 0:
        return min(weight, 0.0), ""
    return weight, "same vehicle: " + " ".join(said)


def _vehicle_word(name: str, value: str) -> str:
    return label("vehicle_makes", value) if name == "make" else value.title()


def _description(one: Profile, other: Profile, vault: Vault, shared: set[str]) -> tuple[float, str]:
    weight, said = 0.0, []
    if one.sex and other.sex and one.sex != other.sex:
        return -6.0, f"but one says {one.sex}, the other {other.sex}"
    if one.sex and one.sex == other.sex:  # a woman offender is rare: that narrows it down
        found = vault.evidence(f"sex:{one.sex}")
        if found > 0.3:
            weight += found
            said.append(one.sex)
    for name, group in (
        ("build", "build"),
        ("hair", "hair"),
        ("facial_hair", "facial_hair"),
        ("ethnicity", "ethnicity"),
        ("accent", "accents"),
    ):
        for value in sorted(getattr(one, name) & getattr(other, name)):
            found = vault.evidence(f"{name}:{value}")
            if found > 0.3:
                weight += found
                said.append(label(group, value))
    for name, unit in (("age", "aged"), ("height", "height")):
        mine, theirs = getattr(one, name), getattr(other, name)
        if mine and theirs:
            gap = max(mine[0], theirs[0]) - min(mine[1], theirs[1])
            limit = 4 if name == "age" else 5
            if gap > limit:
                weight -= min(3.0, 1.0 + gap / (10 if name == "age" else 8))
            elif gap <= 0:  # the ranges overlap; a near miss ("175–181", "183–189") is neither
                bins = [t for t in shared if t.startswith(f"{name}:")]
                found = max((vault.evidence(t) for t in bins), default=0.0)
                narrow = 1.0 if mine[1] - mine[0] <= 10 and theirs[1] - theirs[0] <= 10 else 0.5
                if found * narrow > 0.3:
                    weight += found * narrow
                    said.append(f"{unit} {_span(mine, name)} and {_span(theirs, name)}")
    if ({"slim"} == one.build and {"large"} == other.build) or (
        {"large"} == one.build and {"slim"} == other.build
    ):
        weight -= 1.5
    weight = min(weight, DESCRIPTION_CAP)
    if one.ethnicity and other.ethnicity and not one.ethnicity & other.ethnicity:
        weight -= 1.5
    if ({"bald"} & one.hair and {"long", "curly"} & other.hair) or (
        {"bald"} & other.hair and {"long", "curly"} & one.hair
    ):
        weight -= 1.0
    return weight, ("both describe: " + ", ".join(said)) if said else ""


def _span(span: tuple[int, int], name: str) -> str:
    suffix = " cm" if name == "height" else ""
    return f"{span[0]}–{span[1]}{suffix}"


def _marks(one: Profile, other: Profile, vault: Vault, shared: set[str]) -> tuple[float, str]:
    """The mark's evidence is its most specific shared description's, not a sum.

    "a snake", "a tattoo", "a snake tattoo", "on the left forearm" say one thing about
    one mark; summed, a common snake tattoo would count four times. The rarest shared
    description (motif, kind, place and side together where both give them) weighs.
    """
    motifs = sorted(one.motifs & other.motifs)
    marks = sorted(one.marks & other.marks)
    if not motifs and not marks:
        return 0.0, ""
    group = ("motifs:", "marks:", "mark:", "markat:")
    weight = max((vault.evidence(t) for t in shared if t.startswith(group)), default=0.0)
    parts = sorted(one.body_parts & other.body_parts)
    sides = sorted(one.sides & other.sides)
    if not parts and one.body_parts and other.body_parts:
        weight -= 1.5  # the same mark, in different places
    elif parts and not sides and one.sides and other.sides:
        weight -= 1.0
    what = " ".join(
        [*(label("motifs", m) for m in motifs), " and ".join(label("marks", m) for m in marks)]
    ).strip()
    where = " ".join(
        [*(label("sides", s) for s in sides), *(label("body_parts", p) for p in parts)]
    )
    article = "an" if what[:1] in "aeiou" else "a"
    text = f"both describe {article} {what}" + (f" on the {where}" if parts else "")
    return weight, text


def _methods(one: Profile, other: Profile, vault: Vault, shared: set[str]) -> tuple[float, str]:
    methods = [
        m for m in sorted(one.methods & other.methods) if vault.evidence(f"methods:{m}") > 0.3
    ]
    if not methods:
        return 0.0, ""
    weights = sorted((vault.evidence(f"methods:{m}") for m in methods), reverse=True)
    weight = weights[0] + METHODS_SHARE * sum(weights[1:])
    return weight, "same method: " + "; ".join(label("methods", m) for m in methods)


def _names(one: Profile, other: Profile, vault: Vault, shared: set[str]) -> tuple[float, str]:
    """A first name he gave in both, weighed by how many incidents name him so."""
    names = sorted(one.names & other.names)
    if not names:
        return 0.0, ""
    weight = max(vault.evidence(f"names:{name}") for name in names)
    return weight, "both say he called himself " + " or ".join(n.title() for n in names)


def _context(one: Profile, other: Profile, vault: Vault, shared: set[str]) -> tuple[float, str]:
    """Categories, contact, area and town: supporting evidence, rarely a reason alone."""
    weight, said = 0.0, []
    for name in ("categories", "contact"):  # one incident's categories say one thing
        found = []
        for value in sorted(getattr(one, name) & getattr(other, name)):
            if (evidence := vault.evidence(f"{name}:{value}")) > 0.5:
                found.append(evidence)
                said.append(value.replace("_", " "))
        found.sort(reverse=True)
        weight += (sum(found[:1]) + METHODS_SHARE * sum(found[1:])) / 2
    place = max(
        (vault.evidence(t) for t in shared if t.startswith(("force_area:", "town:"))), default=0.0
    )
    apart = _days_apart(one.when, other.when)
    time = 0.0 if apart is None else next(c for days, c in _TIME_APART if apart <= days)
    if place and time > 0:  # near in place and in time together: rarer than either
        weight += place * PLACE_SHARE + time * 2
    else:
        weight += place / 2 + time
    if one.force_area and other.force_area and one.force_area != other.force_area:
        km = _distance(one.force_area, other.force_area)  # a man may travel, most stay near
        weight -= ELSEWHERE * (1.0 if km is None else min(1.0, km / NEIGHBOURS_KM))
    return weight, ("both: " + ", ".join(said)) if said else ""


# Days apart → evidence: series cluster in time, though a man may offend for years.
_TIME_APART = ((31, 0.7), (180, 0.3), (365, 0.0), (730, -0.5), (10**6, -1.0))
_CHECKS: tuple[Check, ...] = (_identifiers, _plates, _vehicle, _marks, _methods, _description)
_CHECKS = (*_CHECKS, _names, _context)


def _place_and_time(one: Profile, other: Profile) -> str:
    """ "Merseyside and West Midlands (about 120 km apart), 11 days apart"."""
    names = _area_names()
    areas = ""
    if one.force_area and other.force_area:
        first, second = (names.get(a, a) for a in (one.force_area, other.force_area))
        if one.force_area == other.force_area:
            areas = f"both in {first}"
        else:
            km = _distance(one.force_area, other.force_area)
            areas = f"{first} and {second}" + (f" (about {km} km apart)" if km else "")
    apart = _days_apart(one.when, other.when)
    when = "" if apart is None else "the same day" if apart == 0 else _days(apart)
    return ", ".join(part for part in (areas, when) if part)


def _days(apart: int) -> str:
    if apart >= 730:
        return f"{apart // 365} years apart"
    return f"{apart} day{'s' if apart != 1 else ''} apart"


def _days_apart(one: date | None, other: date | None) -> int | None:
    return abs((one - other).days) if one and other else None


@cache
def _area_names() -> dict[str, str]:
    from uglymugs.reports.force_area_names import FORCE_AREA_NAMES

    return dict(FORCE_AREA_NAMES)


@cache
def _centres() -> dict[str, tuple[float, float]]:
    data = yaml.safe_load(CENTRES.read_text(encoding="utf-8")) or {}
    return {str(key): (float(value[0]), float(value[1])) for key, value in data.items()}


@cache
def _distance(one: str, other: str) -> int | None:
    """Kilometres between two areas' middles, to the nearest 10 (haversine)."""
    centres = _centres()
    if one not in centres or other not in centres:
        return None
    (lat1, lon1), (lat2, lon2) = (map(math.radians, centres[a]) for a in (one, other))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return int(round(2 * 6371 * math.asin(math.sqrt(h)), -1)) or None


def _shown_identifier(kind: str, value: str) -> str:
    if kind == "plate":
        return f"{value[:4]} {value[4:]}" if len(value) == 7 else value
    if kind != "phone":
        return value
    import phonenumbers

    try:
        number = phonenumbers.parse(value)
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def series(links: Iterable[Link]) -> list[list[str]]:
    """Confirmed links joined into series (connected groups), each sorted, largest first."""
    parent: dict[str, str] = {}

    def root(number: str) -> str:
        while parent.setdefault(number, number) != number:
            number = parent[number]
        return number

    for link in links:
        if link.confirmed:
            parent[root(link.a)] = root(link.b)
    groups: dict[str, list[str]] = defaultdict(list)
    for number in parent:
        groups[root(number)].append(number)
    return sorted((sorted(g) for g in groups.values() if len(g) > 1), key=lambda g: (-len(g), g))


def published_alerts(alerts_dir: Path) -> list[dict[str, Any]]:
    """The published (or corrected) alerts in ``alerts_dir``: front matter and text.

    A file that does not parse is skipped: ``uglymugs alerts check`` reports it.
    """
    from uglymugs.alerts.front_matter import FrontMatterError, parse

    found = []
    for path in sorted(Path(alerts_dir).glob("*.md")) if Path(alerts_dir).is_dir() else []:
        try:
            matter = parse(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, FrontMatterError):
            continue
        data = matter.data if isinstance(matter.data, dict) else {}
        if data.get("status") in ("published", "corrected") and data.get("number"):
            found.append({**data, "what_happened": matter.body})
    return found
