"""The committee report's message catalogue: every sentence the committee reads, keyed.

`CATALOGUE["de"]` and `CATALOGUE["en"]` hold the same keys with the same {placeholders}
(a test checks both). Messages are plain text: the PDF builder escapes them, so a district
called "Nord & Süd" cannot break the layout, and bold or italics come from paragraph styles.
Values are formatted (numbers, money, dates) before they are put into a message.

The evaluation modules write their caveats in English (evaluation.did.warnings, targeting).
`plain_caveat` recognises the known ones by their opening words and gives their gist from this
catalogue, with the numbers they carry; a caveat it does not recognise is shown as given, so
nothing the statistics warn about is ever dropped.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from dataclasses import dataclass

from reports.formatting import LocaleFormat

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
        "Quartiere verteilt"
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

EN: dict[str, str] = {
    "cover.title": "Social spending and need in the city's districts",
    "cover.subtitle": "Report to the committee",
    "cover.period": "Reporting period: {label} ({start} to {end})",
    "cover.created": "Created {created}",
    "cover.data_as_of": "Data as of: postings up to {posting}; social indicators: {indicator}",
    "cover.unknown": "unknown",
    "cover.synthetic_banner": "SYNTHETIC DATA",
    "cover.synthetic_note": (
        "This report is based on invented data for an example city. No figure in it describes "
        "a real city or district."
    ),
    "footer.page": "Page {page} of {pages}",
    "section.glance": "At a glance",
    "glance.targeting_title": "Does spending follow need?",
    "verdict.follows": (
        "Yes: spending follows need. Districts with higher need receive more money per inhabitant."
    ),
    "verdict.does_not_follow": "No: spending does not follow need.",
    "verdict.unclear": "Unclear: there is no clear relation between need and spending.",
    "verdict.not_assessable": "Whether spending follows need cannot be assessed for this period.",
    "glance.no_targeting": (
        "Whether spending follows need cannot be assessed: there is no need index for the period."
    ),
    "glance.spearman": (
        "Spearman rank correlation between need index and spending per inhabitant: {rho} "
        "({level} % interval {low} to {high}). +1 would mean: the higher the need, the more money "
        "per inhabitant; 0: no relation."
    ),
    "glance.spearman_missing": (
        "The rank correlation cannot be computed because need or spending per inhabitant is the "
        "same in every district."
    ),
    "glance.top_fifth": (
        "The neediest fifth of the population receives {share} of the spending; with the same "
        "amount per inhabitant it would be {reference}."
    ),
    "glance.concentration": (
        "Concentration index {index}. Negative means: spending is concentrated in the neediest "
        "districts; positive: in the least needy; 0: it is spread like the population (range "
        "−1 to +1)."
    ),
    "glance.totals": "Spending in the period: {total}, of which {unattributed} is not attributed "
    "to any district.",
    "glance.programs_title": "What changed in the districts with programs?",
    "glance.program": "{program}: {text}",
    "glance.no_programs": "No programs are evaluated for this period.",
    "glance.cannot_say_title": "What cannot be said",
    "limits.descriptive": (
        "Whether the spending works is not shown by where it goes: targeting only describes "
        "where the money flows."
    ),
    "limits.parallel_trends": (
        "The effect estimates compare districts with and without a program. They can be read as "
        "the program's effect only under the assumption of parallel trends: that the districts "
        "with the program would otherwise have developed like the comparison districts."
    ),
    "limits.few_districts": (
        "With {n} districts every interval is wide; small effects can hardly be told apart "
        "from chance."
    ),
    "limits.unattributed": (
        "{amount} is not attributed to any district and is missing from every comparison "
        "between districts."
    ),
    "limits.item": "{source}: {text}",
    "limits.targeting_source": "Targeting",
    "effect.fell": (
        "The indicator {indicator} fell by {amount} more in the districts with the program "
        "{program} than in comparable districts without it ({level} % interval {low} to {high})."
    ),
    "effect.rose": (
        "The indicator {indicator} rose by {amount} more in the districts with the program "
        "{program} than in comparable districts without it ({level} % interval {low} to {high})."
    ),
    "effect.same": (
        "The indicator {indicator} developed in the districts with the program {program} as in "
        "comparable districts without it ({level} % interval {low} to {high})."
    ),
    "effect.unit_points": "{value} percentage points",
    "effect.unit_other": "{value} {unit}",
    "effect.clear": "A chance finding is unlikely ({p}).",
    "effect.weak": "This is weak evidence; chance cannot be ruled out ({p}).",
    "effect.chance": "The difference may well be chance ({p}).",
    "effect.ci_zero": "The interval also includes \u201cno effect\u201d.",
    "effect.no_pvalue": "How certain this difference is cannot be quantified.",
    "effect.assumption": (
        "It can be read as the program's effect only under the assumption of parallel trends."
    ),
    "effect.no_estimate": (
        "There is no overall estimate, only the event study on the program's page."
    ),
    "effect.unavailable": "No effect estimate. {reason}",
    "effect.no_evaluation": "There is no effect estimate for this program.",
    "section.spending": "Spending per district",
    "spending.intro": (
        "Spending from {start} to {end} by district, in total and per inhabitant. Counted are "
        "the postings on the spending accounts {accounts}."
    ),
    "spending.col_key": "Code",
    "spending.col_district": "District",
    "spending.col_amount": "Spending",
    "spending.col_population": "Inhabitants",
    "spending.col_per_capita": "per inhabitant",
    "spending.col_need_class": "Need class",
    "spending.unattributed_row": "not attributed",
    "spending.total_row": "Total spending",
    "spending.reconciliation": (
        "Reconciliation: districts {districts} + not attributed {unattributed} = total spending "
        "{total} (spending accounts {accounts})."
    ),
    "spending.mismatch": (
        "Warning: districts {districts} + not attributed {unattributed} do not add up to total "
        "spending {total} (difference {difference}). The figures of this report do not reconcile."
    ),
    "spending.chart_caption": (
        "Left, spending per district (grey: not attributed to any district); right, spending per "
        "inhabitant. Districts without spending are left out, those without a population figure "
        "are missing on the right."
    ),
    "chart.amount_title": "Spending",
    "chart.per_capita_title": "Euros per inhabitant",
    "section.need": "Need and spending",
    "need.intro": (
        "Need index of period {period}: the mean of the standardised social indicators. 0 is the "
        "districts' average; higher values mean more need."
    ),
    "need.no_period": "There is no need index for the reporting period.",
    "need.scatter_caption": (
        "Each point is a district: need index across, spending per inhabitant up. If spending "
        "follows need, the points rise to the right."
    ),
    "need.not_shown": "Without a need index or population, so not shown: {names}.",
    "need.curve_caption": (
        "Concentration curve: districts ordered from most to least need; across, the cumulative "
        "share of inhabitants, up, the cumulative share of spending. Where the curve lies above "
        "the diagonal, the neediest districts receive more than their share of inhabitants "
        "(negative concentration index)."
    ),
    "need.worsened_title": "Moved to a higher need class",
    "need.worsened_item": "{name} ({key}): {before} → {after}",
    "need.none_worsened": "No district moved to a higher need class.",
    "need.persistent_title": "Persistently high need",
    "need.persistent_item": "{name} ({key}): high or very high need for {periods} periods in a row",
    "need.none_persistent": "No district has persistently high need.",
    "need_class.very_high": "very high",
    "need_class.high": "high",
    "need_class.medium": "medium",
    "need_class.low": "low",
    "chart.need_axis": "Need index (higher = more need)",
    "chart.per_capita_axis": "Euros per inhabitant",
    "chart.curve_x": "Share of inhabitants (neediest districts first)",
    "chart.curve_y": "Share of spending",
    "chart.curve": "Concentration curve",
    "chart.diagonal": "same amount per inhabitant",
    "chart.fifth": "neediest fifth: {share}",
    "chart.no_class": "no data",
    "section.maps": "Maps of the districts",
    "maps.caption": (
        "Left, the need class; right, spending per inhabitant in the reporting period. Grey: no "
        "data."
    ),
    "chart.map_need": "Need class",
    "chart.map_spending": "Euros per inhabitant",
    "section.program": "Program: {program}",
    "program.actual": "Spending in the reporting period: {actual}.",
    "program.plan": "Budget (plan): {plan}; spent: {actual}, that is {share} of the plan.",
    "program.plan_zero": "Budget (plan): {plan}; spent: {actual}.",
    "program.no_plan": "There is no budget (plan) for this program.",
    "program.col_plan": "Plan",
    "program.col_actual": "Actual",
    "program.col_difference": "Actual − plan",
    "program.col_share": "Share of plan",
    "program.no_spending_periods": "No spending of the program by period.",
    "program.effect_title": "Effect on the indicator {indicator}",
    "program.design": (
        "Method: {method}. Districts with the program: {treated}; comparison districts: {control}."
    ),
    "program.estimate": (
        "Estimated difference (program minus comparison): {estimate}; standard error {se}; "
        "{level} % interval {low} to {high}; {p}."
    ),
    "program.cohorts": "Start of the program: {cohorts}.",
    "program.cohort": "{period} ({districts})",
    "program.inference": "Uncertainty computed by: {inference}.",
    "program.method_reason": "Why this method: {reason}",
    "program.event_caption": (
        "Event study: difference between districts with and without the program in the periods "
        "before and after the start (period 0), with {level} % intervals. Period −1 is the "
        "reference and set to zero. Left of the dashed line, before the start, the points "
        "should lie near zero."
    ),
    "program.event_caption_short": (
        "Event study: difference between districts with and without the program in the periods "
        "before and after the start (period 0), with {level} % intervals. The values after the "
        "start are measured against period −1; before the start each point compares a period "
        "with the one before and should lie near zero."
    ),
    "pretrend.none": "Whether the districts developed in parallel before the start could not be "
    "tested.",
    "pretrend.rejected": (
        "Already before the start, districts with and without the program developed "
        "differently ({p}); the parallel-trends assumption is doubtful."
    ),
    "pretrend.passed": (
        "Before the start there are no clear differences in development ({p}). This supports "
        "the parallel-trends assumption but does not prove it: such a test easily misses weak "
        "differences."
    ),
    "chart.points": "percentage points",
    "chart.event_x": "Periods relative to the start",
    "chart.event_y": "Difference ({unit})",
    "chart.reference": "reference (−1)",
    "chart.start": "start",
    "chart.pre": "before the start",
    "chart.post": "after the start",
    "program.warnings_title": "Limitations",
    "program.no_warnings": "The evaluation reports no particular limitations.",
    "method.staggered": "difference-in-differences after Callaway & Sant'Anna (2021)",
    "method.twfe": "two-way fixed effects regression (district and period)",
    "method.event": "event study with two-way fixed effects",
    "method.sdid": "synthetic difference-in-differences (Arkhangelsky et al. 2021)",
    "inference.analytic": (
        "standard errors from the influence functions (Callaway & Sant'Anna 2021), clustered "
        "by district, corrected for small cohorts"
    ),
    "inference.multiplier": "multiplier bootstrap over districts",
    "inference.wild": "wild cluster bootstrap (Cameron, Gelbach & Miller 2008)",
    "inference.randomization": (
        "randomization inference: the start dates were reassigned to districts at random many times"
    ),
    "inference.placebo": (
        "placebo method: districts never in the program were treated as if they were, at random "
        "(Arkhangelsky et al. 2021)"
    ),
    "inference.jackknife": "jackknife: each district left out once",
    "inference.bootstrap": "bootstrap over districts",
    "reason.auto_staggered": (
        "{n} districts with the program (at least 3), so Callaway & Sant'Anna (2021)."
    ),
    "reason.auto_sdid": (
        "Only {n} district(s) with the program ({districts}), so synthetic "
        "difference-in-differences with the placebo method: with one or two districts in the "
        "program the usual standard errors are unreliable."
    ),
    "reason.no_treated": (
        "No district with the program has values both before and after its start."
    ),
    "reason.treated_from_start": (
        "Every district with the program has it from the first period on; there is no "
        "before-and-after comparison."
    ),
    "caveat.few_treated_clusters": (
        "Very few districts with the program ({n}): standard errors and even bootstrap p-values "
        "can then be badly wrong (MacKinnon & Webb 2017)."
    ),
    "caveat.few_control_clusters": (
        "Very few comparison districts ({n}): too few for reliable standard errors."
    ),
    "caveat.few_clusters": (
        "Only {n} districts in all: usual p-values are too small with so few; the wild cluster "
        "bootstrap is more reliable."
    ),
    "caveat.no_never_treated": (
        "No district stays without the program throughout; the comparison uses districts that "
        "start later, which effects that build up over time can bias."
    ),
    "caveat.staggered_twfe": (
        "The districts started at different times ({starts}); the plain fixed-effects regression "
        "can then be biased, even in its sign."
    ),
    "caveat.dose": (
        "The program is a dose (such as euros per inhabitant), not yes or no; it can be read as "
        "an effect only under a stronger trend assumption."
    ),
    "caveat.staggered_event": (
        "The districts started at different times; the event-study values then mix start "
        "cohorts and can contain effects of other periods."
    ),
    "caveat.collinear_event": (
        "The periods {periods} relative to the start cannot be told apart from the period "
        "effects and are missing from the event study."
    ),
    "caveat.switches_off": (
        "In {n} district(s) the program stops again; the method assumes that a program, once "
        "started, continues."
    ),
    "caveat.classical_errors": (
        "The standard errors treat a district's periods as independent; the uncertainty is "
        "therefore understated."
    ),
    "caveat.pretrend_rejected": (
        "Already before the start, districts with and without the program developed "
        "differently ({p}); the parallel-trends assumption is doubtful."
    ),
    "caveat.no_pretrend_test": (
        "Nothing could be estimated for the time before the start; parallel trends are untested."
    ),
    "caveat.pretrend_collinear": (
        "A joint test of the periods before the start was not possible because their estimates "
        "depend on each other; parallel trends are not formally tested."
    ),
    "caveat.few_pre_periods": (
        "Some start cohorts have fewer than {n} periods before the start: too little history to "
        "check parallel trends."
    ),
    "caveat.regression_to_mean": (
        "The districts starting in {cohort} stood well away from the average just before the "
        "start. Districts chosen because they look worst often move back towards the average by "
        "themselves (regression to the mean); the estimate would credit that to the program."
    ),
    "caveat.ashenfelter_dip": (
        "The districts starting in {cohort} moved unusually just before the start. Such a swing "
        "often reverses by itself, which the estimate would credit to the program."
    ),
    "caveat.few_treated_units": (
        "Very few districts with the program ({n}): standard errors and intervals are unreliable "
        "with so few."
    ),
    "caveat.few_never_treated": (
        "Very few comparison districts that never had the program ({n}): standard errors and "
        "intervals are unreliable."
    ),
    "caveat.small_cohorts": (
        "Start cohorts with fewer than {n} districts ({cohorts}): their estimates rest on very "
        "few districts; the standard errors are corrected for such small cohorts but remain "
        "approximate."
    ),
    "caveat.thin_comparison": (
        "In some periods there are fewer than {n} comparison districts not yet in the program."
    ),
    "caveat.poor_fit": (
        "Before the start the synthetic comparison tracks the districts with the program poorly; "
        "the estimate rests on an extrapolation and may be biased."
    ),
    "caveat.few_donors": (
        "Only {n} districts without the program are available for comparison; the placebo "
        "distribution is coarse and the 5 % level cannot be reached."
    ),
    "caveat.missing_outcome": "{n} missing values of the indicator were left out.",
    "caveat.missing_other": "{n} further rows with missing values were left out.",
    "caveat.singletons": (
        "{n} rows of districts or periods observed only once were left out; they say nothing "
        "about the effect."
    ),
    "caveat.incomplete_units": "{n} district(s) without values in every period were left out.",
    "caveat.se_undefined": (
        "With a single district in the program (per start cohort) this standard error is not "
        "defined; the placebo method is the one to use."
    ),
    "caveat.few_treated_resampling": (
        "Very few districts with the program ({n}): this method needs many; the placebo method "
        "is more reliable."
    ),
    "caveat.placebo_impossible": (
        "There are fewer districts never in the program than districts in it; a placebo "
        "standard error cannot be computed."
    ),
    "caveat.few_districts_targeting": (
        "Only {n} districts: the interval of the rank correlation is wide and the verdict rests "
        "on little information."
    ),
    "caveat.bootstrap_no_spread": ("{k} of {n} bootstrap draws had no spread and were left out."),
    "caveat.wide_band": (
        "The uniform confidence bands are unreliable: too few districts per start cohort or too "
        "little variation."
    ),
    "caveat.balanced": (
        "{n} rows were left out because not every district has values in every period."
    ),
    "caveat.late_start": (
        "{n} district(s) whose program starts only after the last period count as never in the "
        "program."
    ),
    "caveat.last_cohort_control": (
        "No district stays without the program: the last start cohort serves only as a "
        "comparison, and the periods from its start on are missing."
    ),
    "caveat.treated_first_period": (
        "{n} district(s) already in the program in the first period were left out: there is no "
        "time before the program to compare with."
    ),
    "caveat.covariates_dropped": (
        "Some control variables do not change within districts and were left out."
    ),
    "caveat.short_history": (
        "{n} district(s) in the program with fewer than {k} periods before the start were left "
        "out: too little history for a comparison."
    ),
    "reason.no_never_treated": (
        "There are no districts that were never in the program to compare with."
    ),
    "limits.grouped": "{text} Applies to: {sources}.",
    "gist.few_treated": (
        "Very few districts with the program: standard errors and intervals are uncertain."
    ),
    "gist.few_controls": "Few comparison districts: standard errors and intervals are uncertain.",
    "gist.few_clusters": "Few districts in all: usual p-values come out too small.",
    "gist.no_never_treated": (
        "Not every program has districts that were never in it; the comparison uses districts "
        "that start later."
    ),
    "gist.staggered": "Different start dates can bias or mix simple estimates.",
    "gist.dose": "The program is a dose; it reads as an effect only under a stronger assumption.",
    "gist.switches_off": "In some districts the program stops again.",
    "gist.classical_errors": "The uncertainty is understated.",
    "gist.pretrend_rejected": (
        "Already before the start, districts with and without the program developed "
        "differently; the parallel-trends assumption is doubtful."
    ),
    "gist.pretrend_untested": "Whether trends were parallel before the start can hardly be tested.",
    "gist.regression_to_mean": (
        "Districts in the program looked particularly bad or moved unusually just before the "
        "start; part of the change may be regression to the mean."
    ),
    "gist.small_cohorts": (
        "Some start cohorts or comparison groups hold very few districts; their uncertainty "
        "can only be stated approximately."
    ),
    "gist.synthetic_fit": (
        "The synthetic comparison tracks the districts with the program poorly before the "
        "start; the estimate may be biased."
    ),
    "gist.few_donors": "Too few districts without the program for a precise placebo method.",
    "gist.missing_data": "Some values, periods or districts are missing from the evaluation.",
    "gist.few_districts": "With so few districts the interval of the rank correlation is wide.",
    "gist.bootstrap": "Some bootstrap draws without spread were left out.",
    "section.methods": "Notes on method",
    "methods.need_title": "Need index",
    "methods.need": (
        "For each social indicator (such as the SGB II rate or child poverty) we measure how far "
        "a district lies from the average of all districts, in standard deviations. The need "
        "index is the mean of these distances; higher means more need. The classes follow "
        "Berlin's Monitoring Soziale Stadtentwicklung: very high from 1.5 standard deviations "
        "above the mean, high from 1.0, low from 1.0 below, medium otherwise. Very small "
        "districts and districts with missing values are not shown."
    ),
    "methods.targeting_title": "Targeting",
    "methods.targeting": (
        "Spearman's rank correlation measures whether districts with higher need receive more "
        "money per inhabitant; its interval comes from a bootstrap over districts. The "
        "concentration curve orders the districts from most to least need and shows which share "
        "of spending goes to which share of inhabitants. The concentration index is twice the "
        "area between the diagonal and the curve: negative when spending lies with the neediest, "
        "positive when with the least needy. All of this describes the distribution, not the "
        "effect."
    ),
    "methods.did_title": "Effect: difference-in-differences",
    "methods.did": (
        "We compare how an indicator changed in districts with a program from before to after "
        "its start with the change in comparable districts without it. The difference between "
        "these changes is the program's effect only if both groups would have developed in "
        "parallel without the program (parallel-trends assumption). This assumption cannot be "
        "proved; the development before the start, left of the dashed line in the event study, "
        "is a hint."
    ),
    "methods.cs_title": "Different start dates: Callaway & Sant'Anna",
    "methods.cs": (
        "When districts start at different times, the usual fixed-effects regression is biased "
        "because it uses districts already in the program as comparisons. So each start cohort "
        "is compared in each period with districts never in the program, and only then averaged "
        "(Callaway & Sant'Anna 2021; survey in Roth et al. 2023). With only one or two districts "
        "in the program, synthetic difference-in-differences is the method to use; it builds a "
        "weighted comparison from the other districts (Arkhangelsky et al. 2021)."
    ),
    "methods.inference_title": "Uncertainty with few districts",
    "methods.inference": (
        "A city has only 15 to 40 districts. Usual standard errors are then too small; the wild "
        "cluster bootstrap (Cameron, Gelbach & Miller 2008) and methods that reassign the program "
        "at random are more reliable. With very few districts in the program even these fail "
        "(MacKinnon & Webb 2017). When start cohorts are compared, each cohort's spread is "
        "estimated so that cohorts of two or three districts do not understate it (Welch "
        "correction); in a simulation with 12 districts this lowers the share of false "
        "findings from 10 % to just over 6 % (nominal: 5 %). The 95 % interval gives the range "
        "that is consistent with the "
        "data; when it includes zero, \u201cno effect\u201d is consistent with the data too."
    ),
    "methods.limits_title": "Limits",
    "methods.limit_regression": (
        "Regression to the mean: districts are chosen because they look worst just then, and "
        "often move back towards the average by themselves afterwards."
    ),
    "methods.limit_takeup": (
        "Take-up: good advice can lead more people to claim benefits they are entitled to. An "
        "indicator measured by benefit receipt then first gets worse although the program works."
    ),
    "methods.limit_moving": (
        "Moving in and out: when people move into or out of a district, its average changes "
        "without anything changing for its residents."
    ),
    "methods.limit_definitions": (
        "Indicators and district boundaries can change between waves; need is persistent, and "
        "effects are usually small against the noise."
    ),
    "methods.literature_title": "References",
    "section.provenance": "Appendix: where the data come from",
    "provenance.intro": (
        "Every figure in this report can be traced to the imported files. The checksum (SHA-256) "
        "proves that a file is unchanged."
    ),
    "provenance.col_batch": "No.",
    "provenance.col_file": "File",
    "provenance.col_rows": "Rows",
    "provenance.col_imported": "Imported",
    "provenance.col_corrections": "Corrections",
    "provenance.col_status": "Status",
    "provenance.no_batches": "No files were imported.",
    "provenance.catalog": "Version of the measure catalogue: {version}",
    "provenance.no_catalog": "Version of the measure catalogue: none",
    "provenance.ledger_head": "Head of the ledger's hash chain (verify):",
    "provenance.software": "Software version: {version}",
    "provenance.settings": "Checksum of the settings:",
    "status.imported": "imported",
    "status.partial": "partly imported",
    "status.unchanged": "unchanged",
    "section.changes": "What has changed since the last report",
    "changes.new_postings": "New postings: {n}",
    "changes.corrections": "Corrected postings: {n}",
    "changes.new_measures": "New measures: {measures}",
    "changes.no_new_measures": "New measures: none",
    "changes.revised_indicators": "Indicator values read in or changed: {n}",
    "changes.first_report": "This is the first report; everything recorded so far is counted.",
    "glance.no_targeting_because": "Whether spending follows need cannot be assessed: {reason}",
    "glance.no_programs_because": "No programs are evaluated: {reason}",
    "missing.no_indicators": (
        "No social indicators have been imported (budget-monitor import indicators)."
    ),
    "missing.no_need_values": (
        "No values have been imported for the indicators of the need index ({indicators})."
    ),
    "missing.after_period": (
        "Values of the need index's indicators ({indicators}) exist only for later periods."
    ),
    "missing.all_suppressed": (
        "No district has a need index: all have too few inhabitants or missing values."
    ),
    "missing.no_catalog": (
        "No measure catalogue has been imported; without it no spending can be assigned to a "
        "program (budget-monitor import measures)."
    ),
    "missing.no_programs": "No measure of the catalogue belongs to a program.",
    "need.unavailable": "No need index for the reporting period. {reason}",
    "spending.no_need_classes": "No need classes: {reason}",
    "need.zero_spending": "No spending in the period (points at 0 without names): {names}.",
    "program.spending_caption_years": (
        "The program's spending per year up to the end of the period, including spending not "
        "attributed to any district."
    ),
    "reason.no_district_spending": (
        "None of the program's spending is attributed to a district (city-wide measures, for "
        "example), so districts with and without the program cannot be compared."
    ),
    "reason.no_indicator_values": "No values have been imported for the indicator {indicator}.",
    "reason.withheld_small": (
        "Not shown (disclosure control): every district with the program ({districts}) has "
        "fewer than {n} inhabitants; the estimate would reveal their indicator values."
    ),
    "list.and": "and",
    "disclosure.suppressed": (
        "Disclosure control: for districts with fewer than {minimum} inhabitants neither need "
        "index and need class nor indicator values are shown, not in charts and maps either. "
        "Applies to: {names}."
    ),
    "disclosure.none_small": (
        "Disclosure control: values of districts with fewer than {minimum} inhabitants would "
        "not be shown; no district is that small."
    ),
    "disclosure.missing": (
        "Without a need index because the population or an indicator value is missing: {names}."
    ),
    "methods.disclosure_title": "Disclosure control",
    "methods.disclosure": (
        "Values of districts with fewer than {minimum} inhabitants are not published: they enter "
        "neither the need index nor the targeting, and tables, charts and maps show neither need "
        "nor indicator values for them. An effect estimate that concerns only such districts is "
        "not shown. The usual rule of suppressing values based on fewer than three cases cannot "
        "be applied until case counts per district are imported; so far only rates are."
    ),
    "cover.rerun": (
        "Recomputed from report no. {run} with its data as they stood then: the same figures, "
        "only the time of creation is new."
    ),
    "provenance.batch_detail": "{started} · SHA-256: {sha256}",
    "provenance.inputs": (
        "Computed from the postings up to no. {posting} (import {batch}) and the master data up "
        "to master import no. {master}. From this state budget-monitor report --rerun computes "
        "the report again, even after later imports."
    ),
}

CATALOGUE: dict[str, dict[str, str]] = {"de": DE, "en": EN}

# Cited in the method notes; titles are not translated.
REFERENCES: tuple[str, ...] = (
    "Arkhangelsky, D., Athey, S., Hirshberg, D. A., Imbens, G. W. & Wager, S. (2021). "
    "Synthetic Difference-in-Differences. American Economic Review 111(12), 4088–4118.",
    "Callaway, B. & Sant'Anna, P. H. C. (2021). Difference-in-Differences with multiple time "
    "periods. Journal of Econometrics 225(2), 200–230.",
    "Cameron, A. C., Gelbach, J. B. & Miller, D. L. (2008). Bootstrap-based improvements for "
    "inference with clustered errors. Review of Economics and Statistics 90(3), 414–427.",
    "MacKinnon, J. G. & Webb, M. D. (2017). Wild bootstrap inference for wildly different "
    "cluster sizes. Journal of Applied Econometrics 32(2), 233–254.",
    "Roth, J., Sant'Anna, P. H. C., Bilinski, A. & Poe, J. (2023). What's trending in "
    "difference-in-differences? A synthesis of the recent econometrics literature. Journal of "
    "Econometrics 235(2), 2218–2244.",
)


def placeholders(message: str) -> set[str]:
    """The {names} a message expects."""
    return {field for _, field, _, _ in string.Formatter().parse(message) if field}


@dataclass(frozen=True)
class Messages:
    """The catalogue of one language: `t("footer.page", page=1, pages=9)`."""

    lang: str = "de"

    def __post_init__(self) -> None:
        if self.lang not in CATALOGUE:
            raise ValueError(f"no message catalogue for language {self.lang!r}")

    def __call__(self, key: str, /, **values: object) -> str:
        return CATALOGUE[self.lang][key].format(**values)

    def has(self, key: str) -> bool:
        return key in CATALOGUE[self.lang]


# Known English caveats of evaluation/ (by their opening words) → catalogue key. Named groups
# are handed to the message: n and k as counts, p as a p-value, anything else as written.
# More specific patterns come first.
_CAVEATS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), key)
    for pattern, key in (
        (r"Only (?P<n>\d+) treated cluster", "caveat.few_treated_clusters"),
        (r"Only (?P<n>\d+) control cluster", "caveat.few_control_clusters"),
        (r"Only (?P<n>\d+) clusters:", "caveat.few_clusters"),
        (r"No district stays untreated throughout", "caveat.no_never_treated"),
        (r"Districts started in different periods \((?P<starts>[^)]*)\)", "caveat.staggered_twfe"),
        (r"Districts started in different periods: two-way", "caveat.staggered_event"),
        (r"The treatment is a dose", "caveat.dose"),
        (r"Relative periods (?P<periods>.+?) cannot be told apart", "caveat.collinear_event"),
        (r"In (?P<n>\d+) unit\(s\) the treatment stops", "caveat.switches_off"),
        (r"Standard errors assume independent observations", "caveat.classical_errors"),
        (
            r"Before the start, treated and control districts already moved apart \(joint test "
            r"of the leads p = (?P<p>[0-9.eE-]+)",
            "caveat.pretrend_rejected",
        ),
        (r"No pre-period coefficient could be estimated", "caveat.no_pretrend_test"),
        (r"No pre-treatment periods: parallel trends", "caveat.no_pretrend_test"),
        (r"No pre-trend test: the pre-treatment effects", "caveat.pretrend_collinear"),
        (r"The uniform confidence band needs a critical value", "caveat.wide_band"),
        (r"Dropped (?P<n>\d+) rows to balance the panel", "caveat.balanced"),
        (r"(?P<n>\d+) units? first treated after the last period", "caveat.late_start"),
        (r"There are no never-treated units: the last cohort", "caveat.last_cohort_control"),
        (r"There are no never-treated units to compare with", "reason.no_never_treated"),
        (
            r"Dropped (?P<n>\d+) units? already treated in the first period",
            "caveat.treated_first_period",
        ),
        (r"Covariates .+ do not vary within", "caveat.covariates_dropped"),
        (
            r"Left out (?P<n>\d+) treated unit\(s\) with fewer than (?P<k>\d+) periods",
            "caveat.short_history",
        ),
        (r"Fewer than (?P<n>\d+) periods before the start", "caveat.few_pre_periods"),
        (r"Districts starting in (?P<cohort>\S+) stood out", "caveat.regression_to_mean"),
        (r"Districts starting in (?P<cohort>\S+) moved away", "caveat.ashenfelter_dip"),
        (r"Only (?P<n>\d+) treated units?: with fewer than", "caveat.few_treated_units"),
        (r"Only (?P<n>\d+) never-treated units?", "caveat.few_never_treated"),
        (r"Cohorts with fewer than (?P<n>\d+) units: (?P<cohorts>.+?)\. ", "caveat.small_cohorts"),
        (
            r"ATT\(g,t\) cells \(cohort/period\) with fewer than (?P<n>\d+)",
            "caveat.thin_comparison",
        ),
        (r"Before the start the synthetic comparison tracks", "caveat.poor_fit"),
        (r"Only (?P<n>\d+) untreated units serve as donors", "caveat.few_donors"),
        (r"(?P<n>\d+) rows without a value for", "caveat.missing_outcome"),
        (r"(?P<n>\d+) further rows with missing", "caveat.missing_other"),
        (r"(?P<n>\d+) rows of units or periods observed only once", "caveat.singletons"),
        (r"Left out (?P<n>\d+) unit\(s\) not observed in all", "caveat.incomplete_units"),
        (r"The \w+ standard error is not defined", "caveat.se_undefined"),
        (r"Only (?P<n>\d+) treated units: the \w+ standard error", "caveat.few_treated_resampling"),
        (r"The placebo standard error needs more never-treated", "caveat.placebo_impossible"),
        (r"Only (?P<n>\d+) districts: the interval", "caveat.few_districts_targeting"),
        (r"(?P<k>\d+) of (?P<n>\d+) bootstrap draws had no spread", "caveat.bootstrap_no_spread"),
        (r"auto: (?P<n>\d+) treated units", "reason.auto_staggered"),
        (
            r"auto: only (?P<n>\d+) treated units? \((?P<districts>[^)]*)\), so synthetic",
            "reason.auto_sdid",
        ),
        (r"no treated unit with periods before and after its start", "reason.no_treated"),
        (r"no unit is treated after the first period", "reason.treated_from_start"),
        (r"no spending of the program is attributed to a district", "reason.no_district_spending"),
        (r"no values for indicator '(?P<indicator>[^']+)'", "reason.no_indicator_values"),
        (
            r"withheld: every district reached \((?P<districts>[^)]*)\) has fewer than (?P<n>\d+)",
            "reason.withheld_small",
        ),
    )
)

# How uncertainty was computed (the evaluate JSON's free-text "inference"), by opening words.
_INFERENCES: tuple[tuple[str, str], ...] = (
    ("analytic standard errors from the influence functions", "inference.analytic"),
    ("multiplier bootstrap", "inference.multiplier"),
    ("wild cluster bootstrap", "inference.wild"),
    ("randomization inference", "inference.randomization"),
    ("placebo standard error", "inference.placebo"),
    ("jackknife standard error", "inference.jackknife"),
    ("bootstrap standard error", "inference.bootstrap"),
)


# Each kind of caveat and its gist: "Auf einen Blick" lists a gist once, naming every program
# (or the targeting) it applies to; the program pages give each caveat in full.
CAVEAT_GISTS: dict[str, str] = {
    "caveat.few_treated_clusters": "gist.few_treated",
    "caveat.few_treated_units": "gist.few_treated",
    "caveat.few_treated_resampling": "gist.few_treated",
    "caveat.se_undefined": "gist.few_treated",
    "caveat.few_control_clusters": "gist.few_controls",
    "caveat.few_never_treated": "gist.few_controls",
    "caveat.few_clusters": "gist.few_clusters",
    "caveat.no_never_treated": "gist.no_never_treated",
    "caveat.last_cohort_control": "gist.no_never_treated",
    "caveat.staggered_twfe": "gist.staggered",
    "caveat.staggered_event": "gist.staggered",
    "caveat.collinear_event": "gist.staggered",
    "caveat.dose": "gist.dose",
    "caveat.switches_off": "gist.switches_off",
    "caveat.classical_errors": "gist.classical_errors",
    "caveat.pretrend_rejected": "gist.pretrend_rejected",
    "caveat.no_pretrend_test": "gist.pretrend_untested",
    "caveat.pretrend_collinear": "gist.pretrend_untested",
    "caveat.few_pre_periods": "gist.pretrend_untested",
    "caveat.regression_to_mean": "gist.regression_to_mean",
    "caveat.ashenfelter_dip": "gist.regression_to_mean",
    "caveat.small_cohorts": "gist.small_cohorts",
    "caveat.thin_comparison": "gist.small_cohorts",
    "caveat.wide_band": "gist.small_cohorts",
    "caveat.poor_fit": "gist.synthetic_fit",
    "caveat.few_donors": "gist.few_donors",
    "caveat.placebo_impossible": "gist.few_donors",
    "caveat.missing_outcome": "gist.missing_data",
    "caveat.missing_other": "gist.missing_data",
    "caveat.singletons": "gist.missing_data",
    "caveat.incomplete_units": "gist.missing_data",
    "caveat.balanced": "gist.missing_data",
    "caveat.late_start": "gist.missing_data",
    "caveat.treated_first_period": "gist.missing_data",
    "caveat.covariates_dropped": "gist.missing_data",
    "caveat.short_history": "gist.missing_data",
    "caveat.few_districts_targeting": "gist.few_districts",
    "caveat.bootstrap_no_spread": "gist.bootstrap",
}


def _recognise(text: str) -> tuple[str, dict[str, str]] | None:
    """The catalogue key of a known English caveat and the values it carries."""
    for pattern, key in _CAVEATS:
        match = pattern.match(text.strip())
        if match:
            return key, match.groupdict()
    return None


def plain_caveat(text: str, t: Messages, fmt: LocaleFormat) -> str:
    """The catalogue's wording of a known English caveat, with its numbers; else `text`."""
    recognised = _recognise(text)
    if recognised is None:
        return text
    key, found = recognised
    converters: dict[str, Callable[[str], str]] = {
        "n": lambda s: fmt.integer(int(s)),
        "k": lambda s: fmt.integer(int(s)),
        "p": lambda s: fmt.pvalue(float(s)),
    }
    return t(key, **{name: converters.get(name, str)(value) for name, value in found.items()})


