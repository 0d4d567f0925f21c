"""Interface words in Dutch and English (domain labels come from the data files)."""

from __future__ import annotations

_WORDS: dict[str, tuple[str, str]] = {
    # column headers and titles
    "age": ("Leeftijd", "Age"),
    "factor": ("Factor", "Factor"),
    "level": ("Niveau", "Level"),
    "direction": ("Richting", "Direction"),
    "figure": ("Cijfer", "Figure"),
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
    "from_age": (" (vanaf {age} jaar)", " (from age {age})"),
    "age_range": (" ({low}-{high} jaar)", " (ages {low}-{high})"),
    "outside_source": ("BUITEN DE BRONTEKST: {url}", "OUTSIDE THE SOURCE DOCUMENT: {url}"),
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
    # profile
    "profile": ("Profiel", "Profile"),
    "person_line": ("Leeftijd {age} · leeftijdsband {band} · levensfase: {stages}",
                    "Age {age} · age band {band} · life stage: {stages}"),
    "leeftijd_onbekend": ("Leeftijd onbekend: geen leeftijdsband en dus geen risicostapeling; interventies niet gefilterd op levensfase.",
                          "Age unknown: no age band and so no risk stacking; interventions not filtered by life stage."),
    "buiten_monitor": ("Geen monitorcijfers voor {age} jaar (de Gezondheidsmonitor geeft cijfers voor {covered}): "
                       "het profiel toont de factoren, het niveau en wat past, zonder risicostapeling.",
                       "No monitor figures for age {age} (the Health Monitor covers {covered}): "
                       "the profile shows the factors, the tier and what fits, without risk stacking."),
    "stated_nee": ("Opgegeven: niet eenzaam.", "Given: not lonely."),
    "stated_eenzaam": ("Opgegeven: eenzaam (ernst niet gemeten).", "Given: lonely (severity not measured)."),
    "stated_ernstig": ("Opgegeven: (zeer) ernstig eenzaam.", "Given: (very) severely lonely."),
    "stated_short_eenzaam": ("eenzaam opgegeven", "lonely, as given"),
    "stated_short_ernstig": ("(zeer) ernstig eenzaam opgegeven", "(very) severely lonely, as given"),
    "measured": ("Gemeten: {what}.", "Measured: {what}."),
    "measured_leads": ("Gemeten gaat voor geschat: wat hieronder staat zegt alleen wat de groepen waartoe deze persoon "
                       "behoort gemiddeld laten zien, niet hoe eenzaam deze persoon is.",
                       "Measured beats estimated: what follows only says what the groups this person belongs to show on "
                       "average, not how lonely this person is."),
    "gemengde_bronnen": ("De stapeling combineert cijfers uit verschillende onderzoeken, jaren of populaties ({sources}); "
                         "lees de combinatie met extra voorzichtigheid.",
                         "The stacking combines figures from different studies, years or populations ({sources}); "
                         "read the combination with extra care."),
    "factors_present": ("Factoren van deze persoon", "This person's factors"),
    "no_factors": ("Geen factoren opgegeven.", "No factors given."),
    "use": ("Gebruik", "Use"),
    "qualitative": ("kwalitatief (geen cijfer)", "qualitative (no figure)"),
    "stacked": ("gestapeld", "stacked"),
    "startpunt": ("niet: de leeftijdsband is het startpunt", "not: the age band is the starting point"),
    "andere_maat": ("niet: andere maat", "not: another measure"),
    "geen_grondslag": ("niet: zelf een vergelijkingsgroep, zonder grondslag", "not: itself a comparison group, no footing"),
    "minder_specifiek": ("niet: een specifieker cijfer gaat voor", "not: a more specific figure is used"),
    "overlap": ("niet: overlapt volgens de brontekst ({paragraph}) met een andere factor; de grootste verschuiving telt",
                "not: overlaps with another factor, says the source ({paragraph}); the larger shift counts"),
    "uiterste_waarde": ("niet: 0% of 100% heeft geen log-odds", "not: 0% or 100% has no log-odds"),
    "stacking": ("Risicostapeling: {measure}", "Risk stacking: {measure}"),
    "suggested": ("Wat de groepscijfers zouden suggereren: {measure}", "What the group figures would suggest: {measure}"),
    "footing": ("Grondslag", "Footing"),
    "universal": ("universeel: voor iedereen in deze levensfase", "universal: for everyone in this life stage"),
    "step": ("Stap", "Step"),
    "start": ("startpunt", "starting point"),
    "age_band": ("leeftijdsband {band}", "age band {band}"),
    "shift": ("Verschuiving (log-odds)", "Shift (log-odds)"),
    "after": ("Na deze stap", "After this step"),
    "two_numbers": ("{measure}: hoogste groepscijfer {highest} ({group}); combinatie bij onafhankelijkheid {combined}.",
                    "{measure}: highest group figure {highest} ({group}); combination assuming independence {combined}."),
    "raised": ("De combinatie is opgetrokken tot die voor {part}: wie {part} is, is ook {whole}.",
               "The combination is raised to that for {part}: whoever is {part} is also {whole}."),
    "combined_lower": ("Hier is de combinatie lager dan het hoogste groepscijfer: dat groepscijfer geldt voor alle leeftijden, "
                       "de combinatie start bij een leeftijdsband die lager ligt.",
                       "Here the combination is lower than the highest group figure: that group figure holds for all ages, "
                       "the combination starts from an age band that lies lower."),
    "method_line": ("Methode: elke factor verschuift de log-odds van het leeftijdscijfer met logit(cijfer) − logit(grondslag); "
                    "de grondslag is het bevolkingscijfer van dezelfde maat, of bij een leeftijdsgebonden cijfer de "
                    "vergelijkingsgroep van leeftijdsgenoten. De combinatie neemt onafhankelijkheid aan en overschat als "
                    "factoren samenhangen, zoals leeftijd en weduwschap. Zie docs/methode.md.",
                    "Method: each factor shifts the log-odds of the age band figure by logit(figure) − logit(footing); the "
                    "footing is the population figure of the same measure or, for an age-conditioned figure, its age-matched "
                    "comparison group. The combination assumes independence and overstates when factors go together, such "
                    "as age and widowhood. See docs/methode.md."),
    "caption": ("Indicatieve groepsinformatie, geen gevalideerde voorspelling voor deze persoon.",
                "Indicative group information, not a validated prediction for this person."),
    "fits": ("Wat past", "What fits"),
    "why": ("Waarom", "Why"),
    "fits_note": ("Eerst wat past bij de risicogroepen van deze persoon, dan bij dit preventieniveau en deze levensfase, "
                  "dan de universele maatregelen die iedereen in deze levensfase bereiken. `eenzaam interventies` toont "
                  "de beschrijvingen.",
                  "First what fits this person's risk groups, then this prevention tier and life stage, then the universal "
                  "measures that reach everyone in this life stage. `eenzaam interventies` shows the descriptions."),
    "signals_given": ("Opgegeven signalen", "Signals given"),
    "signals_no_tier": ("Signalen veranderen het preventieniveau niet: een signaal is een reden om na te gaan, geen conclusie.",
                        "Signals do not change the prevention tier: a signal is a reason to check, not a conclusion."),
    # De Jong Gierveld
    "value": ("Waarde", "Value"),
    "range": ("Bereik", "Range"),
    "indicators": ("Indicatoren (Gezondheidsmonitor)", "Indicators (Health Monitor)"),
    "indicator": ("indicator", "indicator"),
    "outcome": ("Uitkomst", "Outcome"),
    "rule": ("Regel", "Rule"),
    "count": ("Aantal", "Count"),
    "share": ("Aandeel", "Share"),
    "djg_score": ("De Jong Gierveld-score {total} van {max}: {category}", "De Jong Gierveld score {total} of {max}: {category}"),
    "incomplete": ("onvolledig", "incomplete"),
    "djg_no_score": ("Geen totaalscore: {reason}.", "No total score: {reason}."),
    "djg_incomplete": ("Onvolledig: geen antwoord op {items}; telt als niet eenzaam (regel uit djg.yaml).",
                       "Incomplete: no answer to {items}; counted as not lonely (rule in djg.yaml)."),
    "djg_wording": ("De formulering van de items staat niet in deze tool, alleen hun nummers en sleutel.",
                    "The items' wording is not part of this tool, only their numbers and key."),
    "djg_summary": ("{file}: {count} rijen, {scored} met een totaalscore (waarvan {incomplete} onvolledig), "
                    "{unscored} zonder (te veel ontbrekende antwoorden).",
                    "{file}: {count} rows, {scored} with a total score ({incomplete} of them incomplete), "
                    "{unscored} without (too many missing answers)."),
    "djg_summary_note": ("Aandeel van de rijen met een score; ongewogen. Gebruik --format csv voor de gescoorde rijen zelf.",
                         "Share of the rows with a score; unweighted. Use --format csv for the scored rows themselves."),
    "undetermined": ("onbepaald", "undetermined"),
    "or": ("of", "or"),
    "djg_open": ("Met {answers} ligt het totaal tussen {low} en {high}; wat daarvan afhangt is onbepaald.",
                 "With {answers} the total lies between {low} and {high}; what depends on it is undetermined."),
    "missing_one": ("1 ontbrekend antwoord", "1 missing answer"),
    "missing_many": ("{n} ontbrekende antwoorden", "{n} missing answers"),
    "djg_summary_open": ("Onbepaald (de ontbrekende antwoorden kunnen de uitkomst veranderen; telt niet mee in het "
                         "aandeel): {counts}.",
                         "Undetermined (the missing answers could change the outcome; left out of the share): {counts}."),
    "valid": ("Geldig: {n} gegevensbestanden ({files}).", "Valid: {n} data files ({files})."),
    "invalid": ("{n} probleem/problemen gevonden.", "{n} problem(s) found."),
}


def t(key: str, language: str, **values: object) -> str:
    """The word or sentence `key` in `language` ('nl' or 'en'), with values filled in."""
    nl, en = _WORDS.get(key, (key, key))
    text = en if language == "en" else nl
    return text.format(**values) if values else text
