"""Labels for the codes of the registry, as an analyst reads them in a report.

The registry stores codes (`kreisfreie_stadt`, `letter_of_intent`); reports show these
labels in the language of the run. The tables hold English msgids (marked for the catalog,
German in coopctl/locale/de); `label` translates them when they are shown. A code without a
label is shown as it is, so a new enum value never breaks a report.
"""

from __future__ import annotations

from collections.abc import Mapping

from coopctl.i18n import N_, _

# An agreement without a short title is named by its title when the title is at most this
# many characters long, else by the title cut at a word boundary, with "…" and the id.
SHORT_TITLE_LENGTH = 40


def agreement_label(agreement_id: str, title: str | None, short_title: str | None) -> str:
    """How the report names an agreement wherever it names one: `short_title` when the
    registry has it; else the title, cut at a word boundary to at most SHORT_TITLE_LENGTH
    characters with "…" and the id when it is longer (so two cut titles stay apart). A first
    word longer than that is cut within, the "…" showing it."""
    if short_title:
        return short_title
    if not title:
        return agreement_id
    if len(title) <= SHORT_TITLE_LENGTH:
        return title
    head = title[: SHORT_TITLE_LENGTH - 1]
    if title[SHORT_TITLE_LENGTH - 1] != " " and " " in head:
        head = head.rsplit(" ", 1)[0]
    return f"{head.rstrip(' ,;:-–')}… ({agreement_id})"


STATES: Mapping[str, str] = {
    "DE-BW": N_("Baden-Württemberg"),
    "DE-BY": N_("Bavaria"),
    "DE-BE": N_("Berlin"),
    "DE-BB": N_("Brandenburg"),
    "DE-HB": N_("Bremen"),
    "DE-HH": N_("Hamburg"),
    "DE-HE": N_("Hesse"),
    "DE-MV": N_("Mecklenburg-Western Pomerania"),
    "DE-NI": N_("Lower Saxony"),
    "DE-NW": N_("North Rhine-Westphalia"),
    "DE-RP": N_("Rhineland-Palatinate"),
    "DE-SL": N_("Saarland"),
    "DE-SN": N_("Saxony"),
    "DE-ST": N_("Saxony-Anhalt"),
    "DE-SH": N_("Schleswig-Holstein"),
    "DE-TH": N_("Thuringia"),
}

KINDS: Mapping[str, str] = {
    "partner": N_("Partners"),
    "agreement": N_("Agreements"),
    "solution": N_("Solutions"),
}

PARTNER_TYPES: Mapping[str, str] = {
    "gemeinde": N_("Municipality"),
    "stadt": N_("Town"),
    "kreisfreie_stadt": N_("District-free city"),
    "landkreis": N_("District"),
    "region": N_("Region (Region Hannover)"),
    "staedteregion": N_("Städteregion"),
    "regionalverband": N_("Regionalverband"),
    "samtgemeinde": N_("Samtgemeinde"),
    "verbandsgemeinde": N_("Verbandsgemeinde"),
    "amt": N_("Amt"),
    "verwaltungsgemeinschaft": N_("Verwaltungsgemeinschaft"),
    "gemeindeverband": N_("Association of municipalities"),
    "stadtstaat": N_("City-state"),
    "bezirk": N_("Bezirk (Bayern)"),
    "stadtbezirk": N_("Borough (Berlin, Hamburg)"),
    "land": N_("Land"),
    "landesbehoerde": N_("State ministry / supreme state authority"),
    "bund": N_("Federation"),
    "bundesbehoerde": N_("Federal authority"),
    "kommunaler_it_dienstleister": N_("IT service provider"),
    "kommunaler_spitzenverband": N_("Municipal umbrella association"),
    "zweckverband": N_("Special-purpose association"),
    "anstalt": N_("Public-law institution"),
    "other": N_("Other"),
}