def caveat_gist(text: str) -> str | None:
    """The gist key ("gist.…") of a known caveat; None for one this catalogue does not know."""
    recognised = _recognise(text)
    return None if recognised is None else CAVEAT_GISTS.get(recognised[0])


def plain_inference(text: str, t: Messages) -> str:
    """The catalogue's name for how the uncertainty was computed; else `text` as given."""
    lowered = text.strip().lower()
    for opening, key in _INFERENCES:
        if lowered.startswith(opening):
            return t(key)
    return text


# Caveats that differ only by the cohort they name are said once, naming every cohort.
_MERGED_BY = {"caveat.regression_to_mean": "cohort", "caveat.ashenfelter_dip": "cohort"}


def joined(items: list[str], t: Messages) -> str:
    """ "2018", "2018 und 2020", "2018, 2020 und 2021" (en: "and")."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {t('list.and')} {items[-1]}"


def plain_caveats(texts: list[str], t: Messages, fmt: LocaleFormat) -> list[str]:
    """Each caveat in the catalogue's words, in order, without repeats; caveats of one kind
    that differ only by their cohort become one, naming the cohorts ("ab 2018, 2020 und 2021")."""
    groups: dict[tuple[str, tuple[tuple[str, str], ...]], list[str]] = {}
    order: list[tuple[str, tuple[tuple[str, str], ...]] | str] = []
    for text in texts:
        recognised = _recognise(text)
        if recognised is None or recognised[0] not in _MERGED_BY:
            order.append(text)
            continue
        key, found = recognised
        name = _MERGED_BY[key]
        rest = tuple(sorted((k, v) for k, v in found.items() if k != name))
        if (key, rest) not in groups:
            groups[(key, rest)] = []
            order.append((key, rest))
        groups[(key, rest)].append(found[name])
    result = []
    for item in order:
        if isinstance(item, str):
            result.append(plain_caveat(item, t, fmt))
        else:
            key, rest = item
            values = list(dict.fromkeys(groups[item]))
            result.append(t(key, **dict(rest), **{_MERGED_BY[key]: joined(values, t)}))
    return list(dict.fromkeys(result))
