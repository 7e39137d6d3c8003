#!/usr/bin/env python3
"""TF-IDF + logistic regression on the train.tsv/test.tsv of a `make train`
run, printed beside the run's own test accuracy (its metrics.json).

    baseline_beside.py FOLDER METRICS_JSON [--char] [-o FILE]

FOLDER holds the run's train.tsv and test.tsv (the dataset folder, or
runs/NAME/data after a split); --char for character-level text (Chinese).
The baseline is baselines.py's tfidf_lr, the protocol of the README's
tables. One line on stdout, e.g.

    TF-IDF+LR on the same split: 84.21% (scikit-learn, 2.1 s); CapsKit: 85.03%, +0.82 points: CapsKit is ahead

Without scikit-learn it says how to get it and exits 0: the baseline is a
courtesy of `make train`, never a reason for it to fail. Multi-label sets
compare micro-F1. -o also writes the line to FILE (only when the baseline
ran, so installing scikit-learn later shows it on the next run).
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import baselines  # noqa: E402  (the protocol lives there, once)


def main(argv):
    args = [a for a in argv if a != "--char"]
    char = len(args) != len(argv)
    output = None
    if "-o" in args:
        i = args.index("-o")
        output = args[i + 1]
        del args[i:i + 2]
    if len(args) != 2:
        print("usage: baseline_beside.py FOLDER METRICS_JSON [--char] [-o FILE]", file=sys.stderr)
        return 2
    folder, metrics_path = args
    try:
        import sklearn  # noqa: F401
    except ImportError:
        output = None  # nothing to keep: the next run tries again
        line = ("TF-IDF+LR on the same split: scikit-learn is not installed "
                "(pip install scikit-learn, or apt-get install python3-sklearn, to see it here)")
    else:
        try:
            with open(metrics_path, encoding="utf-8") as f:
                metrics = json.load(f)
            data = baselines.Dataset(folder, char=char)
            start = time.monotonic()
            result, _ = baselines.tfidf_lr(data, 0.5)
            seconds = time.monotonic() - start
        except (OSError, ValueError, KeyError, baselines.Failure) as error:
            print(f"baseline_beside: {error}", file=sys.stderr)
            return 1
        ours = 100.0 * metrics.get("micro_f1", metrics.get("accuracy"))
        theirs = result["score"]
        gap = ours - theirs
        verdict = "CapsKit is ahead" if gap > 0 else ("a tie" if gap == 0 else "TF-IDF+LR is ahead")
        line = (f"TF-IDF+LR on the same split: {theirs:.2f}% (scikit-learn, {seconds:.1f} s); "
                f"CapsKit: {ours:.2f}%, {gap:+.2f} points: {verdict}")
    print(line)
    if output:
        with open(output + ".tmp", "w", encoding="utf-8") as f:
            f.write(line + "\n")
        os.replace(output + ".tmp", output)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
