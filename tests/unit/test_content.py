"""The sample tips and resources are health information: these facts must not come back
wrong. Each test names the mistake it guards against (see content-brief.md).

Plain Python: the config is loaded as the kiosk loads it, and QR codes are decoded with
a real decoder, as a phone would read them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from kiosk.config.loader import load
from kiosk.core import qr
from kiosk.words.i18n import gettext_for
from tests.conftest import SAMPLE_CONFIG

CONFIG = load(SAMPLE_CONFIG).config
assert CONFIG is not None
LANGS = ("en", "es", "zh-Hant", "tl")
TIPS = {t.id: t for t in CONFIG.tips.tip}
RESOURCES = {r.id: r for r in CONFIG.resources.resource}


def text_of(value, lang: str) -> str:
    return value.get(lang, "en") if value else ""


def every_text(lang: str) -> Iterator[tuple[str, str]]:
    """(where, text) for every tip and every resource text, in one language."""
    for tip in CONFIG.tips.tip:
        yield f"tip {tip.id}", text_of(tip.text, lang)
    for r in CONFIG.resources.resource:
        for name in ("name", "description", "hours"):
            yield f"resource {r.id} {name}", text_of(getattr(r, name), lang)


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?。！？])\s*", text) if s.strip()]


def decode(link: str) -> str:
    """What a phone reads from the kiosk's QR code for `link`."""
    import zxingcpp

    found = zxingcpp.read_barcodes(qr.image(link, 8))
    assert len(found) == 1
    return found[0].text


# --- completeness and length --------------------------------------------------------------


def test_every_tip_and_resource_has_all_four_languages() -> None:
    gaps = [
        (m.entry, m.field, m.languages)
        for m in CONFIG.missing_translations
        if m.file in ("tips.toml", "resources.toml")
    ]
    assert gaps == []
    assert set(CONFIG.languages) == set(LANGS)


@pytest.mark.parametrize("tip", CONFIG.tips.tip, ids=lambda t: t.id)
def test_every_tip_is_at_most_25_words_in_english(tip) -> None:
    assert len(tip.text.get("en", "en").split()) <= 25


# --- overdose and smoking -----------------------------------------------------------------

# Per language: words for smoking or snorting, for overdose, and for "lower / prevents".
SMOKING_CLAIM = {
    "en": (r"smok|snort", r"overdose", r"lower|less|prevent|avoid|safer|cut"),
    "es": (r"fum|inhal", r"sobredosis", r"menos|baja|evita|previene|seguro"),
    "zh-Hant": (r"吸", r"過量", r"低|少|避免|防止|安全"),
    "tl": (r"hithit|singhot", r"overdose", r"mababa|iwas|kaunti|ligtas|bawas"),
}


@pytest.mark.parametrize("lang", LANGS)
def test_no_text_says_smoking_or_snorting_lowers_overdose_risk(lang: str) -> None:
    """Smoking still carries substantial overdose risk (the most common route in US
    overdose deaths by 2022): only its lower infection risk may be claimed."""
    route, overdose, lower = SMOKING_CLAIM[lang]
    claims = [
        (where, s)
        for where, text in every_text(lang)
        for s in sentences(text)
        if re.search(route, s, re.I) and re.search(overdose, s, re.I) and re.search(lower, s, re.I)
    ]
    assert claims == []


@pytest.mark.parametrize("lang", LANGS)
def test_smoking_tip_pairs_lower_infection_risk_with_overdose_care(lang: str) -> None:
    text = text_of(TIPS["smoke-or-snort"].text, lang)
    naloxone = {"en": "naloxone", "es": "naloxona", "zh-Hant": "納洛酮", "tl": "naloxone"}[lang]
    alone = {"en": "alone", "es": "sin nadie", "zh-Hant": "一個人", "tl": "mag-isa"}[lang]
    assert naloxone in text and alone in text


# --- 988 in Chinese and Filipino ----------------------------------------------------------

TEXTING = {"zh-Hant": r"短訊|短信|簡訊|訊息|文字", "tl": r"\btext\b|mag-text|i-text|\bSMS\b"}
ASK_FOR = {"zh-Hant": ("“Cantonese”", "“Mandarin”"), "tl": ("“Tagalog”",)}


@pytest.mark.parametrize("lang", ["zh-Hant", "tl"])
def test_no_chinese_or_filipino_text_says_to_text_988(lang: str) -> None:
    """988's text and chat are in English and Spanish only."""
    found = [
        (where, text)
        for where, text in every_text(lang)
        if "988" in text and re.search(TEXTING[lang], text, re.I)
    ]
    assert found == []


@pytest.mark.parametrize("lang", ["zh-Hant", "tl"])
def test_988_in_chinese_and_filipino_says_to_ask_in_english_for_the_language(lang: str) -> None:
    texts = [text_of(TIPS["crisis-988"].text, lang)]
    texts.append(text_of(RESOURCES["lifeline-988"].description, lang))
    for text in texts:
        quoted = text.replace("「", "“").replace("」", "”")
        for word in ASK_FOR[lang]:
            assert word in quoted, text