SPECIAL_STATUS: Mapping[str, str] = {
    "grosse_kreisstadt": N_("Große Kreisstadt"),
    "grosse_selbstaendige_stadt": N_("Große selbständige Stadt"),
    "sonderstatusstadt": N_("Sonderstatusstadt"),
    "grosse_kreisangehoerige_stadt": N_("Große kreisangehörige Stadt"),
    "mittlere_kreisangehoerige_stadt": N_("Mittlere kreisangehörige Stadt"),
    "other": N_("Other"),
}

PARTNER_LEGAL_FORMS: Mapping[str, str] = {
    "anstalt_oeffentlichen_rechts": N_("Public-law institution (AöR)"),
    "zweckverband": N_("Special-purpose association"),
    "koerperschaft_oeffentlichen_rechts": N_("Public-law corporation"),
    "gmbh": N_("GmbH"),
    "eingetragener_verein": N_("Registered association (e. V.)"),
    "eingetragene_genossenschaft": N_("Registered cooperative (eG)"),
    "other": N_("Other"),
}

INSTRUMENTS: Mapping[str, str] = {
    "letter_of_intent": N_("Letter of intent"),
    "memorandum_of_understanding": N_("Memorandum of understanding"),
    "kooperationsvereinbarung": N_("Cooperation agreement"),
    "zweckvereinbarung": N_("Zweckvereinbarung (public-law agreement on a task)"),
    "satzung": N_("Statutes"),
    "staatsvertrag": N_("Interstate treaty"),
    "verwaltungsabkommen": N_("Administrative agreement"),
    "vertrag": N_("Contract"),
    "other": N_("Other kind of document"),
}

LEGAL_FORMS: Mapping[str, str] = {
    "none": N_("None (informal cooperation)"),
    "kommunale_arbeitsgemeinschaft": N_("Municipal working group"),
    "zweckvereinbarung": N_("Zweckvereinbarung (public-law agreement on a task)"),
    "zweckverband": N_("Special-purpose association"),
    "gemeinsames_kommunalunternehmen": N_("Joint municipal enterprise"),
    "gemeinsame_anstalt": N_("Joint public-law institution"),
    "verwaltungsgemeinschaft": N_("Administrative community"),
    "gmbh": N_("Limited company (GmbH)"),
    "eingetragener_verein": N_("Registered association"),
    "eingetragene_genossenschaft": N_("Registered cooperative"),
    "other": N_("Other"),
}

TASK_TRANSFERS: Mapping[str, str] = {
    "delegating": N_("Delegating"),
    "mandating": N_("Mandating"),
}

AGREEMENT_STATUS: Mapping[str, str] = {
    "draft": N_("Draft"),
    "approved": N_("Approved"),
    "signed": N_("Signed"),
    "active": N_("Active"),
    "suspended": N_("Suspended"),
    "terminated": N_("Terminated"),
    "expired": N_("Expired"),
    "dissolved": N_("Dissolved"),
    "superseded": N_("Superseded"),
}

EVENT_TYPES: Mapping[str, str] = {
    "signed": N_("Signing"),
    "announced": N_("Announcement"),
    "accession": N_("Accession"),
    "withdrawal": N_("Withdrawal"),
    "participant_joined": N_("Participation begins"),
    "participant_left": N_("Participation ends"),
    "meeting": N_("Meeting"),
    "amendment": N_("Amendment"),
    "extension": N_("Extension"),
    "termination": N_("Termination"),
    "dissolution": N_("Dissolution"),
    "supersession": N_("Supersession"),
    "council_decision": N_("Council decision"),
    "approval": N_("Approval"),
    "publication": N_("Publication"),
    "entry_into_force": N_("Entry into force"),
}

TIMELINE_COLUMNS: Mapping[str, str] = {
    "signed": N_("Signings"),
    "accession": N_("Accessions"),
    "withdrawal": N_("Withdrawals"),
    "meeting": N_("Meetings"),
    "other": N_("Other"),
}

