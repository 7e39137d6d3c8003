#!/usr/bin/env python3
"""Baselines for CapsKit's tables: TF-IDF + logistic regression and fastText,
trained on a dataset folder's train.tsv and scored on its test.tsv, the same
files `make train DATA=DIR` uses (dev.tsv, if present, is not used, as in the
pipeline).

Protocol (fixed, so the figures compare across datasets and machines):
  tfidf_lr  scikit-learn TfidfVectorizer(sublinear_tf) + LogisticRegression(C=10,
            max_iter=2000). Word mode: 1-2-grams of lower-cased tokens, a token
            being a run of word characters or one punctuation character. Char
            mode (--char, for Chinese): character 1-2-grams. Deterministic.
  fasttext  Debian's `fasttext supervised -epoch 25 -lr 0.5 -wordNgrams 2
            -thread 2 -seed S`, once per seed of --seeds (mean ± sample sd).
            Word mode: the text lower-cased; char mode: one token per
            non-space character. With 2 threads (lock-free updates) a run is
            not repeatable even at a fixed seed: on waimai_10k five runs at
            seed 1 spread over 84.7-88.0, so the sd holds seed and thread
            noise; --threads 1 repeats exactly. fastText trains in file
            order, and ../shared's training files are sorted by label; each
            thread starts at its own offset, so the class mix it sees depends
            on scheduling. --shuffle permutes the examples by the seed first
            (not the protocol of ../shared's figures).

Input: label<TAB>text per line, UTF-8, no header. A label field holding a
comma (Reuters' train.tsv: `grain,wheat<TAB>text`) makes the dataset
multi-label: one-vs-rest logistic regression and fastText `-loss ova`, a label
predicted when its probability is >= --threshold, scored by micro-F1 (macro-F1,
precision, recall and exact match go to --json). Otherwise the score is
accuracy; a test label never seen in training counts as an error.

Output: one TSV line per dataset (after a header line):
  dataset classes train test metric tfidf_lr fasttext tfidf_lr_s fasttext_s
scores in %, fasttext as `mean ± sd` over the seeds, seconds of wall time
(fasttext_s: per seed, training and prediction). Progress goes to stderr.

Needs: python3 with scikit-learn (pip install scikit-learn) and the fasttext
command (apt-get install fasttext); --methods picks one of the two.
Errors: one line `baselines: reason` on stderr, exit status 1 (2 for usage).
"""
import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

PROG = "baselines"
TOKEN_PATTERN = r"\w+|[^\w\s]"          # words, and each punctuation mark alone
METHODS = ("tfidf_lr", "fasttext")
COLUMNS = ("dataset", "classes", "train", "test", "metric",
           "tfidf_lr", "fasttext", "tfidf_lr_s", "fasttext_s")


class Failure(Exception):
    """A reason to stop, printed as `baselines: reason`."""


