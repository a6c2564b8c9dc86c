"""German labels for the codes of the registry, as an analyst reads them in a report.

The registry stores codes (`kreisfreie_stadt`, `letter_of_intent`); reports show these
labels. A code without a label is shown as it is, so a new enum value never breaks a report.
"""

from __future__ import annotations

from collections.abc import Mapping

STATES: Mapping[str, str] = {
    "DE-BW": "Baden-Württemberg",
    "DE-BY": "Bayern",
    "DE-BE": "Berlin",
    "DE-BB": "Brandenburg",
    "DE-HB": "Bremen",
    "DE-HH": "Hamburg",
    "DE-HE": "Hessen",
    "DE-MV": "Mecklenburg-Vorpommern",
    "DE-NI": "Niedersachsen",
    "DE-NW": "Nordrhein-Westfalen",
    "DE-RP": "Rheinland-Pfalz",
    "DE-SL": "Saarland",
    "DE-SN": "Sachsen",
    "DE-ST": "Sachsen-Anhalt",
    "DE-SH": "Schleswig-Holstein",
    "DE-TH": "Thüringen",
}

KINDS: Mapping[str, str] = {
    "partner": "Partner",
    "agreement": "Vereinbarungen",
    "solution": "Lösungen",
}

PARTNER_TYPES: Mapping[str, str] = {
    "gemeinde": "Gemeinde",
    "stadt": "Stadt",
    "kreisfreie_stadt": "Kreisfreie Stadt",
    "landkreis": "Landkreis",
    "gemeindeverband": "Gemeindeverband",
    "stadtstaat": "Stadtstaat",
    "bezirk": "Bezirk",
    "land": "Land",
    "landesbehoerde": "Landesbehörde",
    "bund": "Bund",
    "bundesbehoerde": "Bundesbehörde",
    "kommunaler_it_dienstleister": "Kommunaler IT-Dienstleister",
    "kommunaler_spitzenverband": "Kommunaler Spitzenverband",
    "zweckverband": "Zweckverband",
    "anstalt": "Anstalt",
    "other": "Sonstige",
}

LEGAL_FORMS: Mapping[str, str] = {
    "letter_of_intent": "Absichtserklärung (Letter of Intent)",
    "memorandum_of_understanding": "Memorandum of Understanding",
    "kooperationsvereinbarung": "Kooperationsvereinbarung",
    "arbeitsgemeinschaft": "Arbeitsgemeinschaft",
    "zweckvereinbarung": "Zweckvereinbarung",
    "oeffentlich_rechtliche_vereinbarung": "Öffentlich-rechtliche Vereinbarung",
    "zweckverband": "Zweckverband",
    "gemeinsame_anstalt": "Gemeinsame Anstalt",
    "privatrechtlich": "Privatrechtlicher Vertrag",
    "verwaltungsabkommen": "Verwaltungsabkommen",
    "other": "Sonstige",
}

AGREEMENT_STATUS: Mapping[str, str] = {
    "draft": "Entwurf",
    "approved": "Beschlossen",
    "signed": "Unterzeichnet",
    "active": "Aktiv",
    "suspended": "Ruhend",
    "terminated": "Gekündigt",
    "expired": "Ausgelaufen",
    "dissolved": "Aufgelöst",
    "superseded": "Abgelöst",
}

EVENT_TYPES: Mapping[str, str] = {
    "signed": "Unterzeichnung",
    "announced": "Ankündigung",
    "accession": "Beitritt",
    "withdrawal": "Austritt",
    "participant_joined": "Teilnahme beginnt",
    "participant_left": "Teilnahme endet",
    "meeting": "Treffen",
    "amendment": "Änderung",
    "extension": "Verlängerung",
    "termination": "Kündigung",
    "dissolution": "Auflösung",
    "supersession": "Ablösung",
}

TIMELINE_COLUMNS: Mapping[str, str] = {
    "signed": "Unterzeichnungen",
    "accession": "Beitritte",
    "withdrawal": "Austritte",
    "meeting": "Treffen",
    "other": "Sonstige",
}

AREAS: Mapping[str, str] = {
    "basisdienste": "Basisdienste",
    "online_dienste": "Online-Dienste",
    "fachverfahren": "Fachverfahren",
    "schnittstellen": "Schnittstellen",
    "infrastruktur": "Infrastruktur",
    "strategie": "Strategie",
    "smart_city": "Smart City",
    "kuenstliche_intelligenz": "Künstliche Intelligenz",
    "barrierefreiheit": "Barrierefreiheit",
    "prozessmanagement": "Prozessmanagement",
    "digitale_verantwortung": "Digitale Verantwortung",
    "informationssicherheit": "Informationssicherheit",
    "open_data": "Open Data",
    "other": "Sonstige",
}

SOLUTION_CATEGORIES: Mapping[str, str] = {
    "basisdienst": "Basisdienst",
    "online_dienst": "Online-Dienst",
    "fachverfahren": "Fachverfahren",
    "schnittstelle": "Schnittstelle",
    "plattform": "Plattform",
}

SOLUTION_STATUS: Mapping[str, str] = {
    "concept": "Konzept",
    "development": "Entwicklung",
    "pilot": "Pilot",
    "production": "Produktion",
    "retired": "Eingestellt",
}

USE_STATUS: Mapping[str, str] = {
    "planned": "geplant",
    "pilot": "Pilot",
    "production": "Produktion",
    "retired": "eingestellt",
}

THEMENFELDER: Mapping[str, str] = {
    "arbeit_ruhestand": "Arbeit & Ruhestand",
    "bauen_wohnen": "Bauen & Wohnen",
    "bildung": "Bildung",
    "ein_auswanderung": "Ein- & Auswanderung",
    "engagement_hobby": "Engagement & Hobby",
    "familie_kind": "Familie & Kind",
    "forschung_foerderung": "Forschung & Förderung",
    "gesundheit": "Gesundheit",
    "mobilitaet_reisen": "Mobilität & Reisen",
    "querschnitt": "Querschnitt",
    "recht_ordnung": "Recht & Ordnung",
    "steuern_zoll": "Steuern & Zoll",
    "umwelt": "Umwelt",
    "unternehmensfuehrung": "Unternehmensführung",
}

ROLES: Mapping[str, str] = {"party": "Vertragspartner", "participant": "Teilnehmer"}

PRECISIONS: Mapping[str, str] = {"year": "nur Jahr", "month": "nur Monat", "day": "Tag"}

SECTION_TITLES: Mapping[str, str] = {
    "overview": "Überblick",
    "timeline": "Zeitleiste",
    "network": "Kooperationsnetz",
    "areas": "Handlungsfelder",
    "adoption": "Nachnutzung von Lösungen",
    "quality": "Datenqualität",
}


def label(table: Mapping[str, str], code: str) -> str:
    """The label of `code`, or the code itself when the table does not know it."""
    if code == "unknown" and code not in table:
        return "ohne Angabe"
    return table.get(code, code)
