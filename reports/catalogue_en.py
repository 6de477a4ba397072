"""The committee report's English messages: the same keys and {placeholders} as the German
catalogue (`reports.catalogue_de`), for councils and reviewers who read English."""

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
        "randomization inference: the start dates were reassigned to districts at random many "
        "times; the p-value is the share of these assignments with a result at least as clear. "
        "So the test keeps its error rate exactly, even with few districts"
    ),
    "inference.placebo_rank": (
        "randomization inference with placebo ranks: the programme was moved, on paper, to "
        "districts never in it; the p-value is the rank of the real result among these placebo "
        "results"
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
