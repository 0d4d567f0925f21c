"""Interface words in Dutch and English (domain labels come from the data files)."""

from __future__ import annotations

from typing import Any

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
    "area_all_ages": ("{area}, alle leeftijden", "{area}, all ages"),
    "no_year": ("geen jaar genoemd", "no year given"),
    "population_not_table": ("Deze bevolkingscijfers komen uit maten.yaml, niet uit de monitortabel {table}.",
                             "These population figures come from maten.yaml, not from the monitor table {table}."),
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
                         "lees de illustratie met extra voorzichtigheid.",
                         "The stacking combines figures from different studies, years or populations ({sources}); "
                         "read the illustration with extra care."),
    "factors_present": ("Factoren van deze persoon", "This person's factors"),
    "no_factors": ("Geen factoren opgegeven.", "No factors given."),
    "use": ("Gebruik", "Use"),
    "qualitative": ("kwalitatief (geen cijfer)", "qualitative (no figure)"),
    "stacked": ("gestapeld", "stacked"),
    "startpunt": ("niet: de leeftijdsband is het startpunt", "not: the age band is the starting point"),
    "andere_maat": ("niet: andere maat", "not: another measure"),
    "geen_grondslag": ("niet: zelf een vergelijkingsgroep, zonder grondslag", "not: itself a comparison group, no footing"),
    "minder_specifiek": ("niet: een specifieker cijfer gaat voor", "not: a more specific figure is used"),
    "overlap": ("gestapeld voor {share}%: overlapt volgens de brontekst ({paragraph}) deels met een andere factor",
                "stacked at {share}%: partly overlaps with another factor, says the source ({paragraph})"),
    "niet_vergelijkbaar": ("niet: geen bevolkingscijfer uit hetzelfde onderzoek en jaar om tegen te verschuiven",
                           "not: no population figure from the same survey and year to shift against"),
    "uiterste_waarde": ("niet: 0% of 100% heeft geen log-odds", "not: 0% or 100% has no log-odds"),
    "stacking": ("Illustratie bij onafhankelijkheid: {measure}", "Illustration assuming independence: {measure}"),
    "suggested": ("Wat de groepscijfers zouden suggereren: {measure}", "What the group figures would suggest: {measure}"),
    "group_figures": ("Groepscijfers die voor deze persoon gelden", "Group figures that apply to this person"),
    "group": ("Groep", "Group"),
    "measure": ("Maat", "Measure"),
    "highest_line": ("Hoogste groepscijfer, {measure}: {value} ({group}, {source}).",
                     "Highest group figure, {measure}: {value} ({group}, {source})."),
    "group_figures_note": ("Wat de bronnen maten bij groepen waartoe deze persoon behoort; geen cijfer voor de persoon zelf. "
                           "Cijfers uit verschillende onderzoeken, jaren en maten zijn niet onderling vergelijkbaar.",
                           "What the sources measured in groups this person belongs to; not a figure for the person. "
                           "Figures from different studies, years and measures are not comparable with one another."),
    "replaces": ("vervangt leeftijdsband {band} ({value}) als startpunt", "replaces age band {band} ({value}) as the starting point"),
    "footing": ("Grondslag", "Footing"),
    "universal": ("universeel: voor iedereen in deze levensfase", "universal: for everyone in this life stage"),
    "step": ("Stap", "Step"),
    "start": ("startpunt", "starting point"),
    "age_band": ("leeftijdsband {band}", "age band {band}"),
    "band_of_table": ("{band} (monitortabel {table})", "{band} (monitor table {table})"),
    "shift": ("Verschuiving (log-odds)", "Shift (log-odds)"),
    "after": ("Na deze stap", "After this step"),
    "two_numbers": ("{measure}: hoogste groepscijfer {highest} ({group}); illustratie bij onafhankelijkheid {combined}, "
                    "een rekenvoorbeeld, geen cijfer voor deze persoon.",
                    "{measure}: highest group figure {highest} ({group}); illustration assuming independence {combined}, "
                    "a worked example, not a figure for this person."),
    "inconsistent": ("geen: de illustratie voor {part} zou hoger uitkomen dan die voor {whole}; voor deze combinatie "
                     "spreken de cijfers elkaar tegen",
                     "none: the illustration for {part} would come out above that for {whole}; for this combination "
                     "the figures contradict each other"),
    "combined_lower": ("Hier is de illustratie lager dan het hoogste groepscijfer: dat groepscijfer geldt voor alle leeftijden, "
                       "de illustratie start bij een leeftijdsband die lager ligt.",
                       "Here the illustration is lower than the highest group figure: that group figure holds for all ages, "
                       "the illustration starts from an age band that lies lower."),
    "method_line": ("Methode: een rekenvoorbeeld, geen cijfer voor deze persoon. Een cijfer voor leeftijdsgenoten (Turkse "
                    "55-plussers) vervangt het leeftijdscijfer als startpunt; elke andere factor verschuift de log-odds met "
                    "logit(cijfer) − logit(bevolkingscijfer), alleen als dat bevolkingscijfer uit hetzelfde onderzoek en "
                    "jaar komt. Het neemt onafhankelijkheid aan en overschat als factoren samenhangen, zoals leeftijd en "
                    "weduwschap. Zie docs/methode.md.",
                    "Method: a worked example, not a figure for this person. A figure for people of the same age (Turkish "
                    "people 55+) replaces the age band figure as the starting point; every other factor shifts the log-odds "
                    "by logit(figure) − logit(population figure), only where that population figure comes from the same "
                    "survey and year. It assumes independence and overstates when factors go together, such as age and "
                    "widowhood. See docs/methode.md."),
    "caption": ("Indicatieve groepsinformatie, geen gevalideerde voorspelling voor deze persoon.",
                "Indicative group information, not a validated prediction for this person."),
    "fits": ("Wat past", "What fits"),
    "why": ("Waarom", "Why"),
    "fits_note": ("Eerst wat past bij de risicogroepen van deze persoon, dan bij dit preventieniveau en deze levensfase. "
                  "`eenzaam interventies` toont de beschrijvingen.",
                  "First what fits this person's risk groups, then this prevention tier and life stage. "
                  "`eenzaam interventies` shows the descriptions."),
    "fits_universal": ("Nog {n} universele maatregelen bereiken iedereen in deze levensfase; ze staan in `{command}`.",
                       "{n} more universal measures reach everyone in this life stage; `{command}` lists them."),
    "signals_given": ("Opgegeven signalen", "Signals given"),
    "signals_no_tier": ("Signalen veranderen het preventieniveau niet: een signaal is een reden om na te gaan, geen conclusie.",
                        "Signals do not change the prevention tier: a signal is a reason to check, not a conclusion."),
    # population
    "population_title": ("Populatieprofiel", "Population profile"),
    "all_areas": ("alle", "all"),
    "total_row": ("totaal", "total"),
    "area": ("Gebied", "Area"),
    "people_in_monitor": ("Inwoners", "Residents"),
    "outside_monitor": ("Buiten monitor", "Outside monitor"),
    "expected_measure": ("Verwacht {measure}", "Expected {measure}"),
    "population_intro": ("{rows} rijen, {distinct} verschillende segmenten elk één keer geprofileerd; {people} inwoners "
                         "binnen de leeftijden van de monitor in {areas} gebied(en).",
                         "{rows} rows, {distinct} distinct segments each profiled once; {people} residents within the "
                         "monitor's ages in {areas} area(s)."),
    "population_outside": ("{people} inwoners zijn jonger dan {low} of vallen anders buiten de monitor: geteld, niet geschat.",
                           "{people} residents are younger than {low} or otherwise outside the monitor: counted, not estimated."),
    "population_redistributed": ("{rows} rijen met een andere leeftijdsband zijn naar rato van de jaren over de banden van "
                                 "de monitor verdeeld (--herverdeel: gelijkmatig binnen de band).",
                                 "{rows} rows with another age band were split over the monitor's bands in proportion to "
                                 "the years (--herverdeel: uniform within the band)."),
    "population_method": ("Verwacht = aantal × het cijfer van het segment, gekalibreerd: binnen elk gebied en elke "
                          "leeftijdsband verdelen de factoren de eenzamen van de band over de segmenten en komt de band "
                          "precies op het monitorcijfer uit. Focusgroepen, kalibratie en vergelijking gaan over "
                          "{measure}. Zie docs/methode.md.",
                          "Expected = count × the segment's figure, calibrated: within each area and age band the "
                          "factors redistribute the band's lonely people over the segments, and the band comes back to "
                          "the monitor's figure exactly. Focus groups, calibration and comparison are about {measure}. "
                          "See docs/methode.md."),
    "population_tiers": ("Niveaus: de regels van niveaus.yaml op de verwachte aandelen: (zeer) ernstig eenzaam → niveau 3, "
                         "overig eenzaam → niveau 2, de rest naar risicofactoren.",
                         "Tiers: the rules of niveaus.yaml applied to the expected shares: (very) severely lonely → tier 3, "
                         "other lonely → tier 2, the rest by risk factors."),
    "chart_by_band": ("Verwacht {measure} naar leeftijdsband", "Expected {measure} by age band"),
    "chart_by_area": ("Verwacht {measure} naar gebied", "Expected {measure} by area"),
    "comparison_title": ("Waargenomen tegenover de leeftijdsopbouw: {measure}", "Observed against the age structure: {measure}"),
    # the report pictures (cli/charts/report.py)
    "picture_source": ("Bron: {source}.", "Source: {source}."),
    "picture_prevalence": ("Aandeel eenzamen per leeftijdsband, en in de hele bevolking",
                           "Share of lonely people per age band, and in the whole population"),
    "years_chart_title": ("Eenzaamheid naar leeftijd: {first} en {second} (%)", "Loneliness by age: {first} and {second} (%)"),
    "picture_by_band": ("Verwachte aantallen per leeftijdsband", "Expected numbers per age band"),
    "picture_tiers": ("Inwoners per preventieniveau", "Residents per prevention tier"),
    "picture_areas_shown": ("De {shown} van {areas} gebieden met de meeste verwacht {measure}; alle gebieden staan in "
                            "de tabellen.", "The {shown} of {areas} areas with the most expected {measure}; every area "
                            "is in the tables."),
    "picture_population": ("Verwacht = aantal inwoners × het cijfer van hun segment, gekalibreerd op de monitor "
                           "(docs/methode.md). Indicatieve groepsinformatie, geen voorspelling voor een persoon.",
                           "Expected = residents × their segment's figure, calibrated to the monitor "
                           "(docs/methode.md). Indicative group information, not a prediction for a person."),
    "funnel_title": ("Waargenomen tegenover verwacht per gebied: {measure}", "Observed against expected by area: {measure}"),
    "funnel_x": ("Verwacht aantal {measure} onder de respondenten (naar leeftijd)",
                 "Expected number {measure} among the respondents (by age)"),
    "funnel_y": ("Waargenomen / verwacht", "Observed / expected"),
    "funnel_95": ("95%-grenzen", "95% limits"),
    "funnel_998": ("99,8%-grenzen", "99.8% limits"),
    "funnel_unnamed": ("{count} gebied(en) buiten de grenzen zonder naam (geen plaats); zie de tabel.",
                       "{count} area(s) outside the limits not named (no room); see the table."),
    "picture_funnel": ("Controlegrenzen zoals PHEindicatormethods ze berekent: de exacte Poisson-grenzen van het "
                       "waargenomen aantal gedeeld door het verwachte. Buiten de 95%-grenzen: met naam. Zie "
                       "docs/methode.md.",
                       "Control limits as PHEindicatormethods computes them: the exact Poisson limits of the observed "
                       "count divided by the expected. Outside the 95% limits: named. See docs/methode.md."),
    "respondents": ("Respondenten", "Respondents"),
    "observed": ("Waargenomen {measure}", "Observed {measure}"),
    "observed_share": ("Aandeel (95%-BI, Wilson)", "Share (95% CI, Wilson)"),
    "expected_from_age": ("Verwacht naar leeftijd", "Expected by age"),
    "isr": ("Ratio waargenomen/verwacht (95%-BI)", "Ratio observed/expected (95% CI)"),
    "interval_method": ("Interval", "Interval"),
    "verdict": ("Oordeel", "Verdict"),
    "method_byars": ("Byar", "Byar's"),
    "method_exact": ("exact Poisson", "exact Poisson"),
    "short_hoger": ("hoger", "higher"),
    "short_lager": ("lager", "lower"),
    "short_niet_te_onderscheiden": ("niet te onderscheiden", "not distinguishable"),
    "caption_population": ("Indicatieve groepsinformatie, geen gevalideerde voorspelling voor een gebied of een persoon.",
                           "Indicative group information, not a validated prediction for an area or a person."),
    "verdict_hoger": ("hoger dan de leeftijdsopbouw voorspelt", "higher than the age structure predicts"),
    "verdict_lager": ("lager dan de leeftijdsopbouw voorspelt", "lower than the age structure predicts"),
    "verdict_niet_te_onderscheiden": ("niet te onderscheiden van wat de leeftijdsopbouw voorspelt",
                                      "not distinguishable from what the age structure predicts"),
    "comparison_note": ("Verwacht: de respondenten per band × het monitorcijfer van die band; zonder banden de "
                        "respondenten × het cijfer van de leeftijdsopbouw van het gebied (indirecte standaardisatie).",
                        "Expected: the respondents per band × the monitor's figure for that band; without bands the "
                        "respondents × the figure of the area's age structure (indirect standardisation)."),
    "poisson_note": ("Intervallen zoals PHEindicatormethods: Byar vanaf 10 waargenomen, exact Poisson daaronder. Bij een "
                     "aandeel rond 40% zijn Poisson-intervallen ruim (conservatief).",
                     "Intervals as PHEindicatormethods computes them: Byar's from 10 observed, exact Poisson below. At a "
                     "share near 40% Poisson intervals are wide (conservative)."),
    "focus_title": ("Focusgroepen", "Focus groups"),
    "focus_intro": ("Eerst de segmenten met de meeste verwachte eenzamen (waar de meeste eenzaamheid zit), dan die het "
                    "verst boven het cijfer van hun leeftijdsband liggen (waar ze het meest geconcentreerd is).",
                    "First the segments with the most expected lonely people (where most loneliness sits), then those "
                    "furthest above their age band's figure (where it is most concentrated)."),
    "focus_excess": ("— het verst boven het bandcijfer —", "— furthest above the band figure —"),
    "characteristics": ("Kenmerken", "Characteristics"),
    "excess": ("Boven bandcijfer (%-punt)", "Above band figure (pp)"),
    "row": ("Rij", "Row"),
    "calibration_title": ("Kalibratie", "Calibration"),
    "calibration_age_only": ("{cells} gebied-bandcellen met alleen leeftijd: het monitorcijfer exact terug (grootste "
                             "afwijking {worst} %-punt).",
                             "{cells} area-band cells with age only: the monitor's figure exactly (largest deviation "
                             "{worst} pp)."),
    "calibration_split": ("{cells} gebied-bandcellen opgesplitst naar factoren. De verwachte aantallen zijn gekalibreerd "
                          "op het bandcijfer; hieronder de grootste afwijkingen zonder kalibratie en het toegepaste "
                          "intercept.",
                          "{cells} area-band cells split by factors. The expected numbers are calibrated to the band "
                          "figure; below the largest deviations without calibration and the intercept applied."),
    "band_figure": ("Bandcijfer", "Band figure"),
    "computed_figure": ("Ongekalibreerd", "Uncalibrated"),
    "deviation_pp": ("Afwijking (%-punt)", "Deviation (pp)"),
    "intercept": ("Intercept (logit)", "Intercept (logit)"),
    "calibration_note": ("Zonder kalibratie zou de combinatie bij onafhankelijkheid naast het bandcijfer uitkomen (factoren "
                         "hangen samen; een niveau zonder cijfer, zoals middelbaar opgeleid, verschuift niets). Het "
                         "intercept wordt bij de logit van elk segment opgeteld: de verschillen tussen de niveaus blijven, "
                         "alleen het niveau verschuift.",
                         "Without calibration the combination assuming independence would miss the band figure (factors "
                         "go together; a level without a figure, such as intermediate education, shifts nothing). The "
                         "intercept is added to every segment's logit: the contrasts between levels stay, only the level "
                         "moves."),
    # batch
    "batch_report_title": ("Rapport eenzaam batch", "eenzaam batch report"),
    "batch_accounting": ("{file}: {read} rijen gelezen = {written} geschreven + {rejected} afgewezen.",
                         "{file}: {read} rows read = {written} written + {rejected} rejected."),
    "batch_per_tier": ("Rijen per preventieniveau", "Rows per prevention tier"),
    "batch_per_band": ("Rijen per leeftijdsband", "Rows per age band"),
    "batch_without_band": ("Rijen zonder leeftijdsband (in geen aandeel geteld)",
                           "Rows without an age band (counted in no share)"),
    "age_unknown": ("Leeftijd onbekend", "Age unknown"),
    # the columns of a file, as recognised
    "recognised": ("{file}: herkend: {parts}", "{file}: recognised: {parts}"),
    "recognised_keys": ("persoonssleutels {columns}", "person keys {columns}"),
    "recognised_items": ("De Jong Gierveld-items {columns}", "De Jong Gierveld items {columns}"),
    "recognised_weight": ("gewicht {column}", "weight {column}"),
    "recognised_area": ("gebied {column}", "area {column}"),
    "recognised_count": ("aantal {column}", "count {column}"),
    "recognised_passed": ("doorgegeven {columns}", "passed through {columns}"),
    "recognised_none": ("geen", "none"),
    "outside_bands": ("Buiten de banden van de monitor", "Outside the monitor's bands"),
    "batch_prevalence": ("{measure} naar leeftijdsband, uit de De Jong Gierveld-scores",
                         "{measure} by age band, from the De Jong Gierveld scores"),
    "batch_chart": ("{measure}: dit bestand tegenover de monitortabel {table}",
                    "{measure}: this file against the monitor table {table}"),
    "batch_per_area": ("Rijen per {column} en leeftijdsband, met de preventieniveaus",
                       "Rows per {column} and age band, with the prevention tiers"),
    "batch_area_prevalence": ("{measure} per {column} en leeftijdsband, uit de De Jong Gierveld-scores",
                              "{measure} per {column} and age band, from the De Jong Gierveld scores"),
    "effective_n": ("n effectief (Kish)", "effective n (Kish)"),
    "share_wilson": ("Aandeel (95%-BI, Wilson)", "Share (95% CI, Wilson)"),
    "national": ("Landelijk {year}", "National {year}"),
    "with_table": ("{title}: monitortabel {table}", "{title}: monitor table {table}"),
    "batch_report_method": ("Aandelen uit de indicatoren van de De Jong Gierveld-schaal (djg.yaml), per leeftijdsband, "
                            "met een Wilson-interval; met --gewicht gewogen, met de effectieve steekproefomvang van Kish "
                            "(Σw)²/Σw². Rijen met een onbepaalde indicator tellen niet mee. {table}: de monitortabel in "
                            "gebruik.",
                            "Shares from the De Jong Gierveld scale's indicators (djg.yaml), per age band, with a Wilson "
                            "interval; with --gewicht weighted, using Kish's effective sample size (Σw)²/Σw². Rows with an "
                            "undetermined indicator are left out. {table}: the monitor table in use."),
    "batch_report_caption": ("De gestapelde cijfers per rij zijn indicatieve groepsinformatie, geen gevalideerde voorspelling "
                             "voor een persoon.",
                             "The stacked figures per row are indicative group information, not a validated prediction "
                             "for a person."),
    # trainer mode (eenzaam stapel, prevalentie --grafiek)
    "stack_title": ("Risicostapeling stap voor stap", "Risk stacking step by step"),
    "group_figure": ("Groepscijfer", "Group figure"),
    "step_age": ("Leeftijd: {age} jaar", "Age: {age}"),
    "start_band": ("startpunt: leeftijdsband {band}", "start: age band {band}"),
    "after_short": ("Na deze stap", "After step"),
    "no_start": ("geen startpunt: de Gezondheidsmonitor begint bij {low} jaar, dus er valt niets te stapelen",
                 "no starting point: the Health Monitor starts at {low}, so there is nothing to stack"),
    "risk_group": ("risicofactor: {level}", "risk factor: {level}"),
    "qualitative_step": ("geen cijfer (kwalitatief, {direction})", "no figure (qualitative, {direction})"),
    "why_no_start": ("niet gestapeld: geen startpunt", "not stacked: no starting point"),
    "why_overlap": ("overlapt deels met {factors} ({paragraph}), telt voor {share}%",
                    "partly overlaps with {factors} ({paragraph}), counts at {share}%"),
    "why_niet_vergelijkbaar": ("ander onderzoek of jaar dan het bevolkingscijfer, niet gestapeld",
                               "another survey or year than the population figure, not stacked"),
    "why_replaces_start": ("vervangt de leeftijdsband als startpunt", "replaces the age band as the starting point"),
    "why_less_specific": ("ruimer cijfer, niet gestapeld", "broader figure, not stacked"),
    "why_other_measure": ("andere maat, niet gestapeld", "another measure, not stacked"),
    "why_geen_grondslag": ("vergelijkingsgroep, niet gestapeld", "a comparison group, not stacked"),
    "why_uiterste_waarde": ("0% of 100%, niet gestapeld", "0% or 100%, not stacked"),
    "why_startpunt": ("zit al in het startpunt", "already in the starting point"),
    "bar_eenzaam": ("eenzaam", "lonely"),
    "bar_ernstig": ("ernstig", "severe"),
    "illustration": ("Een illustratie, geen echt persoon.", "An illustration, not a real person."),
    "source_words": ("(bron: '{text}')", "(source: '{text}')"),
    # the slide of `eenzaam stapel` (short forms: a column of a slide is narrow)
    "short_why_niet_vergelijkbaar": ("niet gestapeld: ander onderzoek of jaar", "not stacked: another survey or year"),
    "short_why_overlap": ("telt voor {share}%: overlap ({paragraph})", "counts at {share}%: overlap ({paragraph})"),
    "slide_outcome": ("Uitkomst na {n} stappen", "Outcome after {n} steps"),
    "slide_outcome_title": ("Uitkomst en noten", "Outcome and notes"),
    "slide_tier": ("Niveau {number}", "Tier {number}"),
    "slide_illustration": ("Groepscijfers gestapeld: een illustratie, geen voorspelling voor deze persoon",
                           "Group figures stacked: an illustration, not a prediction for this person"),
    "slide_no_start": ("geen startpunt: de Gezondheidsmonitor begint bij {low} jaar",
                       "no starting point: the Health Monitor starts at {low}"),
    "slide_highest": ("hoogste groepscijfer {value}", "highest group figure {value}"),
    "slide_method": ("Een rekenvoorbeeld dat onafhankelijkheid aanneemt: het overschat als factoren samenhangen.",
                     "A worked example that assumes independence: it overstates when factors go together."),
    "slide_more": ("Alle noten en bronnen: --html.", "All notes and sources: --html."),
    "stack_outcome": ("Uitkomst na stap {n}: {reason}", "Outcome after step {n}: {reason}"),
    "stack_method": ("Elke stap is een tussenstand van dezelfde stapeling als `eenzaam profiel` (docs/methode.md); een "
                     "factor zonder gestapeld cijfer verschuift niets. Een rekenvoorbeeld dat onafhankelijkheid aanneemt, "
                     "geen cijfer voor een persoon; het overschat als factoren samenhangen.",
                     "Each step is an intermediate result of the same stacking as `eenzaam profiel` (docs/methode.md); a "
                     "factor without a stacked figure shifts nothing. A worked example that assumes independence, not a "
                     "figure for a person; it overstates when factors go together."),
    "example": ("Voorbeeld", "Example"),
    "description": ("Beschrijving", "Description"),
    "examples_title": ("Voorbeelden voor trainers", "Examples for trainers"),
    "examples_note": ("Illustraties, geen echte mensen: elk voorbeeld combineert risicofactoren uit de brontekst.",
                      "Illustrations, not real people: each example combines risk factors from the source."),
    "examples_run": ("Start er een met `eenzaam stapel --voorbeeld ID`; stap voor stap met --interactief.",
                     "Run one with `eenzaam stapel --voorbeeld ID`; step by step with --interactief."),
    "step_prompt": ("Stap {step} van {total} · Enter of spatie: volgende · ←: terug · q: stoppen",
                    "Step {step} of {total} · Enter or space: next · ←: back · q: stop"),
    "outcome_prompt": ("Alle {total} stappen getoond · Enter of spatie: de uitkomst · ←: terug · q: stoppen",
                       "All {total} steps shown · Enter or space: the outcome · ←: back · q: stop"),
    "prevalence_chart_title": ("Eenzaamheid naar leeftijd (%), als grafiek", "Loneliness by age (%), as a chart"),
    "chart_scale": ("Alle balken op één schaal: {width} tekens = {top}%. Afbeelding 3 van de brontekst.",
                    "All bars on one scale: {width} characters = {top}%. Figure 3 of the source."),
    "chart_scale_years": ("Alle balken op één schaal: {width} tekens = {top}%.",
                          "All bars on one scale: {width} characters = {top}%."),
    "band_range": ("{low}-{high} jaar", "{low}-{high} years"),
    "written": ("geschreven: {path}", "written: {path}"),
    "band_over": ("{low}+ jaar", "{low}+ years"),
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
    # monitor years (--jaar, prevalentie --vergelijk)
    "monitor_year_line": ("Monitortabel van {year}; ook beschikbaar: {others} (kies met --jaar).",
                          "Monitor table of {year}; also available: {others} (choose with --jaar)."),
    "years_title": ("{measure} naar leeftijd: {first} en {second} (%)", "{measure} by age: {first} and {second} (%)"),
    "difference_pp": ("Verschil (pp)", "Difference (pp)"),
    "difference_note": ("Verschil: {second} min {first}, in procentpunten (pp), voor banden met dezelfde leeftijden in "
                        "beide tabellen.",
                        "Difference: {second} minus {first}, in percentage points (pp), for bands with the same ages in "
                        "both tables."),
    "bands_differ": ("Niet in beide tabellen: {bands}; daar staat geen verschil ({first} en {second} hebben andere "
                     "leeftijdsbanden).",
                     "Not in both tables: {bands}; no difference there ({first} and {second} have other age bands)."),
    "different_sources": ("De tabellen komen uit verschillende bronnen ({sources}): een verschil kan ook komen door "
                          "gebied, steekproef of meetwijze.",
                          "The tables come from different sources ({sources}): a difference may also come from the "
                          "area, the sample or the method."),
    "whole_table": ("Alle leeftijden (uit de tabel)", "All ages (from the table)"),
    "usage_needs_values": ("{option}: verwacht {n} waarden", "{option}: needs {n} values"),
    # how a run can end (cli/usage.py): one line on stderr each
    "usage_bad_value": ("{name}: {value} is ongeldig (toegestaan: {allowed})", "{name}: {value} is invalid (allowed: {allowed})"),
    "usage_bad": ("{name}: {message}", "{name}: {message}"),
    "usage_missing": ("{name} ontbreekt (zie {command} --help)", "{name} is missing (see {command} --help)"),
    "usage_unknown_option": ("{option}: onbekende optie van {command} (toegestaan: {allowed})",
                             "{option}: unknown option of {command} (allowed: {allowed})"),
    "usage_did_you_mean": ("{option}: onbekende optie van {command}; bedoelt u {suggestion}? (toegestaan: {allowed})",
                           "{option}: unknown option of {command}; did you mean {suggestion}? (allowed: {allowed})"),
    "usage_needs_value": ("{option}: verwacht een waarde", "{option}: needs a value"),
    "usage_takes_no_value": ("{option}: neemt geen waarde", "{option}: takes no value"),
    "usage_unknown_command": ("onbekende opdracht {name} (toegestaan: {allowed})", "unknown command {name} (allowed: {allowed})"),
    "usage_missing_command": ("geef een opdracht na {command} (toegestaan: {allowed})",
                              "name a command after {command} (allowed: {allowed})"),
    "usage_extra": ("onverwacht argument {arguments} (zie {command} --help)",
                    "unexpected argument {arguments} (see {command} --help)"),
    "write_failed": ("kan niet schrijven naar {target}: {reason}", "cannot write to {target}: {reason}"),
    "standard_output": ("standaarduitvoer", "standard output"),
    "disk_full": ("de schijf is vol", "no space left on device"),
    "quota": ("het schijfquotum is bereikt", "disk quota exceeded"),
    "too_large": ("het bestand wordt te groot", "file too large"),
    "io_error": ("invoer-/uitvoerfout", "input/output error"),
    "no_folder": ("de map bestaat niet", "no such folder"),
    "not_a_folder": ("een deel van het pad is geen map", "a part of the path is not a folder"),
    "no_permission": ("geen schrijfrechten", "permission denied"),
    "name_too_long": ("de naam is te lang", "file name too long"),
    "is_a_folder": ("het is een map", "it is a folder"),
    "no_reader": ("er leest niemand (een FIFO, socket of pijp zonder lezer)",
                  "nobody reads it (a FIFO, socket or pipe without a reader)"),
    "too_many_links": ("te veel symbolische links", "too many symbolic links"),
    "internal_error": ("interne fout ({error}); draai opnieuw met --debug voor de details",
                       "internal error ({error}); run again with --debug for the details"),
}


def t(key: str, language: str, **values: object) -> str:
    """The word or sentence `key` in `language` ('nl' or 'en'), with values filled in."""
    nl, en = _WORDS.get(key, (key, key))
    text = en if language == "en" else nl
    return text.format(**values) if values else text


def band_label(band: Any, language: str) -> str:
    """An age band's label for people, in `language`: in Dutch the table's own label ('19-34 jaar', '85+'), in
    English made from its ages ('19-34 years', '85+ years'). `band` is anything with `label`, `min_age` and
    `max_age` (a monitor table's band, two tables' band compared); a row without ages (the whole population)
    keeps its label. Data keys and values (JSON, CSV) keep the table's label."""
    if language != "en" or band.min_age is None:
        return band.label
    if band.max_age is None:
        return t("band_over", language, low=band.min_age)
    return t("band_range", language, low=band.min_age, high=band.max_age)


def band_labels(bands: Any, language: str) -> dict[str, str]:
    """Each band's label as the data has it (a key in JSON, CSV and results) -> its label for people (`band_label`)."""
    return {band.label: band_label(band, language) for band in bands}