class Parser(argparse.ArgumentParser):
    def error(self, message):
        """Usage errors too are one line on stderr (exit status 2)."""
        self.exit(2, f"{PROG}: {message} (see --help)\n")


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------
def read_examples(path):
    """[(label field, text, line number)] of a label<TAB>text file."""
    if not os.path.isfile(path):
        raise Failure(f"{path}: no such file")
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise Failure(f"{path}: {error.strerror}") from None
    # Only LF ends a line (a stray CR or U+2028 stays in the text); each line is
    # decoded alone so that a bad byte is reported with its line number.
    raw_lines = data.split(b"\n")
    if raw_lines and raw_lines[-1] == b"":
        raw_lines.pop()
    examples = []
    for number, raw in enumerate(raw_lines, 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise Failure(f"{path}:{number}: not UTF-8 (byte {error.start + 1} of the line)") from None
        label, tab, text = line.partition("\t")
        if not tab:
            raise Failure(f"{path}:{number}: no tab between label and text")
        if not label.strip():
            raise Failure(f"{path}:{number}: empty label")
        examples.append((label, text, number))
    if not examples:
        raise Failure(f"{path}: no examples")
    return examples


class Dataset:
    def __init__(self, folder, char):
        if not os.path.isdir(folder):
            raise Failure(f"{folder}: no such folder")
        self.folder = folder
        self.name = os.path.basename(os.path.normpath(os.path.abspath(folder)))
        self.char = char
        train = read_examples(os.path.join(folder, "train.tsv"))
        test = read_examples(os.path.join(folder, "test.tsv"))
        self.multi_label = any("," in label for label, _, _ in train + test)
        for path, examples in (("train.tsv", train), ("test.tsv", test)):
            for label, _, number in examples:
                if self.multi_label and any(not part.strip() for part in label.split(",")):
                    raise Failure(f"{os.path.join(folder, path)}:{number}: empty label in '{label}'")
        split = (lambda label: label.split(",")) if self.multi_label else (lambda label: [label])
        self.train_texts = [text for _, text, _ in train]
        self.test_texts = [text for _, text, _ in test]
        self.train_labels = [split(label) for label, _, _ in train]
        self.test_labels = [split(label) for label, _, _ in test]
        self.classes = sorted({l for labels in self.train_labels for l in labels})
        self.unseen = sorted({l for labels in self.test_labels for l in labels} - set(self.classes))
        self.has_dev = os.path.exists(os.path.join(folder, "dev.tsv"))
        if len(self.classes) < 2:
            raise Failure(f"{os.path.join(folder, 'train.tsv')}: one class only ({self.classes[0]}); "
                          "a classifier needs two or more")

    @property
    def metric(self):
        return "micro-F1" if self.multi_label else "accuracy"


# ---------------------------------------------------------------------------
# Scoring (plain Python: label lists per document)
# ---------------------------------------------------------------------------
def score(gold, predicted, multi_label):
    """{'score': % (accuracy or micro-F1), ...} for lists of label lists."""
    if not multi_label:
        correct = sum(p[:1] == g for g, p in zip(gold, predicted))
        return {"score": 100.0 * correct / len(gold)}
    tp = fp = fn = exact = 0
    per_class = {}
    for g, p in zip(gold, predicted):
        g, p = set(g), set(p)
        exact += g == p
        tp += len(g & p); fp += len(p - g); fn += len(g - p)
        for label in g | p:
            counts = per_class.setdefault(label, [0, 0, 0])
            counts[0] += label in g and label in p
            counts[1] += label in p and label not in g
            counts[2] += label in g and label not in p
    def f1(t, f_pos, f_neg):
        return 2.0 * t / (2 * t + f_pos + f_neg) if t + f_pos + f_neg else 0.0
    # Macro-F1 over the classes present in the test gold labels.
    gold_classes = {l for labels in gold for l in labels}
    macro = statistics.fmean(f1(*per_class[c]) for c in gold_classes)
    return {"score": 100.0 * f1(tp, fp, fn),
            "precision": 100.0 * tp / (tp + fp) if tp + fp else 0.0,
            "recall": 100.0 * tp / (tp + fn) if tp + fn else 0.0,
            "macro_f1": 100.0 * macro,
            "exact_match": 100.0 * exact / len(gold)}


# ---------------------------------------------------------------------------
# TF-IDF + logistic regression
# ---------------------------------------------------------------------------
def import_sklearn():
    try:
        import numpy  # noqa: F401
        import sklearn  # noqa: F401
    except ImportError:
        raise Failure("scikit-learn is not installed (pip install scikit-learn), "
                      "or run only fastText with --methods fasttext") from None
    return sklearn.__version__


def tfidf_lr(data, threshold):
    import numpy as np
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier

    if data.char:
        vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True)
    else:
        vectorizer = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                                     lowercase=True, token_pattern=TOKEN_PATTERN)
    x_train = vectorizer.fit_transform(data.train_texts)
    x_test = vectorizer.transform(data.test_texts)
    model = LogisticRegression(C=10.0, max_iter=2000)
    notes = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        if data.multi_label:
            index = {c: i for i, c in enumerate(data.classes)}
            y = np.zeros((len(data.train_labels), len(data.classes)), dtype=int)
            for row, labels in enumerate(data.train_labels):
                y[row, [index[l] for l in labels]] = 1
            # Every class occurs in training, so each binary problem has both values.
            probabilities = OneVsRestClassifier(model).fit(x_train, y).predict_proba(x_test)
            predicted = [[data.classes[j] for j in np.flatnonzero(row >= threshold)]
                         for row in probabilities]
        else:
            predicted = [[label] for label in
                         model.fit(x_train, [labels[0] for labels in data.train_labels]).predict(x_test)]
    if any(issubclass(w.category, ConvergenceWarning) for w in caught):
        notes.append("logistic regression did not converge in 2000 iterations")
    result = score(data.test_labels, predicted, data.multi_label)
    result["features"] = len(vectorizer.vocabulary_)
    return result, notes


