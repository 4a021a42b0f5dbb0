"""Benchmark: the whole-atlas PDF of a 20-journey workspace (about 20 steps each).

    .venv/bin/python bench/atlas_bench.py [--journeys 20] [--steps 20] [--out atlas.pdf]

Builds a deterministic French workspace (8 personas, 30 shared touchpoints, 7 lanes per
journey, pain points, opportunities with owners and KPIs), then renders it with
``parcours.render.pdf.atlas.save_atlas_pdf`` in a fresh child process and reports wall time,
CPU time and the child's peak resident memory (ru_maxrss, which counts the C libraries
WeasyPrint draws with, unlike tracemalloc). Goal (issue 3): < 10 s; RELIABILITY S18:
the largest export ≤ 15 s and ≤ 512 MiB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

STAGES = ["Découverte", "Considération", "Décision", "Achat", "Usage", "Fidélisation"]
VERBS = ["Compare", "Découvre", "Vérifie", "Appelle", "Reçoit", "Télécharge", "Signe", "Active",
         "Relance", "Consulte", "Réclame", "Paie", "Installe", "Note", "Recommande"]  # fmt: skip
OBJECTS = ["l'offre", "son contrat", "la facture", "le devis", "son colis", "l'application",
           "le conseiller", "les avis", "son espace client", "la carte", "le rendez-vous"]  # fmt: skip
OWNERS = ["Équipe produit digital", "Direction expérience client", "Service client",
          "Équipe CRM", "Direction commerciale", "Équipe paiement", "Logistique",
          "Pôle données"]  # fmt: skip
EMOJI = ["👩‍💼", "👨‍🔧", "🧑‍🎓", "👵", "👨‍👩‍👧", "🧑‍💻", "👷", "🙋"]


def workspace(journeys: int, steps: int, seed: int = 42) -> dict[str, object]:
    rnd = random.Random(seed)
    personas = [
        {
            "id": f"p{i}",
            "name": f"Persona {i} Éloïse Müller",
            "emoji": EMOJI[i % len(EMOJI)],
            "market": "b2b" if i % 3 == 0 else "b2c",
            "segment": f"Segment n° {i}",
            "age_range": "35-44",
            "occupation": "Responsable des achats",
            "location": "Nantes (44)",
            "channels": ["Site web", "Application", "Téléphone"],
            "goals": [
                f"Objectif {k} : gagner du temps sur {rnd.choice(OBJECTS)}" for k in range(3)
            ],
            "needs": [f"Besoin {k} d'être rassurée" for k in range(3)],
            "frustrations": [f"Frustration {k} : attendre {k + 2} jours" for k in range(3)],
            "motivations": ["Économiser", "Être autonome"],
            "objections": ["« Est-ce vraiment moins cher ? »"],
            "quote": "Je veux que ça marche du premier coup, sans rappeler trois fois.",
            "sources": ["Entretiens (n = 12)", "Enquête NPS"],
        }
        for i in range(8)
    ]
    touchpoints = [{"id": f"tp{i}", "name": f"Point de contact {i} — écran « {OBJECTS[i % 11]} »",
                    "channel": ["web", "app", "phone"][i % 3]} for i in range(30)]  # fmt: skip
    channels = [{"id": "web", "name": "Site web", "kind": "digital"},
                {"id": "app", "name": "Application", "kind": "digital"},
                {"id": "phone", "name": "Téléphone", "kind": "human"}]  # fmt: skip
    kpis = [{"id": "csat", "name": "Satisfaction", "unit": "/5"},
            {"id": "abandon", "name": "Abandon", "unit": "%", "higher_is_better": False}]  # fmt: skip
    docs = []
    per_stage = max(1, steps // len(STAGES))
    for j in range(journeys):
        stages = []
        n = 0
        for s, stage in enumerate(STAGES):
            count = (
                per_stage if s < len(STAGES) - 1 else max(1, steps - per_stage * (len(STAGES) - 1))
            )
            items = []
            for _ in range(count):
                n += 1
                step: dict[str, object] = {
                    "id": f"s{n}",
                    "touchpoints": rnd.sample(
                        [t["id"] for t in touchpoints], rnd.choice([1, 1, 2])
                    ),
                    "actions": [
                        f"{rnd.choice(VERBS)} {rnd.choice(OBJECTS)}"
                        for _ in range(rnd.randint(1, 2))
                    ],
                    "thoughts": [f"« Est-ce que {rnd.choice(OBJECTS)} est fiable ? »"],
                    "emotion": rnd.randint(-2, 2),
                }
                if rnd.random() < 0.45:
                    step["pain_points"] = [{"text": f"Délai trop long pour {rnd.choice(OBJECTS)}",
                                            "severity": rnd.choice(["irritant", "blocker", "rupture"]),
                                            "evidence": "Verbatims du centre d'appels"}]  # fmt: skip
                if rnd.random() < 0.35:
                    step["opportunities"] = [{"text": f"Simplifier {rnd.choice(OBJECTS)}",
                                              "owner": rnd.choice(OWNERS),
                                              "priority": rnd.choice(["low", "medium", "high", "critical"]),
                                              "value": rnd.randrange(5, 400) * 1000}]  # fmt: skip
                if rnd.random() < 0.3:
                    step["kpis"] = [
                        {"kpi": "csat", "target": 4.2, "measured": round(rnd.uniform(3, 5), 1)}
                    ]
                items.append({f"{rnd.choice(VERBS)} {rnd.choice(OBJECTS)} (étape {n})": step})
            stages.append({stage: items})
        docs.append({
            "journey": f"Parcours {j + 1} : souscription et suivi « {OBJECTS[j % 11]} »",
            "id": f"j{j + 1}",
            "personas": [f"p{j % 8}"],
            "owner": OWNERS[j % len(OWNERS)],
            "reviewed": f"2026-{1 + j % 12:02d}-{1 + j % 27:02d}",
            "value": {"customer": rnd.randint(10, 95), "business": rnd.randint(10, 95),
                      "effort": rnd.randint(1, 8)},
            "lanes": ["touchpoints", "actions", "thoughts", "emotions", "pain_points",
                      "opportunities", "kpis"],
            "stages": stages,
        })  # fmt: skip
    return {
        "parcours": 1,
        "workspace": "Banc d'essai — atlas de 20 parcours",
        "lang": "fr",
        "personas": personas,
        "channels": channels,
        "touchpoints": touchpoints,
        "kpis": kpis,
        "journeys": docs,
    }


CHILD = """
import json, sys, time
from parcours.files import load_atlas
from parcours.render.pdf.atlas import save_atlas_pdf
atlas = load_atlas(sys.argv[1])
wall, cpu = time.perf_counter(), time.process_time()
save_atlas_pdf(atlas, sys.argv[2])
print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, default=20)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "workspace.yaml"
        source.write_text(yaml.safe_dump(workspace(args.journeys, args.steps), allow_unicode=True,
                                         sort_keys=False), encoding="utf-8")  # fmt: skip
        out = args.out or Path(tmp) / "atlas.pdf"
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(source), str(out)],
                                 stdout=subprocess.PIPE, text=True)  # fmt: skip
        _, status, usage = os.wait4(child.pid, 0)
        total = time.perf_counter() - started
        assert child.stdout is not None
        timings = json.loads(child.stdout.read())
        if status != 0:
            raise SystemExit(f"the render failed with status {status}")
        from pypdf import PdfReader

        pages = PdfReader(out).get_num_pages()
        size = out.stat().st_size
    peak = usage.ru_maxrss / 1024  # KiB on Linux
    print(f"atlas PDF, {args.journeys} journeys × {args.steps} steps: {pages} pages, "
          f"{size / 1_048_576:.1f} MiB; render {timings['wall']:.2f} s wall, "
          f"{timings['cpu']:.2f} s CPU; with imports and loading {total:.2f} s; "
          f"peak RSS {peak:.0f} MiB; load average {os.getloadavg()[0]:.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
