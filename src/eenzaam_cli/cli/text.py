"""Interface words in Dutch and English (domain labels come from the data files)."""

from __future__ import annotations

_WORDS: dict[str, tuple[str, str]] = {
    # column headers and titles
    "age": ("Leeftijd", "Age"),
    "group": ("Groep", "Group"),
    "factor": ("Factor", "Factor"),
    "level": ("Niveau", "Level"),
    "direction": ("Richting", "Direction"),
    "figure": ("Cijfer", "Figure"),
    "measure": ("Maat", "Measure"),
    "compared_with": ("Vergeleken met", "Compared with"),
    "source": ("Bron", "Source"),
    "sources": ("Bronnen", "Sources"),
    "year": ("Jaar", "Year"),
    "title": ("Titel", "Title"),
    "authors": ("Auteurs", "Authors"),
    "cited_in": ("Vermeld in", "Cited in"),
    "category": ("Categorie", "Category"),
    "theme": ("Thema", "Theme"),
    "explanation": ("Uitleg", "Explanation"),
    "paragraph": ("Paragraaf", "Section"),
    "note": ("Noot", "Note"),
    "tier": ("Niveau", "Tier"),
    "tiers": ("Preventieniveaus", "Prevention tiers"),
    "name": ("Naam", "Name"),
    "target_group": ("Doelgroep", "Target group"),
    "aim": ("Doel", "Aim"),
    "focus": ("Focus", "Focus"),
    "rules": ("Regels voor het niveau (de eerste die geldt, beslist)", "Tier rules (the first that holds decides)"),
    "condition": ("Als", "When"),
    "reason": ("Reden", "Reason"),
    "phase": ("Fase", "Phase"),
    "parts": ("Onderdelen", "Parts"),
    "signal": ("Signaal", "Signal"),
    "signals": ("Signalen die kunnen wijzen op eenzaamheid", "Signals that can point to loneliness"),
    "interventions": ("Interventies en aanpakken", "Interventions and approaches"),
    "intervention": ("Interventie", "Intervention"),
    "life_stages": ("Levensfasen", "Life stages"),
    "risk_groups": ("Risicogroepen", "Risk groups"),
    "performed_by": ("Uitvoerders", "Carried out by"),
    "factors": ("Risicofactoren en beschermende factoren", "Risk factors and protective factors"),
    "prevalence_title": ("Eenzaamheid naar leeftijd (%)", "Loneliness by age (%)"),
    "total": ("totaal", "total"),
    "all_ages": ("Nederlandse bevolking", "Dutch population"),
    "used_by": ("Gebruikt door", "Used by"),
    # directions and categories
    "risico": ("risico", "risk"),
    "beschermend": ("beschermend", "protective"),
    "referentie": ("referentie", "reference"),
    "neutraal": ("neutraal", "neutral"),
    "leefomstandigheden": ("leefomstandigheden", "living conditions"),
    "sociale_integratie": ("sociale integratie", "social integration"),
    "macro": ("macrofactoren", "macro factors"),
    "collectief": ("collectief", "collective"),
    "collectief_en_individueel": ("collectief en individueel", "collective and individual"),
    "individueel": ("individueel", "individual"),
    "ruim": ("ruim", "over"),
    "bijna": ("bijna", "almost"),
    "ja": ("ja", "yes"),
    "nee": ("nee", "no"),
    # sentences
    "source_line": ("Bron: {source}. Herleid elk cijfer met `eenzaam bronnen {id}`.",
                    "Source: {source}. Trace any figure with `eenzaam bronnen {id}`."),
    "vs": ("t.o.v. {value} {group}", "vs. {value} {group}"),
    "no_figure": ("geen cijfer in de bron", "no figure in the source"),
    "valid": ("Geldig: {n} gegevensbestanden ({files}).", "Valid: {n} data files ({files})."),
    "invalid": ("{n} probleem/problemen gevonden.", "{n} problem(s) found."),
}


def t(key: str, language: str, **values: object) -> str:
    """The word or sentence `key` in `language` ('nl' or 'en'), with values filled in."""
    nl, en = _WORDS.get(key, (key, key))
    text = en if language == "en" else nl
    return text.format(**values) if values else text