# ---------------------------------------------------------------------------
# fastText
# ---------------------------------------------------------------------------
def fasttext_line(text, char):
    if char:
        return " ".join(c for c in text if not c.isspace())
    return text.lower()


def fasttext_runs(data, exe, seeds, threshold, threads, shuffle, tmp):
    """One result per seed; labels are written as class indices (no spaces or
    clashes), and scored from `fasttext predict`, which prints one line per
    input line (`fasttext test` would skip documents whose labels are unseen).
    fastText reads its training file in order, so with shuffle the examples
    are permuted by the seed first."""
    train_path, test_path = os.path.join(tmp, "train.txt"), os.path.join(tmp, "test.txt")
    index = {c: i for i, c in enumerate(data.classes)}
    train_lines = [" ".join(f"__label__{index[l]}" for l in labels) + " " + fasttext_line(text, data.char) + "\n"
             for labels, text in zip(data.train_labels, data.train_texts)]

    def write_train(order):
        with open(train_path, "w", encoding="utf-8", newline="\n") as out:
            out.writelines(train_lines[i] for i in order)
    if not shuffle:
        write_train(range(len(train_lines)))
    with open(test_path, "w", encoding="utf-8", newline="\n") as out:
        for text in data.test_texts:
            out.write(fasttext_line(text, data.char) + "\n")
    k, extra = (["-1", str(threshold)], ["-loss", "ova"]) if data.multi_label else (["1"], [])
    results = []
    for seed in seeds:
        start = time.monotonic()
        if shuffle:
            order = list(range(len(train_lines)))
            random.Random(seed).shuffle(order)
            write_train(order)
        model = os.path.join(tmp, f"model-{seed}")
        run([exe, "supervised", "-input", train_path, "-output", model,
             "-epoch", "25", "-lr", "0.5", "-wordNgrams", "2", "-thread", str(threads),
             "-seed", str(seed), "-verbose", "0", *extra])
        lines = run([exe, "predict", model + ".bin", test_path, *k]).split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        if len(lines) != len(data.test_texts):
            raise Failure(f"{data.folder}: fasttext predict gave {len(lines)} lines "
                          f"for {len(data.test_texts)} test documents")
        predicted = [[data.classes[int(token[len('__label__'):])] for token in line.split()
                      if token.startswith("__label__")] for line in lines]
        result = score(data.test_labels, predicted, data.multi_label)
        result["seed"] = seed
        result["seconds"] = time.monotonic() - start
        results.append(result)
        for suffix in (".bin", ".vec"):
            if os.path.exists(model + suffix):
                os.remove(model + suffix)
    return results


def run(command):
    try:
        done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8")
    except OSError as error:
        raise Failure(f"{command[0]}: {error.strerror}") from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        raise Failure(f"fasttext {command[1]} failed: {last}")
    return done.stdout


def find_fasttext(path):
    exe = shutil.which(path)
    if exe is None:
        raise Failure(f"the fasttext command was not found ({path}; apt-get install fasttext), "
                      "or run only TF-IDF+LR with --methods tfidf_lr")
    return exe


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------
def mean_sd(values):
    if not values:
        return None, None
    return statistics.fmean(values), (statistics.stdev(values) if len(values) > 1 else 0.0)


