#!/usr/bin/env python3
"""The largest store a ring's places alone give (issue 13, docs/SCALE.md): a model, not the simulator.

  ring-model.py [--machines 50,200,1000] [--places 8,16,32] [--replicas 3] [--seeds 5] [--moves 0]

Each machine takes PLACES points drawn uniformly at random in [0, 1) (the ring's places, as
SHA-256 of ORIGIN#i gives them through a scale that follows the keys); the arc from a place to
the next is held by the machine of that place and by the machines of the places before it,
until REPLICAS distinct machines hold it (maintain.internal.Ring). A machine stores its own
entries (one share, spread over every key) and the entries of the arcs it holds, its own among
them counted once: 1 + (N - 1) * held shares, where held is the fraction of the keys it holds.
Prints, for each ring size and number of places, the mean store and the largest store of each
seed (random.Random(seed)), in shares (entries / machines).

With --moves R, also the largest store after R rounds of moves as maintain.internal.Balance
makes them (docs/PROTOCOL.md, "Ranges that move with load"): in each round every machine that
stores more than 1.3 times the median store sheds the excess above 1.15 times it, moving its
places forward, the place whose own segment is largest first, each past at most 3/4 of its
segment, leaving a place whose segment before it also holds; all machines move at once, each
against the stores of the round before.

What the model leaves out, and the simulator measures: the places are mapped through the scale
each machine read (so two machines' places rest on slightly different samples), copies kept
beside the ranges (partial leaves, bridges), and entries drawn rather than spread evenly.
"""
import argparse
import random
import statistics


def ring_of(machines, places, seed):
    """A ring: sorted [point, machine] pairs, places drawn uniformly."""
    r = random.Random(seed)
    return sorted([r.random(), m] for m in range(machines) for _ in range(places))


def holders(ring, i, replicas, machines):
    """The machines that hold segment i: its place's and those before, until replicas."""
    out = []
    j = i
    while len(out) < min(replicas, machines):
        m = ring[j % len(ring)][1]
        if m not in out:
            out.append(m)
        j -= 1
    return out


def segment(ring, i):
    """The length of segment i, from place i to the next (the last wraps round)."""
    return (ring[i + 1][0] if i + 1 < len(ring) else ring[0][0] + 1.0) - ring[i][0]


def stores(machines, places, replicas, seed):
    """Each machine's store, in shares, for one ring."""
    return stores_of(ring_of(machines, places, seed), machines, replicas)


def stores_of(ring, machines, replicas):
    """Each machine's store, in shares, for a ring."""
    held = [0.0] * machines
    for i in range(len(ring)):
        for m in holders(ring, i, replicas, machines):
            held[m] += segment(ring, i)
    return [1 + (machines - 1) * h for h in held]


def moved(ring, machines, replicas, rounds):
    """The ring after rounds of moves (the module comment), and the largest store after each."""
    largest = []
    for _ in range(rounds):
        st = stores_of(ring, machines, replicas)
        median = sorted(st)[len(st) // 2]
        n = len(ring)
        mine = {}
        for i, (_, m) in enumerate(ring):
            if st[m] > 1.3 * median:
                mine.setdefault(m, []).append(i)
        for m, places in mine.items():
            excess = (st[m] - 1.15 * median) / (machines - 1)
            for i in sorted(places, key=lambda i: -segment(ring, i)):
                if excess <= 0:
                    break
                if m in holders(ring, (i - 1) % n, replicas, machines):
                    continue
                cut = min(excess, 0.75 * segment(ring, i))
                ring[i][0] = (ring[i][0] + cut) % 1.0
                excess -= cut
        ring.sort()
        largest.append(max(stores_of(ring, machines, replicas)))
    return largest


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--machines", default="50,200,1000")
    p.add_argument("--places", default="8,16,32")
    p.add_argument("--replicas", type=int, default=3)
    p.add_argument("--seeds", type=int, default=5)
    p.add_argument("--moves", type=int, default=0)
    a = p.parse_args()
    print("machines\tplaces\tmean\tlargest, by seed"
          + ("\tlargest after %d rounds of moves, by seed" % a.moves if a.moves else ""))
    for machines in (int(x) for x in a.machines.split(",")):
        for places in (int(x) for x in a.places.split(",")):
            runs = [stores(machines, places, a.replicas, s) for s in range(a.seeds)]
            mean = statistics.mean(statistics.mean(s) for s in runs)
            largest = " ".join("%.2f" % max(s) for s in runs)
            after = ""
            if a.moves:
                after = "\t" + " ".join(
                    "%.2f" % moved(ring_of(machines, places, s), machines, a.replicas, a.moves)[-1]
                    for s in range(a.seeds))
            print("%d\t%d\t%.2f\t%s%s" % (machines, places, mean, largest, after))


if __name__ == "__main__":
    main()
