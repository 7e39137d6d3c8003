"""PyTorch side of `capsbench`: times ONE benchmark row of the reference model.

capsbench runs this script once per row, in its own process, so the peak
resident memory it reports (VmHWM) belongs to that row alone. The workloads
mirror capsbench's Swift rows exactly:

  train-*    forward + margin/reconstruction loss + backward + Adam step
             (decoder masked by the labels; lam_recon 0 skips the decoder)
  infer-*    forward to the class-capsule lengths under no_grad (no decoder)
  latency-*  the same at batch 1

Inputs are random of the reference shape [B, 40, 200] in [0, 1) with random
labels, seeded. Prints ONE line of JSON on stdout:
  {"row": ..., "step_seconds": [...], "median_seconds": ..., "samples_per_second": ...,
   "peak_rss_mib": ..., "torch": "2.x"}
"""
import argparse
import importlib.util
import json
import statistics
import sys
import time


def load_reference(path):
    spec = importlib.util.spec_from_file_location("capsnet_ref", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def peak_rss_mib():
    """VmHWM of this process (Linux), in MiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", required=True, help="path of capsnet_ref.py")
    parser.add_argument("--kind", choices=["train", "infer"], required=True)
    parser.add_argument("--row", required=True, help="row name, echoed in the output")
    parser.add_argument("--classes", type=int, required=True)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--lam-recon", type=float, default=0.392)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    import torch
    import torch.nn.functional as F

    ref = load_reference(args.reference)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    model = ref.CapsuleNet(classes=args.classes)
    x = torch.rand(args.batch, model.max_len, model.dim)
    labels = torch.randint(0, args.classes, (args.batch,))
    y = F.one_hot(labels, args.classes).to(x.dtype)
    decode = args.lam_recon != 0

    if args.kind == "train":
        model.train()
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

        def step():
            optimizer.zero_grad()
            lengths, recon = model(x, y, decode=decode)
            loss, _, _ = ref.caps_loss(lengths, y, x, recon, lam_recon=args.lam_recon)
            loss.backward()
            optimizer.step()
    else:
        model.eval()

        def step():
            with torch.no_grad():
                model(x, decode=False)

    times = []
    for i in range(args.warmup + args.steps):
        start = time.perf_counter()
        step()
        elapsed = time.perf_counter() - start
        if i >= args.warmup:
            times.append(elapsed)
    median = statistics.median(times)
    json.dump({"row": args.row, "step_seconds": times, "median_seconds": median,
               "samples_per_second": args.batch / median, "peak_rss_mib": peak_rss_mib(),
               "torch": torch.__version__}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
