"""The words of the analytics tables (``analyze``, ``funnel``, ``channels``, ``compare``…):
every title, column header and sentence, as (English, French). Pure data; the tables are
written by :mod:`parcours.analytics.report`."""

from __future__ import annotations

#: Every title, header and sentence of the analytics tables, in English and French.
WORDS: dict[str, tuple[str, str]] = {
    # analyze
    "log": ("Event log", "Journal d'événements"),
    "by_channel": ("channels", "canaux"),
    "by_activity": ("activities", "activités"),
    "n_events": ("events", "événements"),
    "n_cases": ("cases", "parcours"),
    "n_activities": ("activities", "activités"),
    "n_variants": ("variants", "variantes"),
    "case_length": ("Case length", "Longueur des parcours"),
    "measure": ("measure", "mesure"),
    "min": ("min", "min"),
    "median": ("median", "médiane"),
    "mean": ("mean", "moyenne"),
    "max": ("max", "max"),
    "stdev": ("std dev", "écart type"),
    "events_per_case": ("events per case", "événements par parcours"),
    "case_duration": ("case duration", "durée du parcours"),
    "edges": ("Directly-follows ({n} pairs)", "Enchaînements directs ({n} paires)"),
    "edges_one": ("Directly-follows ({n} pair)", "Enchaînements directs ({n} paire)"),
    "from": ("from", "de"),
    "to": ("to", "vers"),
    "transitions": ("transitions", "transitions"),
    "ends": ("Start and end activities", "Activités de début et de fin"),
    "activity": ("activity", "activité"),
    "starts": ("starts (cases)", "débuts (parcours)"),
    "finishes": ("ends (cases)", "fins (parcours)"),
    "variants": ("Variants ({shown} of {total})", "Variantes ({shown} sur {total})"),
    "variants_cut": (
        "The {shown} most frequent variants of {total}: --top N for more, "
        "--format json for all of them.",
        "Les {shown} variantes les plus fréquentes sur {total} : --top N pour en voir "
        "plus, --format json pour toutes.",
    ),
    "cases": ("cases", "parcours"),
    "path": ("path", "chemin"),
    "skipped": (
        "{n} bad rows left out of {source}; the first: {first}",
        "{n} lignes invalides écartées de {source} ; la première : {first}",
    ),
    "skipped_one": (
        "{n} bad row left out of {source}: {first}",
        "{n} ligne invalide écartée de {source} : {first}",
    ),
    # funnel
    "funnel": ("Funnel ({mode}, {n} cases)", "Entonnoir ({mode}, {n} parcours)"),
    "funnel_one": ("Funnel ({mode}, {n} case)", "Entonnoir ({mode}, {n} parcours)"),
    "funnel_window": (
        "Funnel ({mode}, {n} cases, within {window})",
        "Entonnoir ({mode}, {n} parcours, en {window} au plus)",
    ),
    "funnel_window_one": (
        "Funnel ({mode}, {n} case, within {window})",
        "Entonnoir ({mode}, {n} parcours, en {window} au plus)",
    ),
    "stage": ("stage", "étape"),
    "activities": ("activities", "activités"),
    "conversion_from_previous": ("from previous", "depuis la précédente"),
    "conversion_from_start": ("from start", "depuis le début"),
    "drop_off": ("lost", "perdus"),
    "drop_off_rate": ("lost (%)", "perdus (%)"),
    "median_from_entry": ("median time from entry", "temps médian depuis l'entrée"),
    "time_to_convert": (
        "Time to convert ({n} converting cases)",
        "Délai de conversion ({n} parcours convertis)",
    ),
    "time_to_convert_one": (
        "Time to convert ({n} converting case)",
        "Délai de conversion ({n} parcours converti)",
    ),
    "p25": ("25th percentile", "1er quartile"),
    "p50": ("median", "médiane"),
    "p75": ("75th percentile", "3e quartile"),
    "p90": ("90th percentile", "90e centile"),
    "p95": ("95th percentile", "95e centile"),
    # attribution
    "attribution": (
        "Attribution (Markov order {order}, conversion probability {p})",
        "Attribution (Markov d'ordre {order}, probabilité de conversion {p})",
    ),
    "totals": ("Totals", "Totaux"),
    "total_conversions": ("conversions", "conversions"),
    "total_value": ("conversion value", "valeur des conversions"),
    "n_paths": ("distinct paths", "chemins distincts"),
    "touchpoint": ("touchpoint", "point de contact"),
    "channel": ("channel", "canal"),
    "first": ("first touch", "premier contact"),
    "last": ("last touch", "dernier contact"),
    "linear": ("linear", "linéaire"),
    "removal_effect": ("removal effect", "effet de retrait"),
    "markov": ("Markov conversions", "conversions Markov"),
    "first_value": ("first-touch value", "valeur premier contact"),
    "last_value": ("last-touch value", "valeur dernier contact"),
    "linear_value": ("linear value", "valeur linéaire"),
    "markov_value": ("Markov value", "valeur Markov"),
    "conversion_activity": (
        "A conversion is an event '{activity}'; the path is the {by} before it.",
        "Une conversion est un événement « {activity} » ; le chemin est fait des {by} qui le précèdent.",
    ),
    "usual_outcomes": (
        "converted, success, purchase, won, yes, 1 (and the others of the documentation)",
        "converti, achat, vente, gagné, oui, converted, success, 1 (et les autres de la "
        "documentation)",
    ),
    "conversion_outcome": (
        "A conversion is an event whose outcome is one of: {outcomes}. Converting events "
        "(cases): {events}. The path is the {by} up to the conversion.",
        "Une conversion est un événement dont le résultat est l'un de : {outcomes}. "
        "Événements de conversion (parcours) : {events}. Le chemin est fait des {by} jusqu'à la "
        "conversion.",
    ),
    "conversion_file": (
        "Conversions as counted in the paths file.",
        "Conversions telles que comptées dans le fichier de chemins.",
    ),
    "no_value": (
        "The log has no value column: values are not attributed (map one with --value COLUMN).",
        "Le journal n'a pas de colonne de valeur : les valeurs ne sont pas attribuées "
        "(indiquez-la avec --value COLONNE).",
    ),
    # next best action
    "next_best_action": (
        "After {after}: conversion probability {p}",
        "Après {after} : probabilité de conversion {p}",
    ),
    "rank": ("rank", "rang"),
    "p_conversion": ("conversion probability", "probabilité de conversion"),
    "uplift": ("uplift", "gain"),
    "transition_probability": ("observed share", "part observée"),
    "start": ("(start)", "(début)"),
    "excluded_conversion": (
        "Not proposed: {names} (the conversion event itself).",
        "Non proposé : {names} (l'événement de conversion lui-même).",
    ),
    "excluded_absorbing": (
        "Not proposed: {names} (every journey converts there at once: "
        "it is where conversion is recorded, not a step towards it).",
        "Non proposé : {names} (tous les parcours s'y convertissent aussitôt : "
        "c'est là que la conversion est enregistrée, pas une étape vers elle).",
    ),
    "no_action": (
        "No next touchpoint seen in the data after this path.",
        "Aucun point de contact suivant observé après ce chemin.",
    ),
    # channels
    "switches_title": ("Channel switches", "Changements de canal"),
    "switches": ("switches", "changements"),
    "switch_rate": ("switch rate", "taux de changement"),
    "cases_with_switch": ("cases with a switch", "parcours avec changement"),
    "matrix": (
        "Channel × channel (transitions; rows: from, columns: to)",
        "Canal × canal (transitions ; lignes : de, colonnes : vers)",
    ),
    "from_to": ("from \\ to", "de \\ vers"),
    "repeats": (
        "Repeat contacts on another channel within {within}",
        "Recontacts sur un autre canal en {within} au plus",
    ),
    "repeats_same": (
        "Repeat contacts about the same activity on another channel within {within}",
        "Recontacts pour la même activité sur un autre canal en {within} au plus",
    ),
    "previous_channel": ("previous channel", "canal précédent"),
    "repeat_count": ("repeats", "recontacts"),
    "customers": ("customers", "clients"),
    "median_gap": ("median gap", "écart médian"),
    # compare (designed map vs observed log)
    "cmp_summary": ("Designed vs observed: {journey}", "Conçu et observé : {journey}"),
    "cmp_log_cases": ("cases in the log", "parcours dans le journal"),
    "cmp_cases": ("cases of the journey", "parcours de ce parcours type"),
    "cmp_following": ("cases following the map", "parcours conformes à la carte"),
    "cmp_share_following": ("share following the map", "part conforme à la carte"),
    "cmp_mean": ("mean conformance", "conformité moyenne"),
    "cmp_median": ("median conformance", "conformité médiane"),
    "cmp_buckets": ("Conformance per case", "Conformité par parcours"),
    "cmp_from": ("from", "de"),
    "cmp_to": ("to (excluded)", "à (exclu)"),
    "cmp_share": ("share of cases", "part des parcours"),
    "cmp_skipped": ("Skipped steps", "Étapes sautées"),
    "cmp_step": ("step", "étape"),
    "cmp_unplanned": ("Unplanned events", "Événements hors carte"),
    "cmp_event": ("event", "événement"),
    "cmp_loops": ("Loops and steps taken backwards", "Boucles et retours en arrière"),
    "cmp_designed": ("on the map", "sur la carte"),
    "cmp_branches": ("Branch shares", "Parts des embranchements"),
    "cmp_designed_share": ("designed", "prévue"),
    "cmp_observed_share": ("observed", "observée"),
    "cmp_variants": ("Most frequent paths", "Chemins les plus fréquents"),
    "cmp_conformance": ("conformance", "conformité"),
    "cmp_repeats": (
        "Repeat contacts / channel switches ({channels})",
        "Recontacts / changements de canal ({channels})",
    ),
    "cmp_contacts": ("repeat contacts", "recontacts"),
    "cmp_switch": ("channel switch", "changement de canal"),
    "cmp_after": ("after step", "après l'étape"),
    "cmp_emotions": (
        "Emotion gaps (designed and measured, −2 … +2)",
        "Écarts d'émotion (conçue et mesurée, −2 … +2)",
    ),
    "cmp_designed_emotion": ("designed", "conçue"),
    "cmp_measured_emotion": ("measured", "mesurée"),
    "cmp_low": ("low", "borne basse"),
    "cmp_high": ("high", "borne haute"),
    "cmp_n": ("n", "n"),
    "cmp_gap": ("gap", "écart"),
    "yes": ("yes", "oui"),
    "no": ("no", "non"),
    # words inside sentences
    "eventually": ("eventually", "à terme"),
    "strict": ("strict", "strict"),
}