def summarise(data, lr, lr_seconds, ft_runs, methods):
    row = {"dataset": data.name, "folder": os.path.abspath(data.folder),
           "mode": "char" if data.char else "word", "multi_label": data.multi_label,
           "metric": data.metric, "classes": len(data.classes),
           "train": len(data.train_texts), "test": len(data.test_texts),
           "test_labels_unseen_in_train": data.unseen, "dev_tsv_ignored": data.has_dev}
    if "tfidf_lr" in methods:
        row["tfidf_lr"] = dict(lr, seconds=lr_seconds)
    if "fasttext" in methods:
        mean, sd = mean_sd([r["score"] for r in ft_runs])
        row["fasttext"] = {"mean": mean, "sd": sd, "seeds": [r["seed"] for r in ft_runs],
                           "seconds_per_seed": statistics.fmean(r["seconds"] for r in ft_runs),
                           "runs": ft_runs}
    return row


def tsv_line(row):
    lr, ft = row.get("tfidf_lr"), row.get("fasttext")
    if ft is None:
        ft_text = "-"
    elif len(ft["seeds"]) > 1:
        ft_text = f"{ft['mean']:.1f} ± {ft['sd']:.1f}"
    else:
        ft_text = f"{ft['mean']:.1f}"
    fields = [row["dataset"], row["classes"], row["train"], row["test"], row["metric"],
              "-" if lr is None else f"{lr['score']:.1f}", ft_text,
              "-" if lr is None else f"{lr['seconds']:.1f}",
              "-" if ft is None else f"{ft['seconds_per_seed']:.1f}"]
    return "\t".join(str(f) for f in fields)


def write_atomically(path, text):
    """Write under a temporary name in the target folder, then rename."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise Failure(f"{path}: no such folder {folder}")
    try:
        handle, tmp = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(path) + ".", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError as error:
        raise Failure(f"{path}: {error.strerror}") from None


# ---------------------------------------------------------------------------
def parse_arguments(argv):
    parser = Parser(
        prog="baselines.py", formatter_class=argparse.RawDescriptionHelpFormatter,
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1] + """
examples:
  baselines.py ../shared/data/en/trec ../shared/data/en/mr
  baselines.py --char ../shared/data/zh/waimai_10k --seeds 1
  baselines.py ../shared/data/en/reuters --methods fasttext --threshold 0.5
  make baselines        # every folder of ../shared/data, zh/* in char mode""")
    parser.add_argument("folders", nargs="*", metavar="DIR",
                        help="dataset folder with train.tsv and test.tsv, read at word level")
    parser.add_argument("--char", action="append", default=[], metavar="DIR",
                        help="dataset folder read at character level (Chinese); repeatable")
    parser.add_argument("--seeds", default="1", metavar="S,S,...",
                        help="fastText seeds, one run each (default 1; the README's tables use 1,2,3)")
    parser.add_argument("--methods", default=",".join(METHODS), metavar="M,M",
                        help="which baselines: tfidf_lr, fasttext or both (default both)")
    parser.add_argument("--threshold", type=float, default=0.5,
                        help="multi-label: predict a label when its probability is >= this (default 0.5)")
    parser.add_argument("--threads", type=int, default=2, metavar="N",
                        help="fastText -thread (default 2, the protocol's; only 1 repeats a run exactly)")
    parser.add_argument("--shuffle", action="store_true",
                        help="fastText: train on the examples permuted by the seed, not in file order "
                             "(not the protocol of ../shared's figures; see above)")
    parser.add_argument("--fasttext", default="fasttext", metavar="PATH",
                        help="the fasttext command (default: fasttext on the PATH)")
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="write the TSV lines to FILE (atomically) instead of standard output")
    parser.add_argument("--json", metavar="FILE",
                        help="also write every figure (per seed, F1 details, seconds) as JSON, atomically")
    parser.add_argument("--no-header", action="store_true", help="omit the TSV header line")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args(argv)
    if not args.folders and not args.char:
        parser.error("give at least one dataset folder (DIR or --char DIR)")
    try:
        args.seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--seeds: '{args.seeds}' is not a comma-separated list of integers")
    if not args.seeds or any(s < 0 for s in args.seeds):
        parser.error("--seeds: give one or more non-negative integers")
    args.methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    if not args.methods or any(m not in METHODS for m in args.methods):
        parser.error(f"--methods: choose from {', '.join(METHODS)}")
    if args.threads < 1:
        parser.error("--threads: must be at least 1")
    if not 0.0 < args.threshold < 1.0:
        parser.error("--threshold: must lie strictly between 0 and 1")
    return args


