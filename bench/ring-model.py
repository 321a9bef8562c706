#!/usr/bin/env python3
"""The largest store a ring's places alone give (issue 13, docs/SCALE.md): a model, not the simulator.

  ring-model.py [--machines 50,200,1000] [--places 8,16,32] [--replicas 3] [--seeds 5]

Each machine takes PLACES points drawn uniformly at random in [0, 1) (the ring's places, as
SHA-256 of ORIGIN#i gives them through a scale that follows the keys); the arc from a place to
the next is held by the machine of that place and by the machines of the places before it,
until REPLICAS distinct machines hold it (maintain.internal.Ring). A machine stores its own
entries (one share, spread over every key) and the entries of the arcs it holds, its own among
them counted once: 1 + (N - 1) * held shares, where held is the fraction of the keys it holds.
Prints, for each ring size and number of places, the mean store and the largest store of each
seed (random.Random(seed)), in shares (entries / machines).

What the model leaves out, and the simulator measures: the places are mapped through the scale
each machine read (so two machines' places rest on slightly different samples), copies kept
beside the ranges (partial leaves, bridges), and entries drawn rather than spread evenly.
"""
import argparse
import random
import statistics


def stores(machines, places, replicas, seed):
    """Each machine's store, in shares, for one ring."""
    r = random.Random(seed)
    ring = sorted((r.random(), m) for m in range(machines) for _ in range(places))
    held = [0.0] * machines
    n = len(ring)
    for i, (at, _) in enumerate(ring):
        arc = (ring[i + 1][0] if i + 1 < n else ring[0][0] + 1.0) - at
        holders = []
        j = i
        while len(holders) < min(replicas, machines):
            m = ring[j % n][1]
            if m not in holders:
                holders.append(m)
            j -= 1
        for m in holders:
            held[m] += arc
    return [1 + (machines - 1) * h for h in held]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--machines", default="50,200,1000")
    p.add_argument("--places", default="8,16,32")
    p.add_argument("--replicas", type=int, default=3)
    p.add_argument("--seeds", type=int, default=5)
    a = p.parse_args()
    print("machines\tplaces\tmean\tlargest, by seed")
    for machines in (int(x) for x in a.machines.split(",")):
        for places in (int(x) for x in a.places.split(",")):
            runs = [stores(machines, places, a.replicas, s) for s in range(a.seeds)]
            mean = statistics.mean(statistics.mean(s) for s in runs)
            largest = " ".join("%.2f" % max(s) for s in runs)
            print("%d\t%d\t%.2f\t%s" % (machines, places, mean, largest))


if __name__ == "__main__":
    main()
