"""Fit the screening classifier heads on licensing/screening_data/training.jsonl (``--with-dev`` adds
the dev sets: dev*.jsonl, train split only, each brief once; tried and withdrawn, see DESIGN.md) and save them to
licensing/screening_data/head.npz and ngram.npz (reproducible: same data, same heads). Regularisation and the
refusal threshold are chosen on the training set's own validation split (never the held-out set):
see licensing/screening/training.py."""
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Retrain the content screening classifier heads from the shipped training set."

    def add_arguments(self, parser):
        parser.add_argument("--threads", type=int, default=1, help="torch threads for embedding (default 1)")
        parser.add_argument(
            "--ngram-only", action="store_true",
            help="fit and save only the n-gram head (ngram.npz); head.npz is left as it is (the first head is still "
            "fitted on the train split, unsaved, for the n-gram head's validation protocol)",
        )

        parser.add_argument(
            "--with-dev", action="store_true",
            help="add the dev sets' briefs (dev*.jsonl, each once, less any in a held-out set) to the train split; "
            "the shipped heads are fitted without them (DESIGN.md, Training on the dev sets)",
        )
        parser.add_argument(
            "--with-ordinary", action="store_true",
            help="add the ordinary brand briefs of ordinary.jsonl (benign, camera/studio/pose vocabulary in five "
            "languages, less any in a held-out set) to the train split, to sit beside the dev sets' camera briefs",
        )

        parser.add_argument(
            "--C", type=float, default=None, dest="c",
            help="fit the embedding head at this regularisation strength only, instead of choosing one of C_GRID on the "
            "validation split (a strength chosen on the dev sets and the plain check: DESIGN.md, Training on the dev sets)",
        )
        parser.add_argument(
            "--threshold", type=float, default=None,
            help="the embedding head's refusal threshold, where one chosen on the dev sets replaces the validation "
            "split's (the shipped heads: 0.5587, DESIGN.md, The awareness frame)",
        )

    def handle(self, *args, **options):
        import torch

        from licensing.screening.training import TARGET_HEAD_BENIGN_REFUSALS, train

        torch.set_num_threads(max(1, options["threads"]))

        kw = {"with_dev": options["with_dev"], "with_ordinary": options["with_ordinary"], "threshold": options["threshold"], "c": options["c"]}
        _, stats = train(**kw, out=None) if options["ngram_only"] else train(**kw)
        for t in stats["trials"]:
            self.stdout.write(
                f"  C={t['C']:<5} class_weight={t['class_weight'] or 'none':<9} threshold {t['threshold']:.3f}: "
                f"validation recall {t['val_recall']:.1%}, benign refusals {t['val_benign_refusals']:.1%} "
                f"(the head's {t['val_head_benign_refusals']:.1%} of those the lexicon passes)"
            )
        for brief in stats["lexical_benign_refusals"]:
            self.stdout.write(f"  lexicon refuses a benign validation brief: {brief!r}")
        self.stdout.write(
            f"trained on {stats['briefs']} briefs ({stats['train']} train, {stats['dev_briefs']} of them from the dev sets, "
            f"{stats['ordinary_briefs']} from ordinary.jsonl, "
            f"+ {stats['validation']} validation); "
            f"C={stats['C']}, class_weight={stats['class_weight'] or 'none'}, threshold {stats['threshold']} "
            f"(the head refuses at most {TARGET_HEAD_BENIGN_REFUSALS:.2%} of the benign validation briefs the lexicon passes); "
            f"validation recall {stats['val_recall']:.1%}, benign refusals {stats['val_benign_refusals']:.1%}"
        )
        if "validation_threshold" in stats:
            self.stdout.write(
                f"  the embedding head's threshold {stats['threshold']} is the one given (--threshold); the validation "
                f"split's would be {stats['validation_threshold']} (the recall and refusals above are at that one)"
            )
        ng = stats["ngram"]
        for t in ng["trials"]:
            self.stdout.write(
                f"  n-gram head C={t['C']:<5} threshold {t['threshold']:.3f}: validation recall with both heads "
                f"{t['val_recall']:.1%}, benign refusals {t['val_benign_refusals']:.1%}"
            )
        self.stdout.write(
            f"n-gram head: C={ng['C']}, threshold {ng['threshold']} (no more benign validation refusals than the "
            f"first head's screen); validation recall {ng['base_val_recall']:.1%} -> {ng['val_recall']:.1%}"
        )