def main(argv):
    args = parse_arguments(argv)
    say = (lambda message: None) if args.quiet else (lambda message: print(message, file=sys.stderr, flush=True))
    # Everything that can be checked is checked before the first (long) run.
    for path in (args.output, args.json):
        if path is not None and not os.path.isdir(os.path.dirname(os.path.abspath(path))):
            raise Failure(f"{path}: no such folder {os.path.dirname(os.path.abspath(path))}")
    environment = {"python": sys.version.split()[0]}
    if "tfidf_lr" in args.methods:
        environment["scikit_learn"] = import_sklearn()
    exe = find_fasttext(args.fasttext) if "fasttext" in args.methods else None
    if exe:
        environment["fasttext"] = exe
    datasets = [Dataset(f, char=False) for f in args.folders] + [Dataset(f, char=True) for f in args.char]

    rows, lines = [], [] if args.no_header else ["\t".join(COLUMNS)]
    if args.output is None and lines:
        print(lines[0], flush=True)
    for data in datasets:
        say(f"{PROG}: {data.name}: {len(data.classes)} classes, {len(data.train_texts)} train, "
            f"{len(data.test_texts)} test, {'char' if data.char else 'word'} mode, {data.metric}"
            + (" (dev.tsv not used)" if data.has_dev else "")
            + (f"; {len(data.unseen)} test labels unseen in training" if data.unseen else ""))
        lr, lr_seconds, ft_runs = None, None, []
        if "tfidf_lr" in args.methods:
            start = time.monotonic()
            lr, notes = tfidf_lr(data, args.threshold)
            lr_seconds = time.monotonic() - start
            for note in notes:
                say(f"{PROG}: {data.name}: note: {note}")
            say(f"{PROG}: {data.name}: tfidf_lr {lr['score']:.2f} ({lr_seconds:.1f} s)")
        if exe:
            with tempfile.TemporaryDirectory(prefix="baselines-") as tmp:
                ft_runs = fasttext_runs(data, exe, args.seeds, args.threshold, args.threads, args.shuffle, tmp)
            for r in ft_runs:
                say(f"{PROG}: {data.name}: fasttext seed {r['seed']} {r['score']:.2f} ({r['seconds']:.1f} s)")
        row = summarise(data, lr, lr_seconds, ft_runs, args.methods)
        rows.append(row)
        lines.append(tsv_line(row))
        if args.output is None:
            print(lines[-1], flush=True)
    if args.output is not None:
        write_atomically(args.output, "\n".join(lines) + "\n")
    if args.json is not None:
        document = {"protocol": {
                        "tfidf_lr": "TfidfVectorizer(sublinear_tf=True, ngram_range=(1,2), lowercase, "
                                    f"token_pattern={TOKEN_PATTERN!r} | analyzer='char' for char mode) + "
                                    "LogisticRegression(C=10, max_iter=2000); one-vs-rest when multi-label",
                        "fasttext": f"supervised -epoch 25 -lr 0.5 -wordNgrams 2 -thread {args.threads} -seed S "
                                    "(-loss ova when multi-label); text lower-cased, or split into characters; "
                                    + ("training examples permuted by the seed" if args.shuffle
                                       else "training examples in file order"),
                        "fasttext_shuffle": args.shuffle,
                        "threshold": args.threshold, "seeds": args.seeds, "sd": "sample (n-1)"},
                    "environment": environment, "datasets": rows}
        write_atomically(args.json, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Failure as failure:
        print(f"{PROG}: {failure}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        sys.exit(130)
