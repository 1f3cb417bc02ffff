"""Fit the screening classifier head on licensing/screening_data/training.jsonl and save it to
licensing/screening_data/head.npz (reproducible: same data, same head)."""
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Retrain the content screening classifier head from the shipped training set."

    def add_arguments(self, parser):
        parser.add_argument("--threads", type=int, default=1, help="torch threads for embedding (default 1)")

    def handle(self, *args, **options):
        import torch

        from licensing.screening.training import train

        torch.set_num_threads(max(1, options["threads"]))

        _, stats = train()
        self.stdout.write(
            f"trained on {stats['briefs']} briefs; threshold {stats['threshold']}; "
            f"cross-validated recall {stats['cv_recall']:.1%}, benign refusals {stats['cv_benign_refusals']:.1%}"
        )