AREAS: Mapping[str, str] = {
    "basisdienste": N_("Basic services"),
    "online_dienste": N_("Online services"),
    "fachverfahren": N_("Specialist procedures"),
    "schnittstellen": N_("Interfaces"),
    "infrastruktur": N_("Infrastructure"),
    "strategie": N_("Strategy"),
    "smart_city": N_("Smart city"),
    "kuenstliche_intelligenz": N_("Artificial intelligence"),
    "barrierefreiheit": N_("Accessibility"),
    "prozessmanagement": N_("Process management"),
    "digitale_verantwortung": N_("Digital responsibility"),
    "informationssicherheit": N_("Information security"),
    "open_data": N_("Open data"),
    "other": N_("Other"),
}

SOLUTION_CATEGORIES: Mapping[str, str] = {
    "basisdienst": N_("Basic service"),
    "online_dienst": N_("Online service"),
    "fachverfahren": N_("Specialist procedure"),
    "schnittstelle": N_("Interface"),
    "plattform": N_("Platform"),
}

SOLUTION_STATUS: Mapping[str, str] = {
    "concept": N_("Concept"),
    "development": N_("Development"),
    "beta": N_("Beta"),
    "pilot": N_("Pilot"),
    "production": N_("In production"),
    "retired": N_("Retired"),
}

USE_STATUS: Mapping[str, str] = {
    "planned": N_("Planned"),
    "pilot": N_("Pilot"),
    "production": N_("In production"),
    "retired": N_("Retired"),
}

THEMENFELDER: Mapping[str, str] = {
    "arbeit_ruhestand": N_("Work & retirement"),
    "bauen_wohnen": N_("Building & housing"),
    "bildung": N_("Education"),
    "ein_auswanderung": N_("Immigration & emigration"),
    "engagement_hobby": N_("Volunteering & hobbies"),
    "familie_kind": N_("Family & children"),
    "forschung_foerderung": N_("Research & funding"),
    "gesundheit": N_("Health"),
    "mobilitaet_reisen": N_("Mobility & travel"),
    "querschnitt": N_("Cross-cutting services"),
    "recht_ordnung": N_("Law & order"),
    "steuern_zoll": N_("Taxes & customs"),
    "umwelt": N_("Environment"),
    "unternehmensfuehrung": N_("Business management & development"),
}

ROLES: Mapping[str, str] = {"party": N_("Party"), "participant": N_("Participant")}

# The role a membership event gives its partners (`events[].role`).
MEMBER_ROLES: Mapping[str, str] = {
    "lead": N_("Lead partner"),
    "office": N_("Office"),
    "guest": N_("Guest"),
    "observer": N_("Observer"),
    "advisory_member": N_("Advisory member"),
    "funder": N_("Funder"),
}

# The tasks of an agreement's `roles` list, per field of work or topic.
TASKS: Mapping[str, str] = {
    "lead": N_("Lead partner"),
    "office": N_("Office"),
    "technical_lead": N_("Technical lead"),
    "subject_lead": N_("Subject-matter lead"),
    "core_team": N_("Core team"),
    "coordinator": N_("Coordination"),
    "funder": N_("Funder"),
    "other": N_("Other task"),
}

PRECISIONS: Mapping[str, str] = {
    "year": N_("year only"),
    "month": N_("month only"),
    "day": N_("day"),
}

SECTION_TITLES: Mapping[str, str] = {
    "overview": N_("Overview"),
    "timeline": N_("Timeline"),
    "network": N_("Cooperation network"),
    "areas": N_("Fields of work"),
    "adoption": N_("Reuse of solutions"),
    "quality": N_("Data quality"),
}

NOT_STATED = N_("not stated")


def label(table: Mapping[str, str], code: str) -> str:
    """The label of `code` in the language of the run, or the code itself when the table does
    not know it (a registry value is never looked up in the catalog)."""
    if code in table:
        return _(table[code])
    if code == "unknown":
        return _(NOT_STATED)
    return code


# How a solution is shared (coopctl.report.data._sharing).
SHARING: Mapping[str, str] = {
    "agreement": N_("under an agreement"),
    "efa": N_("EfA reuse"),
    "agreement_and_efa": N_("under an agreement and as EfA"),
    "none": N_("no"),
}