# --- the drug supply ----------------------------------------------------------------------

MUCH_OF = {
    "en": r"\b(much|most) of\b",
    "es": r"gran parte|la mayoría",
    "zh-Hant": r"很多|大部分|大多數",
    "tl": r"\bmarami(ng)?\b|karamihan",
}
XYLAZINE = r"xylazine|xilacina|tranq|賽拉嗪"
STIMULANTS = r"stimulant|estimulante|興奮劑|meth|coke|coca|cristal|cocaine|冰毒|可卡因"


@pytest.mark.parametrize("lang", LANGS)
def test_xylazine_is_said_to_be_in_some_of_the_supply_not_much_of_it(lang: str) -> None:
    """Common on the East Coast, much rarer in San Francisco (16 of 453 overdose deaths in
    January to July 2023)."""
    found = [
        (where, s)
        for where, text in every_text(lang)
        for s in sentences(text)
        if re.search(XYLAZINE, s, re.I) and re.search(MUCH_OF[lang], s, re.I)
    ]
    assert found == []
    assert "xylazine-still-give-naloxone" in TIPS


@pytest.mark.parametrize("lang", LANGS)
def test_no_text_says_most_stimulants_contain_fentanyl(lang: str) -> None:
    """Fentanyl *can* be in meth, cocaine and pressed pills; most of it is in opioids."""
    found = [
        (where, s)
        for where, text in every_text(lang)
        for s in sentences(text)
        if re.search(STIMULANTS, s, re.I) and re.search(MUCH_OF[lang], s, re.I)
    ]
    assert found == []


@pytest.mark.parametrize("lang", LANGS)
def test_a_wound_with_fever_or_spreading_redness_needs_care_the_same_day(lang: str) -> None:
    text = text_of(TIPS["wound-care"].text, lang)
    same_day = {"en": "same day", "es": "mismo día", "zh-Hant": "當天", "tl": "araw ding iyon"}
    assert same_day[lang] in text and "911" in text
    assert not re.search(r"\bsoon\b|pronto|盡快|agad", text, re.I)


SUPPLY_PROMISE = {
    "en": r"many (harm reduction )?programs|give (it|them) out",
    "es": r"muchos programas|los regalan|lo dan gratis",
    "zh-Hant": r"很多機構|免費派發",
    "tl": r"maraming program|libre ito",
}


@pytest.mark.parametrize("lang", LANGS)
def test_no_tip_promises_that_programs_hand_out_smoking_or_injecting_gear(lang: str) -> None:
    """Since April 2025, San Francisco's city-funded programs hand out smoking supplies
    only with counselling: say where to ask, not that "many programs give them out"."""
    for tip_id in ("safer-smoking-supplies", "unused-gear"):
        text = text_of(TIPS[tip_id].text, lang)
        assert not re.search(SUPPLY_PROMISE[lang], text, re.I), (tip_id, text)


def test_naloxone_is_said_to_help_reverse_not_to_guarantee() -> None:
    text = TIPS["carry-naloxone"].text.get("en", "en")
    assert "can help" in text and "means you can" not in text


@pytest.mark.parametrize("lang", LANGS)
def test_using_less_when_life_is_steadier_is_not_tied_to_failure(lang: str) -> None:
    failure = {"en": "failure", "es": "fracaso", "zh-Hant": "失敗", "tl": "pagkabigo"}[lang]
    assert failure not in text_of(TIPS["steadier-life"].text, lang)


# --- words ----------------------------------------------------------------------------------

STIGMA = {
    "en": r"\b(clean|dirty) (needle|syringe|gear)|\baddicts?\b|\bjunkies?\b|\babuse\b|relapse",
    "es": r"(jeringa|aguja)s? (limpia|sucia)|\badict[oa]s?\b|drogadict|\babuso\b|recaída",
    "zh-Hant": r"吸毒者|癮君子|濫用|毒蟲|乾淨的針|髒針",
    "tl": r"\badik\b|\bmalinis na (syringe|karayom)|\bmarumi\b|\babuso\b",
}


@pytest.mark.parametrize("lang", LANGS)
def test_no_stigmatising_words(lang: str) -> None:
    found = [(w, t) for w, t in every_text(lang) if re.search(STIGMA[lang], t, re.I)]
    assert found == []


# Wordings a fluent reader flagged; each has a better one in the files.
FLAGGED = {
    "es": [r"usar solo\b", r"va a usar solo", r"intercambio de jeringas", r"prensad[oa]s"],
    "zh-Hant": [r"煙斗", r"戒斷", r"吸煙霧", r"物質使用", r"壓製的"],
    "tl": [r"kaunting-kaunti"],
}


