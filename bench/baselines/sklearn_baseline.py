"""Strong classical baseline for the chatdesk offline classifier (bench only).

TF-IDF (word 1-2 grams + char_wb 3-5 grams, sublinear tf, each block L2-normalised)
followed by LogisticRegression (C=10, lbfgs) and LinearSVC (C=1). Hyper-parameters are
common textbook defaults, fixed in advance -- not tuned on any test split.

Splits are the same as bench/classifier.bench.ts:
  - CLINC150: train -> val; out-of-scope threshold chosen on a held-out 20% of train
    plus oos_train (never on val / oos_val);
  - Banking77: train -> test;
  - synthetic tickets (german file) and smp-ecdt-zh: a row is in the test split when
    FNV-1a-32(utf8(f"{seed}:{text}")) % 100 < 20, seed = 7.

Run through bench/baselines/run-sklearn.sh (creates the venv). `--json` prints one JSON
object per line instead of a table.
"""
from __future__ import annotations

import csv
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.pipeline import FeatureUnion, make_pipeline
from sklearn.svm import LinearSVC

SPLIT_SEED = 7
TEST_PERCENT = 20


def repo_root() -> Path:
    p = Path(__file__).resolve().parent
    while p != p.parent:
        if (p / "package.json").exists():
            return p
        p = p.parent
    raise SystemExit("cannot find repo root (package.json)")


def data_dir() -> Path:
    env = os.environ.get("CHATDESK_BENCH_DATA")
    return Path(env) if env else repo_root() / "tests" / "fixtures" / "data"


def fnv1a(s: str) -> int:
    h = 0x811C9DC5
    for b in s.encode("utf-8"):
        h ^= b
        h = (h * 16777619) & 0xFFFFFFFF
    return h


def hash_split(rows):
    train, test = [], []
    for text, label in rows:
        (test if fnv1a(f"{SPLIT_SEED}:{text}") % 100 < TEST_PERCENT else train).append((text, label))
    return train, test


def vectorizer():
    return FeatureUnion(
        [
            ("word", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, lowercase=True)),
            ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, lowercase=True)),
        ]
    )


def models():
    return {
        "sklearn tfidf+LR": lambda: make_pipeline(vectorizer(), LogisticRegression(C=10, max_iter=2000)),
        "sklearn tfidf+LinearSVC": lambda: make_pipeline(vectorizer(), LinearSVC(C=1.0)),
    }


def evaluate(name, train, test):
    xs, ys = zip(*train)
    xt, yt = zip(*test)
    out = []
    for model_name, make in models().items():
        t0 = time.perf_counter()
        m = make().fit(list(xs), list(ys))
        train_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        pred = m.predict(list(xt))
        per_ms = (time.perf_counter() - t0) * 1000 / len(xt)
        out.append(
            {
                "dataset": name,
                "model": model_name,
                "n_train": len(train),
                "n_test": len(test),
                "accuracy": accuracy_score(yt, pred),
                "macro_f1": f1_score(yt, pred, average="macro"),
                "train_s": train_s,
                "batch_ms_per_item": per_ms,
            }
        )
    return out


def clinc_oos(d: Path):
    raw = json.loads((d / "clinc150" / "train_val.json").read_text())
    train = [tuple(r) for r in raw["train"]]
    val = [tuple(r) for r in raw["val"]]
    oos_train = [r[0] for r in raw["oos_train"]]
    oos_val = [r[0] for r in raw["oos_val"]]
    # threshold on training data only: held-out 20% of train (hash split) + oos_train
    fit_part, hold_part = hash_split(train)
    m = models()["sklearn tfidf+LR"]().fit([t for t, _ in fit_part], [l for _, l in fit_part])
    conf_in = m.predict_proba([t for t, _ in hold_part]).max(axis=1)
    pred_in = m.predict([t for t, _ in hold_part])
    ok_in = np.array([p == l for p, (_, l) in zip(pred_in, hold_part)])
    conf_oos = m.predict_proba(oos_train).max(axis=1)
    best = (-1.0, 0.0)
    for th in np.linspace(0.0, 1.0, 201):
        in_score = float(np.mean(ok_in & (conf_in >= th)))
        oos_recall = float(np.mean(conf_oos < th))
        score = (in_score + oos_recall) / 2
        if score > best[0]:
            best = (score, float(th))
    th = best[1]
    full = models()["sklearn tfidf+LR"]().fit([t for t, _ in train], [l for _, l in train])
    proba = full.predict_proba([t for t, _ in val])
    pred = full.classes_[proba.argmax(axis=1)]
    conf = proba.max(axis=1)
    yv = np.array([l for _, l in val])
    in_acc_abstain = float(np.mean((pred == yv) & (conf >= th)))
    oos_recall = float(np.mean(full.predict_proba(oos_val).max(axis=1) < th))
    return {
        "dataset": "clinc150 oos",
        "model": "sklearn tfidf+LR",
        "threshold": th,
        "in_scope_accuracy_with_abstain": in_acc_abstain,
        "in_scope_abstain_rate": float(np.mean(conf < th)),
        "oos_recall": oos_recall,
    }


def read_csv(path: Path):
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def main():
    as_json = "--json" in sys.argv
    d = data_dir()
    results = []
    raw = json.loads((d / "clinc150" / "train_val.json").read_text())
    results += evaluate("clinc150 (val)", [tuple(r) for r in raw["train"]], [tuple(r) for r in raw["val"]])
    results.append(clinc_oos(d))
    b_train = [(r["text"], r["category"]) for r in read_csv(d / "banking77" / "train.csv")]
    b_test = [(r["text"], r["category"]) for r in read_csv(d / "banking77" / "test.csv")]
    results += evaluate("banking77 (test)", b_train, b_test)
    tickets = read_csv(d / "support-tickets-synthetic" / "dataset-tickets-german_normalized.csv")
    for field in ("queue", "priority"):
        rows = [(f"{r['subject']}\n{r['body']}", r[field]) for r in tickets]
        tr, te = hash_split(rows)
        results += evaluate(f"synthetic tickets de: {field}", tr, te)
    smp = json.loads((d / "smp-ecdt-zh" / "smp2019_train.json").read_text())
    tr, te = hash_split([(r["text"], r["domain"]) for r in smp])
    results += evaluate("smp-ecdt-zh domain", tr, te)

    if as_json:
        for r in results:
            print(json.dumps(r))
        return
    print(f"{'dataset':34} {'model':26} {'acc':>7} {'macroF1':>8} {'train s':>8}")
    for r in results:
        if "accuracy" in r:
            print(f"{r['dataset']:34} {r['model']:26} {r['accuracy']:7.4f} {r['macro_f1']:8.4f} {r['train_s']:8.1f}")
        else:
            print(
                f"{r['dataset']:34} {r['model']:26} threshold={r['threshold']:.3f} in-scope acc (abstain=wrong)={r['in_scope_accuracy_with_abstain']:.4f} "
                f"in-scope abstain={r['in_scope_abstain_rate']:.4f} oos recall={r['oos_recall']:.4f}"
            )


if __name__ == "__main__":
    main()
