"""The committee report's German messages: what the Sozialausschuss reads, keyed.

`reports.messages` pairs this catalogue with the English one (the same keys and {placeholders};
a test checks both). Plain text: the PDF builder escapes it; bold and italics come from styles.
"""

DE: dict[str, str] = {
    # cover and footer
    "cover.title": "Sozialausgaben und Bedarf in den Quartieren",
    "cover.subtitle": "Bericht an den Ausschuss",
    "cover.period": "Berichtszeitraum: {label} ({start} bis {end})",
    "cover.created": "Erstellt am {created}",
    "cover.data_as_of": "Datenstand: Buchungen bis {posting}; Sozialindikatoren: {indicator}",
    "cover.unknown": "unbekannt",
    "cover.synthetic_banner": "SYNTHETISCHE DATEN",
    "cover.synthetic_note": (
        "Dieser Bericht beruht auf erfundenen Daten einer Beispielstadt. Keine Zahl darin "
        "beschreibt eine wirkliche Stadt oder ein wirkliches Quartier."
    ),
    "footer.page": "Seite {page} von {pages}",
    # at a glance
    "section.glance": "Auf einen Blick",
    "glance.targeting_title": "Folgen die Ausgaben dem Bedarf?",
    "verdict.follows": (
        "Ja: Die Ausgaben folgen dem Bedarf. Quartiere mit höherem Bedarf erhalten je "
        "Einwohner mehr Geld."
    ),
    "verdict.does_not_follow": "Nein: Die Ausgaben folgen dem Bedarf nicht.",
    "verdict.unclear": "Unklar: Ein Zusammenhang zwischen Bedarf und Ausgaben ist nicht eindeutig.",
    "verdict.not_assessable": (
        "Ob die Ausgaben dem Bedarf folgen, lässt sich für diesen Zeitraum nicht beurteilen."
    ),
    "glance.no_targeting": (
        "Ob die Ausgaben dem Bedarf folgen, lässt sich nicht beurteilen: Für den Zeitraum liegt "
        "kein Bedarfsindex vor."
    ),
    "glance.spearman": (
        "Rangkorrelation nach Spearman zwischen Bedarfsindex und Ausgaben je Einwohner: {rho} "
        "({level}-%-Intervall {low} bis {high}). +1 hieße: je höher der Bedarf, desto mehr Geld "
        "je Einwohner; 0: kein Zusammenhang."
    ),
    "glance.spearman_missing": (
        "Die Rangkorrelation lässt sich nicht berechnen, weil Bedarf oder Ausgaben je Einwohner "
        "in allen Quartieren gleich sind."
    ),
    "glance.top_fifth": (
        "Das bedürftigste Fünftel der Bevölkerung erhält {share} der Ausgaben; bei gleichem "
        "Betrag je Einwohner wären es {reference}."
    ),
    "glance.concentration": (
        "Konzentrationsindex {index}. Negativ heißt: Die Ausgaben konzentrieren sich auf die "
        "bedürftigsten Quartiere; positiv: auf die am wenigsten bedürftigen; 0: sie verteilen "
        "sich wie die Einwohner (Spannweite −1 bis +1)."
    ),
    "glance.totals": (
        "Ausgaben im Berichtszeitraum: {total}, davon {unattributed} keinem Quartier zugeordnet."
    ),
    "glance.programs_title": "Was hat sich in den geförderten Quartieren verändert?",
    "glance.program": "{program}: {text}",
    "glance.no_programs": "Für diesen Zeitraum sind keine Programme ausgewertet.",
    "glance.cannot_say_title": "Was sich nicht sagen lässt",
    "limits.descriptive": (
        "Ob die Ausgaben wirken, sagt ihre Verteilung nicht: Die Zielgenauigkeit beschreibt nur, "
        "wohin das Geld fließt."
    ),
    "limits.parallel_trends": (
        "Die Wirkungsschätzungen vergleichen Quartiere mit und ohne Programm. Als Wirkung des "
        "Programms lassen sie sich nur unter der Annahme paralleler Trends lesen: dass sich die "
        "geförderten Quartiere ohne das Programm so entwickelt hätten wie die Vergleichsquartiere."
    ),
    "limits.few_districts": (
        "Mit {n} Quartieren sind alle Intervalle breit; kleine Wirkungen lassen sich von Zufall "
        "kaum unterscheiden."
    ),
    "limits.unattributed": (
        "{amount} sind keinem Quartier zugeordnet und fehlen in allen Vergleichen nach Quartieren."
    ),
    "limits.item": "{source}: {text}",
    "limits.targeting_source": "Zielgenauigkeit",
    # effect sentences
    "effect.fell": (
        "Der Indikator {indicator} sank in den Quartieren mit dem Programm {program} um "
        "{amount} mehr als in vergleichbaren Quartieren ohne das Programm ({level}-%-Intervall "
        "{low} bis {high})."
    ),
    "effect.rose": (
        "Der Indikator {indicator} stieg in den Quartieren mit dem Programm {program} um "
        "{amount} mehr als in vergleichbaren Quartieren ohne das Programm ({level}-%-Intervall "
        "{low} bis {high})."
    ),
    "effect.same": (
        "Der Indikator {indicator} entwickelte sich in den Quartieren mit dem Programm {program} "
        "wie in vergleichbaren Quartieren ohne das Programm ({level}-%-Intervall {low} bis "
        "{high})."
    ),
    "effect.unit_points": "{value} Prozentpunkte",
    "effect.unit_other": "{value} {unit}",
    "effect.clear": "Ein Zufallsbefund ist unwahrscheinlich ({p}).",
    "effect.weak": "Das ist ein schwacher Hinweis; Zufall lässt sich nicht ausschließen ({p}).",
    "effect.chance": "Der Unterschied kann gut zufällig sein ({p}).",
    "effect.ci_zero": "Das Intervall schließt auch „keine Wirkung“ ein.",
    "effect.no_pvalue": "Wie sicher dieser Unterschied ist, lässt sich nicht beziffern.",
    "effect.assumption": (
        "Als Wirkung des Programms lässt sich das nur unter der Annahme paralleler Trends lesen."
    ),
    "effect.no_estimate": (
        "Es liegt keine Gesamtschätzung vor, nur die Ereignisstudie auf der Seite des Programms."
    ),
    "effect.unavailable": "Keine Wirkungsschätzung. {reason}",
    "effect.no_evaluation": "Für dieses Programm liegt keine Wirkungsschätzung vor.",
    # spending per district
    "section.spending": "Ausgaben je Quartier",
    "spending.intro": (
        "Ausgaben vom {start} bis {end} nach Quartier, absolut und je Einwohner. Gezählt werden "
        "die Buchungen auf den Ausgabenkonten {accounts}."
    ),
    "spending.col_key": "Nr.",
    "spending.col_district": "Quartier",
    "spending.col_amount": "Ausgaben",
    "spending.col_population": "Einwohner",
    "spending.col_per_capita": "je Einwohner",
    "spending.col_need_class": "Bedarfsklasse",
    "spending.unattributed_row": "nicht zugeordnet",
    "spending.total_row": "Summe der Ausgaben",
    "spending.reconciliation": (
        "Abstimmung: Quartiere {districts} + nicht zugeordnet {unattributed} = Summe der "
        "Ausgaben {total} (Ausgabenkonten {accounts})."
    ),
    "spending.mismatch": (
        "Achtung: Quartiere {districts} + nicht zugeordnet {unattributed} ergeben nicht die "
        "Summe der Ausgaben {total} (Differenz {difference}). Die Zahlen dieses Berichts sind "
        "nicht abgestimmt."
    ),
    "spending.chart_caption": (
        "Links die Ausgaben je Quartier (grau: keinem Quartier zugeordnet), rechts die Ausgaben "
        "je Einwohner. Quartiere ohne Ausgaben fehlen, Quartiere ohne Einwohnerzahl fehlen rechts."
    ),
    "chart.amount_title": "Ausgaben",
    "chart.per_capita_title": "Euro je Einwohner",
    # need and spending
    "section.need": "Bedarf und Ausgaben",
    "need.intro": (
        "Bedarfsindex der Periode {period}: Mittel der standardisierten Sozialindikatoren. 0 ist "
        "der Durchschnitt der Quartiere; höhere Werte bedeuten mehr Bedarf."
    ),
    "need.no_period": "Für den Berichtszeitraum liegt kein Bedarfsindex vor.",
    "need.scatter_caption": (
        "Jeder Punkt ist ein Quartier: waagerecht der Bedarfsindex, senkrecht die Ausgaben je "
        "Einwohner. Folgen die Ausgaben dem Bedarf, steigen die Punkte nach rechts an."
    ),
    "need.not_shown": "Ohne Bedarfsindex oder Einwohnerzahl, daher nicht dargestellt: {names}.",
    "need.curve_caption": (
        "Konzentrationskurve: Quartiere vom größten zum geringsten Bedarf geordnet; waagerecht "
        "der aufsummierte Anteil an den Einwohnern, senkrecht der aufsummierte Anteil an den "
        "Ausgaben. Liegt die Kurve über der Diagonale, erhalten die bedürftigsten Quartiere mehr "
        "als ihren Anteil an den Einwohnern (Konzentrationsindex negativ)."
    ),
    "need.worsened_title": "In eine höhere Bedarfsklasse gewechselt",
    "need.worsened_item": "{name} ({key}): {before} → {after}",
    "need.none_worsened": "Kein Quartier ist in eine höhere Bedarfsklasse gewechselt.",
    "need.persistent_title": "Anhaltend hoher Bedarf",
    "need.persistent_item": (
        "{name} ({key}): seit {periods} Perioden in Folge hoher oder sehr hoher Bedarf"
    ),
    "need.none_persistent": "Kein Quartier hat anhaltend hohen Bedarf.",
    "need_class.very_high": "sehr hoch",
    "need_class.high": "hoch",
    "need_class.medium": "mittel",
    "need_class.low": "niedrig",
    "chart.need_axis": "Bedarfsindex (höher = mehr Bedarf)",
    "chart.per_capita_axis": "Euro je Einwohner",
    "chart.curve_x": "Anteil der Einwohner (bedürftigste Quartiere zuerst)",
    "chart.curve_y": "Anteil der Ausgaben",
    "chart.curve": "Konzentrationskurve",
    "chart.diagonal": "gleicher Betrag je Einwohner",
    "chart.fifth": "bedürftigstes Fünftel: {share}",
    "chart.no_class": "keine Angabe",
    # maps
    "section.maps": "Karten der Quartiere",
    "maps.caption": (
        "Links die Bedarfsklasse, rechts die Ausgaben je Einwohner im Berichtszeitraum. "
        "Grau: keine Angabe."
    ),
    "chart.map_need": "Bedarfsklasse",
    "chart.map_spending": "Euro je Einwohner",
    # programs
    "section.program": "Programm: {program}",
    "program.actual": "Ausgaben im Berichtszeitraum: {actual}.",
    "program.plan": (
        "Haushaltsansatz (Plan): {plan}; ausgegeben: {actual}, das sind {share} des Plans."
    ),
    "program.plan_zero": "Haushaltsansatz (Plan): {plan}; ausgegeben: {actual}.",
    "program.no_plan": "Für dieses Programm ist kein Haushaltsansatz hinterlegt.",
    "program.col_plan": "Plan",
    "program.col_actual": "Ist",
    "program.col_difference": "Ist − Plan",
    "program.col_share": "Anteil am Plan",
    "program.no_spending_periods": "Keine Ausgaben des Programms nach Perioden.",
    "program.effect_title": "Wirkung auf den Indikator {indicator}",
    "program.design": (
        "Methode: {method}. Geförderte Quartiere: {treated}; Vergleichsquartiere: {control}."
    ),
    "program.estimate": (
        "Geschätzter Unterschied (gefördert minus Vergleich): {estimate}; Standardfehler {se}; "
        "{level}-%-Intervall {low} bis {high}; {p}."
    ),
    "program.cohorts": "Beginn der Förderung: {cohorts}.",
    "program.cohort": "{period} ({districts})",
    "program.inference": "Berechnung der Unsicherheit: {inference}.",
    "program.method_reason": "Warum diese Methode: {reason}",
    "program.event_caption": (
        "Ereignisstudie: Unterschied zwischen geförderten und Vergleichsquartieren in den "
        "Perioden vor und nach dem Beginn (Periode 0), mit {level}-%-Intervallen. Periode −1 "
        "ist die Referenz und auf null gesetzt. Links der gestrichelten Linie, vor dem Beginn, "
        "sollten die Punkte nahe null liegen."
    ),
    "program.event_caption_short": (
        "Ereignisstudie: Unterschied zwischen geförderten und Vergleichsquartieren in den "
        "Perioden vor und nach dem Beginn (Periode 0), mit {level}-%-Intervallen. Die Werte nach "
        "dem Beginn sind gegenüber Periode −1 gemessen; vor dem Beginn vergleicht jeder Punkt "
        "eine Periode mit der vorangehenden und sollte nahe null liegen."
    ),
    "pretrend.none": (
        "Ob sich die Quartiere vor dem Beginn parallel entwickelten, ließ sich nicht prüfen."
    ),
    "pretrend.rejected": (
        "Schon vor dem Beginn entwickelten sich geförderte und Vergleichsquartiere "
        "unterschiedlich ({p}); die Annahme paralleler Trends ist zweifelhaft."
    ),
    "pretrend.passed": (
        "Vor dem Beginn zeigen sich keine deutlichen Unterschiede in der Entwicklung ({p}). Das "
        "stützt die Annahme paralleler Trends, beweist sie aber nicht: Ein solcher Test übersieht "
        "schwache Unterschiede leicht."
    ),
    "chart.points": "Prozentpunkte",
    "chart.event_x": "Perioden relativ zum Beginn",
    "chart.event_y": "Unterschied ({unit})",
    "chart.reference": "Referenz (−1)",
    "chart.start": "Beginn",
    "chart.pre": "vor dem Beginn",
    "chart.post": "nach dem Beginn",
    "program.warnings_title": "Einschränkungen",
    "program.no_warnings": "Die Auswertung meldet keine besonderen Einschränkungen.",
    "method.staggered": "Differenz-von-Differenzen nach Callaway & Sant'Anna (2021)",
    "method.twfe": "Regression mit zweifach fixen Effekten (Quartier und Periode)",
    "method.event": "Ereignisstudie mit zweifach fixen Effekten",
    "method.sdid": "synthetische Differenz-von-Differenzen (Arkhangelsky et al. 2021)",
    "inference.analytic": (
        "Standardfehler aus den Einflussfunktionen (Callaway & Sant'Anna 2021), nach Quartier "
        "geclustert, mit Korrektur für kleine Jahrgänge"
    ),
    "inference.multiplier": "Multiplikator-Bootstrap über Quartiere",
    "inference.wild": "Wild-Cluster-Bootstrap (Cameron, Gelbach & Miller 2008)",
    "inference.randomization": (
        "Randomisierungsinferenz: Die Startzeitpunkte wurden vielfach zufällig neu auf die "
        "Quartiere verteilt; der p-Wert ist der Anteil dieser Verteilungen mit einem mindestens "
        "so deutlichen Ergebnis. So hält der Test sein Fehlerniveau auch bei wenigen Quartieren "
        "genau ein"
    ),
    "inference.placebo_rank": (
        "Randomisierungsinferenz mit Placebo-Rängen: Die Förderung wurde rechnerisch auf nie "
        "geförderte Quartiere übertragen; der p-Wert ist der Rang des echten Ergebnisses unter "
        "diesen Placebo-Ergebnissen"
    ),
    "inference.placebo": (
        "Placebo-Verfahren: Nie geförderte Quartiere wurden zufällig als gefördert behandelt "
        "(Arkhangelsky et al. 2021)"
    ),
    "inference.jackknife": "Jackknife: jedes Quartier einmal weggelassen",
    "inference.bootstrap": "Bootstrap über Quartiere",
    "reason.auto_staggered": (
        "{n} geförderte Quartiere (mindestens 3), daher Callaway & Sant'Anna (2021)."
    ),
    "reason.auto_sdid": (
        "Nur {n} geförderte(s) Quartier(e) ({districts}), daher synthetische "
        "Differenz-von-Differenzen mit Placebo-Verfahren: Bei ein oder zwei geförderten "
        "Quartieren sind die üblichen Standardfehler unzuverlässig."
    ),
    "reason.no_treated": (
        "Kein gefördertes Quartier hat Werte sowohl vor als auch nach dem Beginn der Förderung."
    ),
    "reason.treated_from_start": (
        "Alle geförderten Quartiere sind es schon in der ersten Periode; es gibt keine "
        "Vorher-nachher-Vergleiche."
    ),
    # caveats of the statistics (see plain_caveat)
    "caveat.few_treated_clusters": (
        "Sehr wenige geförderte Quartiere ({n}): Standardfehler und selbst Bootstrap-p-Werte "
        "können dann deutlich falsch sein (MacKinnon & Webb 2017)."
    ),
    "caveat.few_control_clusters": (
        "Sehr wenige Vergleichsquartiere ({n}): zu wenige für verlässliche Standardfehler."
    ),
    "caveat.few_clusters": (
        "Nur {n} Quartiere insgesamt: Übliche p-Werte sind bei so wenigen zu klein; verlässlicher "
        "ist der Wild-Cluster-Bootstrap."
    ),
    "caveat.no_never_treated": (
        "Kein Quartier bleibt durchgehend ohne Maßnahme; verglichen wird mit später geförderten "
        "Quartieren, was sich aufbauende Wirkungen verzerren kann."
    ),
    "caveat.staggered_twfe": (
        "Die Quartiere begannen zu verschiedenen Zeitpunkten ({starts}); die einfache Regression "
        "mit fixen Effekten kann dann verzerrt sein, bis hin zum falschen Vorzeichen."
    ),
    "caveat.dose": (
        "Die Maßnahme ist eine Dosis (etwa Euro je Einwohner), kein Ja oder Nein; als Wirkung "
        "lässt sich das nur unter einer strengeren Trendannahme lesen."
    ),
    "caveat.staggered_event": (
        "Die Quartiere begannen zu verschiedenen Zeitpunkten; die Werte der Ereignisstudie "
        "mischen dann Startjahrgänge und können Wirkungen anderer Perioden enthalten."
    ),
    "caveat.collinear_event": (
        "Die Perioden {periods} relativ zum Beginn lassen sich nicht von den Periodeneffekten "
        "trennen und fehlen in der Ereignisstudie."
    ),
    "caveat.switches_off": (
        "In {n} Quartier(en) endet die Maßnahme wieder; die Methode nimmt an, dass eine "
        "begonnene Maßnahme weiterläuft."
    ),
    "caveat.classical_errors": (
        "Die Standardfehler behandeln die Perioden eines Quartiers als unabhängig; die "
        "Unsicherheit ist daher unterschätzt."
    ),
    "caveat.pretrend_rejected": (
        "Schon vor dem Beginn entwickelten sich geförderte und Vergleichsquartiere "
        "unterschiedlich ({p}); die Annahme paralleler Trends ist zweifelhaft."
    ),
    "caveat.no_pretrend_test": (
        "Für die Zeit vor dem Beginn ließ sich nichts schätzen; parallele Trends sind ungeprüft."
    ),
    "caveat.pretrend_collinear": (
        "Ein gemeinsamer Test der Perioden vor dem Beginn war nicht möglich, weil ihre "
        "Schätzungen voneinander abhängen; parallele Trends sind nicht förmlich geprüft."
    ),
    "caveat.few_pre_periods": (
        "Für manche Startjahrgänge gibt es weniger als {n} Perioden vor dem Beginn: zu wenig "
        "Vorgeschichte, um parallele Trends zu prüfen."
    ),
    "caveat.regression_to_mean": (
        "Die ab {cohort} geförderten Quartiere lagen kurz vor dem Beginn deutlich vom "
        "Durchschnitt entfernt. Quartiere, die ausgewählt werden, weil sie am schlechtesten "
        "dastehen, nähern sich oft von selbst wieder dem Mittel (Regression zur Mitte); die "
        "Schätzung würde das dem Programm zuschreiben."
    ),
    "caveat.ashenfelter_dip": (
        "Die ab {cohort} geförderten Quartiere entwickelten sich kurz vor dem Beginn "
        "ungewöhnlich. Ein solcher Ausschlag bildet sich oft von selbst zurück, was die "
        "Schätzung dem Programm zuschreiben würde."
    ),
    "caveat.few_treated_units": (
        "Sehr wenige geförderte Quartiere ({n}): Standardfehler und Intervalle sind bei so "
        "wenigen unzuverlässig."
    ),
    "caveat.few_never_treated": (
        "Sehr wenige nie geförderte Vergleichsquartiere ({n}): Standardfehler und Intervalle "
        "sind unzuverlässig."
    ),
    "caveat.small_cohorts": (
        "Startjahrgänge mit weniger als {n} Quartieren ({cohorts}): Ihre Schätzungen beruhen "
        "auf sehr wenigen Quartieren; die Standardfehler sind für so kleine Jahrgänge "
        "korrigiert, bleiben aber Näherungen."
    ),
    "caveat.thin_comparison": (
        "In einzelnen Perioden gibt es weniger als {n} noch nicht geförderte Vergleichsquartiere."
    ),
    "caveat.poor_fit": (
        "Vor dem Beginn bildet der synthetische Vergleich die geförderten Quartiere schlecht "
        "nach; die Schätzung beruht auf einer Extrapolation und kann verzerrt sein."
    ),
    "caveat.few_donors": (
        "Nur {n} Quartiere ohne Maßnahme stehen zum Vergleich zur Verfügung; die "
        "Placebo-Verteilung ist grob, und das 5-%-Niveau ist nicht erreichbar."
    ),
    "caveat.missing_outcome": "{n} fehlende Werte des Indikators blieben unberücksichtigt.",
    "caveat.missing_other": "{n} weitere Zeilen mit fehlenden Angaben blieben unberücksichtigt.",
    "caveat.singletons": (
        "{n} Zeilen nur einmal beobachteter Quartiere oder Perioden blieben unberücksichtigt; "
        "sie sagen nichts über die Wirkung."
    ),
    "caveat.incomplete_units": (
        "{n} Quartier(e) ohne Werte in allen Perioden blieben unberücksichtigt."
    ),
    "caveat.se_undefined": (
        "Bei nur einem geförderten Quartier (je Startjahrgang) ist dieser Standardfehler nicht "
        "definiert; maßgeblich ist das Placebo-Verfahren."
    ),
    "caveat.few_treated_resampling": (
        "Sehr wenige geförderte Quartiere ({n}): Dieses Verfahren braucht viele geförderte "
        "Quartiere; verlässlicher ist das Placebo-Verfahren."
    ),
    "caveat.placebo_impossible": (
        "Es gibt weniger nie geförderte als geförderte Quartiere; ein Placebo-Standardfehler "
        "lässt sich nicht berechnen."
    ),
    "caveat.few_districts_targeting": (
        "Nur {n} Quartiere: Das Intervall der Rangkorrelation ist breit, das Urteil beruht auf "
        "wenig Information."
    ),
    "caveat.bootstrap_no_spread": (
        "{k} von {n} Bootstrap-Ziehungen hatten keine Streuung und blieben unberücksichtigt."
    ),
    # method notes
    "caveat.wide_band": (
        "Die gleichmäßigen Konfidenzbänder sind unzuverlässig: zu wenige Quartiere je "
        "Startjahrgang oder zu wenig Streuung."
    ),
    "caveat.balanced": (
        "{n} Zeilen blieben unberücksichtigt, weil nicht jedes Quartier in allen Perioden "
        "Werte hat."
    ),
    "caveat.late_start": (
        "{n} Quartier(e), deren Förderung erst nach der letzten Periode beginnt, zählen als nie "
        "gefördert."
    ),
    "caveat.last_cohort_control": (
        "Kein Quartier bleibt ohne Förderung: Der letzte Startjahrgang dient nur als Vergleich, "
        "und die Perioden ab seinem Beginn fehlen."
    ),
    "caveat.treated_first_period": (
        "{n} Quartier(e), die schon in der ersten Periode gefördert wurden, blieben "
        "unberücksichtigt: Es gibt keine Zeit vor der Förderung zum Vergleich."
    ),
    "caveat.covariates_dropped": (
        "Einzelne Kontrollvariablen ändern sich innerhalb der Quartiere nicht und blieben "
        "unberücksichtigt."
    ),
    "caveat.short_history": (
        "{n} geförderte(s) Quartier(e) mit weniger als {k} Perioden vor dem Beginn blieben "
        "unberücksichtigt: zu wenig Vorgeschichte für einen Vergleich."
    ),
    "reason.no_never_treated": (
        "Es gibt keine nie geförderten Vergleichsquartiere, mit denen sich vergleichen ließe."
    ),
    # the gist of each kind of caveat, for "Was sich nicht sagen lässt"
    "limits.grouped": "{text} Betrifft: {sources}.",
    "gist.few_treated": (
        "Sehr wenige geförderte Quartiere: Standardfehler und Intervalle sind unsicher."
    ),
    "gist.few_controls": "Wenige Vergleichsquartiere: Standardfehler und Intervalle sind unsicher.",
    "gist.few_clusters": "Wenige Quartiere insgesamt: Übliche p-Werte fallen zu klein aus.",
    "gist.no_never_treated": (
        "Nicht jedes Programm hat Quartiere, die nie gefördert wurden; verglichen wird mit "
        "später geförderten."
    ),
    "gist.staggered": (
        "Unterschiedliche Startzeitpunkte können einfache Schätzungen verzerren oder mischen."
    ),
    "gist.dose": (
        "Die Förderung ist eine Dosis; als Wirkung nur unter einer strengeren Annahme lesbar."
    ),
    "gist.switches_off": "In einzelnen Quartieren endet die Förderung wieder.",
    "gist.classical_errors": "Die Unsicherheit ist unterschätzt.",
    "gist.pretrend_rejected": (
        "Schon vor dem Beginn entwickelten sich geförderte und Vergleichsquartiere "
        "unterschiedlich; die Annahme paralleler Trends ist zweifelhaft."
    ),
    "gist.pretrend_untested": "Ob die Trends vor dem Beginn parallel waren, ist kaum prüfbar.",
    "gist.regression_to_mean": (
        "Geförderte Quartiere standen kurz vor dem Beginn besonders schlecht da oder "
        "entwickelten sich ungewöhnlich; ein Teil der Veränderung kann Regression zur Mitte sein."
    ),
    "gist.small_cohorts": (
        "Einzelne Startjahrgänge oder Vergleichsgruppen umfassen sehr wenige Quartiere; ihre "
        "Unsicherheit lässt sich nur näherungsweise angeben."
    ),
    "gist.synthetic_fit": (
        "Der synthetische Vergleich bildet die geförderten Quartiere vor dem Beginn schlecht "
        "nach; die Schätzung kann verzerrt sein."
    ),
    "gist.few_donors": ("Zu wenige Quartiere ohne Förderung für ein genaues Placebo-Verfahren."),
    "gist.missing_data": "Einzelne Werte, Perioden oder Quartiere fehlen in der Auswertung.",
    "gist.few_districts": (
        "Bei so wenigen Quartieren ist das Intervall der Rangkorrelation breit."
    ),
    "gist.bootstrap": "Einzelne Bootstrap-Ziehungen ohne Streuung blieben unberücksichtigt.",
    "section.methods": "Methodische Hinweise",
    "methods.need_title": "Bedarfsindex",
    "methods.need": (
        "Für jeden Sozialindikator (etwa SGB-II-Quote oder Kinderarmut) wird gemessen, wie weit "
        "ein Quartier vom Durchschnitt aller Quartiere entfernt liegt, in Standardabweichungen. "
        "Der Bedarfsindex ist das Mittel dieser Abstände; höher heißt mehr Bedarf. Die Klassen "
        "folgen dem Monitoring Soziale Stadtentwicklung Berlin: sehr hoch ab 1,5 "
        "Standardabweichungen über dem Mittel, hoch ab 1,0, niedrig ab 1,0 darunter, sonst "
        "mittel. Sehr kleine Quartiere und Quartiere mit fehlenden Werten werden nicht "
        "ausgewiesen."
    ),
    "methods.targeting_title": "Zielgenauigkeit",
    "methods.targeting": (
        "Die Rangkorrelation nach Spearman misst, ob Quartiere mit höherem Bedarf je Einwohner "
        "mehr Geld erhalten; ihr Intervall stammt aus einem Bootstrap über die Quartiere. Die "
        "Konzentrationskurve ordnet die Quartiere vom größten zum geringsten Bedarf und zeigt, "
        "welcher Anteil der Ausgaben auf welchen Anteil der Einwohner entfällt. Der "
        "Konzentrationsindex ist die doppelte Fläche zwischen Diagonale und Kurve: negativ, wenn "
        "die Ausgaben bei den Bedürftigsten liegen, positiv, wenn bei den am wenigsten "
        "Bedürftigen. All das beschreibt die Verteilung, nicht die Wirkung."
    ),
    "methods.did_title": "Wirkung: Differenz-von-Differenzen",
    "methods.did": (
        "Verglichen wird, wie sich ein Indikator in Quartieren mit einer Maßnahme vor und nach "
        "deren Beginn verändert hat, mit der Veränderung in vergleichbaren Quartieren ohne die "
        "Maßnahme. Der Unterschied dieser Veränderungen ist nur dann die Wirkung der Maßnahme, "
        "wenn sich beide Gruppen ohne die Maßnahme parallel entwickelt hätten (Annahme "
        "paralleler Trends). Diese Annahme lässt sich nicht beweisen; die Entwicklung vor dem "
        "Beginn, in der Ereignisstudie links der gestrichelten Linie, ist ein Hinweis."
    ),
    "methods.cs_title": "Unterschiedliche Startzeitpunkte: Callaway & Sant'Anna",
    "methods.cs": (
        "Beginnen Quartiere zu verschiedenen Zeitpunkten, ist die übliche Regression mit fixen "
        "Effekten verzerrt, weil sie bereits geförderte Quartiere als Vergleich nutzt. Deshalb "
        "wird jeder Startjahrgang in jeder Periode getrennt mit nie geförderten Quartieren "
        "verglichen und erst dann gemittelt (Callaway & Sant'Anna 2021; Überblick bei Roth et "
        "al. 2023). Bei nur ein oder zwei geförderten Quartieren ist die synthetische "
        "Differenz-von-Differenzen-Methode vorgesehen, die aus den übrigen Quartieren einen "
        "gewichteten Vergleich bildet (Arkhangelsky et al. 2021)."
    ),
    "methods.inference_title": "Unsicherheit bei wenigen Quartieren",
    "methods.inference": (
        "Eine Stadt hat nur 15 bis 40 Quartiere. Übliche Standardfehler sind dann zu klein; "
        "verlässlicher sind der Wild-Cluster-Bootstrap (Cameron, Gelbach & Miller 2008) und "
        "Verfahren, die die Förderung zufällig neu verteilen. Bei sehr wenigen geförderten "
        "Quartieren versagen auch diese (MacKinnon & Webb 2017). Beim Vergleich von "
        "Startjahrgängen wird die Streuung jedes Jahrgangs so geschätzt, dass auch Jahrgänge "
        "von zwei oder drei Quartieren sie nicht unterschätzen (Welch-Korrektur); in einer "
        "Simulation mit 12 Quartieren senkt das den Anteil falscher Befunde von 10 % auf gut "
        "6 % (Soll: 5 %). Das 95-%-Intervall gibt den Bereich an, der mit den Daten vereinbar "
        "ist; schließt es null ein, ist auch „keine "
        "Wirkung“ mit den Daten vereinbar."
    ),
    "methods.limits_title": "Grenzen",
    "methods.limit_regression": (
        "Regression zur Mitte: Quartiere werden gefördert, weil sie gerade am schlechtesten "
        "dastehen, und nähern sich danach oft von selbst wieder dem Durchschnitt."
    ),
    "methods.limit_takeup": (
        "Inanspruchnahme: Gute Beratung kann dazu führen, dass mehr Menschen ihnen zustehende "
        "Leistungen beantragen. Ein an Leistungsbezug gemessener Indikator verschlechtert sich "
        "dann zunächst, obwohl die Maßnahme wirkt."
    ),
    "methods.limit_moving": (
        "Zu- und Fortzüge: Ziehen Menschen in ein Quartier oder aus ihm fort, ändert sich sein "
        "Durchschnitt, ohne dass sich für die Bewohner etwas verändert hat."
    ),
    "methods.limit_definitions": (
        "Indikatoren und Quartiersgrenzen können sich zwischen den Erhebungen ändern; Bedarf ist "
        "dauerhaft, Wirkungen sind im Vergleich zum Rauschen meist klein."
    ),
    "methods.literature_title": "Literatur",
    # provenance and changes
    "section.provenance": "Anhang: Herkunft der Daten",
    "provenance.intro": (
        "Jede Zahl dieses Berichts lässt sich auf die importierten Dateien zurückführen. Die "
        "Prüfsumme (SHA-256) weist nach, dass eine Datei unverändert ist."
    ),
    "provenance.col_batch": "Nr.",
    "provenance.col_file": "Datei",
    "provenance.col_rows": "Zeilen",
    "provenance.col_imported": "übernommen",
    "provenance.col_corrections": "Korrekturen",
    "provenance.col_status": "Status",
    "provenance.no_batches": "Es wurden keine Dateien importiert.",
    "provenance.catalog": "Version des Maßnahmenkatalogs: {version}",
    "provenance.no_catalog": "Version des Maßnahmenkatalogs: keine",
    "provenance.ledger_head": "Kopf der Prüfkette des Buchungsbestands (verify):",
    "provenance.software": "Softwareversion: {version}",
    "provenance.settings": "Prüfsumme der Einstellungen:",
    "status.imported": "importiert",
    "status.partial": "teilweise importiert",
    "status.unchanged": "unverändert",
    "section.changes": "Was sich seit dem letzten Bericht geändert hat",
    "changes.new_postings": "Neue Buchungen: {n}",
    "changes.corrections": "Korrigierte Buchungen: {n}",
    "changes.new_measures": "Neue Maßnahmen: {measures}",
    "changes.no_new_measures": "Neue Maßnahmen: keine",
    "changes.revised_indicators": "Neu eingelesene oder geänderte Indikatorwerte: {n}",
    "changes.first_report": "Dies ist der erste Bericht; gezählt wird alles bisher Erfasste.",
    # why a section is empty
    "glance.no_targeting_because": (
        "Ob die Ausgaben dem Bedarf folgen, lässt sich nicht beurteilen: {reason}"
    ),
    "glance.no_programs_because": "Es werden keine Programme ausgewertet: {reason}",
    "missing.no_indicators": (
        "Es sind keine Sozialindikatoren importiert (budget-monitor import indicators)."
    ),
    "missing.no_need_values": (
        "Für die Indikatoren des Bedarfsindex ({indicators}) sind keine Werte importiert."
    ),
    "missing.after_period": (
        "Werte der Indikatoren des Bedarfsindex ({indicators}) liegen erst für spätere "
        "Perioden vor."
    ),
    "missing.all_suppressed": (
        "Kein Quartier hat einen Bedarfsindex: Alle haben zu wenige Einwohner oder fehlende Werte."
    ),
    "missing.no_catalog": (
        "Es ist kein Maßnahmenkatalog importiert; ohne ihn lassen sich Ausgaben keinem Programm "
        "zuordnen (budget-monitor import measures)."
    ),
    "missing.no_programs": "Keine Maßnahme des Katalogs ist einem Programm zugeordnet.",
    "need.unavailable": "Kein Bedarfsindex für den Berichtszeitraum. {reason}",
    "spending.no_need_classes": "Ohne Bedarfsklassen: {reason}",
    "need.zero_spending": "Ohne Ausgaben im Berichtszeitraum (Punkte bei 0 € ohne Namen): {names}.",
    "program.spending_caption_years": (
        "Ausgaben des Programms je Jahr bis zum Ende des Berichtszeitraums, auch die keinem "
        "Quartier zugeordneten."
    ),
    "reason.no_district_spending": (
        "Die Ausgaben des Programms sind keinem Quartier zugeordnet (etwa gesamtstädtische "
        "Maßnahmen); geförderte und nicht geförderte Quartiere lassen sich daher nicht vergleichen."
    ),
    "reason.no_indicator_values": "Für den Indikator {indicator} sind keine Werte importiert.",
    "reason.withheld_small": (
        "Nicht ausgewiesen (Geheimhaltung): Alle geförderten Quartiere ({districts}) haben "
        "weniger als {n} Einwohner; die Schätzung gäbe ihre Indikatorwerte preis."
    ),
    "list.and": "und",
    # disclosure control
    "disclosure.suppressed": (
        "Geheimhaltung: Für Quartiere mit weniger als {minimum} Einwohnern werden weder "
        "Bedarfsindex und Bedarfsklasse noch Indikatorwerte ausgewiesen, auch nicht in "
        "Diagrammen und Karten. Betrifft: {names}."
    ),
    "disclosure.none_small": (
        "Geheimhaltung: Werte von Quartieren mit weniger als {minimum} Einwohnern würden nicht "
        "ausgewiesen; kein Quartier ist so klein."
    ),
    "disclosure.missing": (
        "Ohne Bedarfsindex, weil die Einwohnerzahl oder ein Indikatorwert fehlt: {names}."
    ),
    "methods.disclosure_title": "Geheimhaltung",
    "methods.disclosure": (
        "Werte von Quartieren mit weniger als {minimum} Einwohnern werden nicht veröffentlicht: "
        "Sie gehen weder in den Bedarfsindex noch in die Zielgenauigkeit ein, und Tabellen, "
        "Diagramme und Karten zeigen für sie weder Bedarf noch Indikatorwerte. Eine "
        "Wirkungsschätzung, die nur solche Quartiere betrifft, wird nicht ausgewiesen. Die "
        "übliche Regel, Werte aus weniger als drei Fällen zu unterdrücken, lässt sich erst "
        "anwenden, wenn Fallzahlen je Quartier importiert werden; bisher liegen nur Quoten vor."
    ),
    # reruns and the state of the data
    "cover.rerun": (
        "Neuberechnung von Bericht Nr. {run} mit dessen Datenstand: gleiche Zahlen, nur der "
        "Erstellungszeitpunkt ist neu."
    ),
    "provenance.batch_detail": "{started} · SHA-256: {sha256}",
    "provenance.inputs": (
        "Berechnet aus den Buchungen bis Nr. {posting} (Import {batch}) und den Stammdaten bis "
        "Stammdaten-Import Nr. {master}. Mit diesem Stand rechnet budget-monitor report --rerun "
        "den Bericht nach, auch nach späteren Importen."
    ),
}