@pytest.mark.parametrize("lang", list(FLAGGED))
def test_flagged_translations_do_not_come_back(lang: str) -> None:
    found = [
        (w, pattern)
        for w, t in every_text(lang)
        for pattern in FLAGGED[lang]
        if re.search(pattern, t)
    ]
    assert found == []


def test_filipino_fentanyl_tip_says_whose_drugs() -> None:
    """ "sa inyo" (in you / with you) was ambiguous: it is the drugs that may have it."""
    assert TIPS["fentanyl-in-supply"].text.get("tl", "en").endswith("ang droga ninyo.")


def test_chinese_tips_do_not_gender_the_person_being_helped() -> None:
    for tip_id in ("overdose-steps", "second-dose", "stay-with-them"):
        assert "他" not in TIPS[tip_id].text.get("zh-Hant", "en"), tip_id


def test_the_behavioral_health_line_is_named_for_substance_use_too() -> None:
    name = RESOURCES["sf-behavioral-health-access"].name
    assert "Salud Mental" not in name.get("es", "en")
    assert "uso de sustancias" in name.get("es", "en")


@pytest.mark.parametrize("lang", ["es", "zh-Hant", "tl"])
def test_closed_check_in_does_not_say_not_yet(lang: str) -> None:
    """The screen also shows after check-in has closed: "not yet" would be wrong."""
    said = gettext_for(lang)("No group is open for check-in right now")
    assert said != "No group is open for check-in right now"
    assert not re.search(r"todavía|還|hindi pa", said, re.I), said


@pytest.mark.parametrize(
    ("lang", "avoid"),
    [("tl", ["Laktawan", "Napakabuti"]), ("zh-Hant", ["很難受"])],
)
def test_mood_and_skip_words_read_as_people_say_them(lang: str, avoid: list[str]) -> None:
    _ = gettext_for(lang)
    said = [_(w) for w in ("Really rough", "Not great", "Okay", "Good", "Really good", "Skip")]
    assert not set(said) & set(avoid)


@pytest.mark.parametrize("lang", LANGS)
def test_badges_keep_the_three_words_and_gloss_set_and_setting(lang: str) -> None:
    """The group teaches the words drug, set and setting; a first-time reader needs a
    plain gloss for the last two, in their own language."""
    _ = gettext_for(lang)
    badges = [_("DRUG"), _("SET · your body and mind"), _("SETTING · the place and people")]
    for word, badge in zip(("DRUG", "SET", "SETTING"), badges, strict=True):
        assert re.match(rf"{word}\b", badge), badge
    assert all(" · " in b for b in badges[1:])
    if lang != "en":
        assert badges[1] != "SET · your body and mind"


# --- resources --------------------------------------------------------------------------------


def test_never_use_alone_codes_dial_the_line() -> None:
    """A call-first service: the code offers to call, not to open a web page."""
    line = RESOURCES["never-use-alone"]
    assert line.url is None
    assert decode(line.link) == "tel:8004843731"
    tip_link = TIPS["never-use-alone-line"].link
    assert re.sub(r"[^0-9]", "", decode(tip_link)) == "8004843731"
    assert decode(tip_link).startswith("tel:")


def test_the_city_suicide_prevention_line_is_named_for_the_felton_institute() -> None:
    r = RESOURCES["sf-suicide-prevention"]
    for lang in LANGS:
        assert "Felton Institute" in text_of(r.name, lang)
        assert "988" in text_of(r.description, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_the_behavioral_health_line_gives_its_toll_free_number(lang: str) -> None:
    r = RESOURCES["sf-behavioral-health-access"]
    text = text_of(r.description, lang)
    assert "1-888-246-3333" in text and "TTY 711" in text
    assert r.phone == "415-255-3737"


@pytest.mark.parametrize("lang", LANGS)
def test_medi_cal_does_not_promise_coverage_for_everyone(lang: str) -> None:
    """Since 1 January 2026 new full-scope enrolment is frozen for adults 19+ without
    satisfactory immigration status."""
    text = text_of(RESOURCES["medi-cal"].description, lang)
    assert "2026" in text
    assert not re.search(r"everyone|anyone|todos|todas|所有人|lahat", text, re.I)


def test_only_resources_a_public_source_confirms_carry_a_checked_date() -> None:
    checked = {r.id for r in CONFIG.resources.resource if r.checked}
    assert checked <= {"lifeline-988", "samhsa-helpline"}
    local = ("sfaf-6th-street", "dope-project", "glide", "sf-suicide-prevention")
    assert not any(RESOURCES[i].checked for i in local)


def test_unconfirmed_local_services_promise_no_hours_or_pickup_place() -> None:
    for resource_id in ("sfaf-6th-street", "dope-project", "glide"):
        r = RESOURCES[resource_id]
        assert r.hours is None and r.phone is None, resource_id
        assert "every day" not in text_of(r.description, "en")
