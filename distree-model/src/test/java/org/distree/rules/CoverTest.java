package org.distree.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Range;
import org.distree.model.Status;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class CoverTest {
    private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

    /** A bound: {@code "c"} for the key c, {@code "c@m"} for key c with link part m. */
    private static @Nullable Bound b(@Nullable String key) {
        if (key == null) {
            return null;
        }
        int at = key.indexOf('@');
        return at < 0 ? Bound.of(key) : new Bound(key.substring(0, at), key.substring(at + 1));
    }

    private static ChildRef child(
            String href, @Nullable String low, @Nullable String high, long size) {
        return child(href, low, high, size, Status.OK, T);
    }

    private static ChildRef child(
            String href,
            @Nullable String low,
            @Nullable String high,
            long size,
            Status status,
            @Nullable Instant checked) {
        return new ChildRef(href, new Range(b(low), b(high)), 0, size, checked, status, Map.of());
    }

    private static List<String> hrefs(List<ChildRef> cover) {
        return cover.stream().map(ChildRef::href).toList();
    }

    /** Many children whose preferences contradict each other: nested ranges of mixed sizes. */
    private static List<ChildRef> tangled() {
        java.util.Random random = new java.util.Random(7);
        List<ChildRef> out = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            char lo = (char) ('a' + random.nextInt(20));
            char hi = (char) (lo + 1 + random.nextInt(6));
            out.add(child(
                    "http://m" + i + ".example/n.html",
                    random.nextInt(4) == 0 ? null : String.valueOf(lo),
                    random.nextInt(4) == 0 ? null : String.valueOf(hi),
                    1 + random.nextInt(50),
                    Status.OK,
                    T.plusSeconds(random.nextInt(3))));
        }
        return out;
    }

    @Test
    void mostPreferredFirstOrdersChildrenThatASortCannot() {
        List<ChildRef> children = tangled();
        List<ChildRef> ordered = Cover.mostPreferredFirst(children);
        assertThat(ordered).containsExactlyInAnyOrderElementsOf(children);
        // Why a sort will not do: three children each preferred to the next. b lies inside a
        // and is larger (rule 8); a reaches further than c; c reaches further than b.
        ChildRef a = child("http://a.example/n.html", "c", "p", 10);
        ChildRef b = child("http://b.example/n.html", "d", "f", 20);
        ChildRef c = child("http://c.example/n.html", "e", "k", 5);
        assertThat(Cover.PREFERENCE.compare(b, a)).isPositive();
        assertThat(Cover.PREFERENCE.compare(a, c)).isPositive();
        assertThat(Cover.PREFERENCE.compare(c, b)).isPositive();
        assertThat(Cover.mostPreferredFirst(List.of(a, b, c))).containsExactlyInAnyOrder(a, b, c);
        assertThat(Cover.mostPreferredFirst(children)).isEqualTo(ordered);
    }

    @Test
    void aPartitionIsItsOwnCover() {
        List<ChildRef> kids = List.of(
                child("1", null, "g", 10), child("2", "g", "p", 20), child("3", "p", null, 30));

        assertThat(hrefs(Cover.cover(Range.ALL, kids))).containsExactly("1", "2", "3");
        assertThat(Cover.size(Range.ALL, kids)).isEqualTo(60);
        assertThat(Cover.firstGap(Range.ALL, kids)).isEmpty();
    }

    @Test
    void gapsAreFoundAtTheStartInTheMiddleAndAtTheEnd() {
        List<ChildRef> kids = List.of(child("1", "c", "g", 1), child("2", "k", "p", 1));

        assertThat(Cover.firstGap(Range.ALL, kids).map(Object::toString)).contains("[-inf, c)");
        assertThat(Cover.firstGap(new Range(b("c"), null), kids).map(Object::toString))
                .contains("[g, k)");
        assertThat(Cover.firstGap(new Range(b("k"), null), kids).map(Object::toString))
                .contains("[p, +inf)");
        assertThat(Cover.firstGap(new Range(b("d"), b("f")), kids)).isEmpty();
        assertThat(Cover.firstGap(new Range(b("c"), b("k")), kids).map(Object::toString))
                .contains("[g, k)");
        assertThat(Cover.firstGap(new Range(b("a"), b("b")), kids).map(Object::toString))
                .contains("[a, b)");
        assertThat(Cover.firstGap(Range.ALL, List.of()).map(Object::toString))
                .contains("[-inf, +inf)");
    }

    @Test
    void theCoverSkipsGapsAndDeadChildren() {
        List<ChildRef> kids = List.of(
                child("1", null, "c", 5),
                child("2", "c", "k", 7, Status.DEAD, T),
                child("3", "k", null, 9));

        assertThat(hrefs(Cover.cover(Range.ALL, kids))).containsExactly("1", "3");
        assertThat(Cover.size(Range.ALL, kids)).isEqualTo(14);
        assertThat(Cover.firstGap(Range.ALL, kids).map(Object::toString)).contains("[c, k)");
    }

    @Test
    void aFailingChildStillCovers() {
        List<ChildRef> kids = List.of(child("1", null, null, 5, Status.FAILING, null));

        assertThat(Cover.firstGap(Range.ALL, kids)).isEmpty();
        assertThat(Cover.size(Range.ALL, kids)).isEqualTo(5);
    }

    @Test
    void overlappingAlternatesAreCountedOnceAlongTheCover() {
        List<ChildRef> kids = List.of(
                child("a", null, "m", 10),
                child("b", null, "m", 10),
                child("c", "m", null, 10),
                child("d", "g", null, 10));

        List<ChildRef> cover = Cover.cover(Range.ALL, kids);

        assertThat(cover).hasSize(2);
        assertThat(Cover.size(Range.ALL, kids)).isEqualTo(20);
        assertThat(Cover.firstGap(Range.ALL, kids)).isEmpty();
    }

    @Test
    void aNarrowerLargerChildIsPreferredThenOkThenFresher() {
        ChildRef wide = child("wide", "a", "z", 10);
        ChildRef narrowLarger = child("narrow", "c", "f", 50);
        ChildRef narrowSmaller = child("small", "c", "f", 5);

        assertThat(Cover.PREFERENCE.compare(narrowLarger, wide)).isPositive();
        assertThat(Cover.PREFERENCE.compare(wide, narrowLarger)).isNegative();
        assertThat(Cover.PREFERENCE.compare(narrowSmaller, wide)).isNotPositive();

        ChildRef ok = child("ok", "a", "z", 10, Status.OK, T);
        ChildRef failing = child("failing", "a", "z", 10, Status.FAILING, T.plusSeconds(60));
        assertThat(Cover.PREFERENCE.compare(ok, failing)).isPositive();

        ChildRef fresh = child("fresh", "a", "z", 10, Status.OK, T.plusSeconds(60));
        ChildRef never = child("never", "a", "z", 10, Status.OK, null);
        assertThat(Cover.PREFERENCE.compare(fresh, ok)).isPositive();
        assertThat(Cover.PREFERENCE.compare(ok, never)).isPositive();
    }

    @Test
    void aCompleteChildIsPreferredOverAPartialOneRightAfterRule8sFirstClause() {
        ChildRef partial = child("http://a.example/n.html", "a", "z", 10).withPartial(true);
        ChildRef complete = child("http://z.example/n.html", "a", "m", 10);
        // The partial child reaches further and links first: both would prefer it.
        assertThat(Cover.PREFERENCE.compare(complete, partial)).isPositive();
        assertThat(Cover.PREFERENCE.compare(partial, complete)).isNegative();
        assertThat(Cover.PREFERENCE.compare(complete, partial.withPartial(false)))
                .isNegative();

        // Before status and the check's date: a failing, never checked complete child still wins.
        ChildRef failing = child("http://f.example/n.html", "a", "z", 10, Status.FAILING, null);
        ChildRef freshPartial =
                child("http://p.example/n.html", "a", "z", 10, Status.OK, T).withPartial(true);
        assertThat(Cover.PREFERENCE.compare(failing, freshPartial)).isPositive();

        // Rule 8's first clause comes first: a narrower partial child with a larger subtree is
        // preferred to a wide complete one.
        ChildRef wide = child("http://w.example/n.html", null, null, 10);
        ChildRef narrowLarger = child("http://n.example/n.html", "c", "f", 50).withPartial(true);
        assertThat(Cover.PREFERENCE.compare(narrowLarger, wide)).isPositive();

        List<ChildRef> kids = List.of(partial, complete, child("tail", "m", null, 1));
        assertThat(Cover.mostPreferredFirst(List.of(partial, complete)))
                .containsExactly(complete, partial);
        assertThat(hrefs(Cover.cover(new Range(b("a"), b("k")), kids)))
                .containsExactly("http://z.example/n.html");
    }

    @Test
    void aRangeIsPartialWhereOnlyPartialChildrenOrNoneHoldAPoint() {
        ChildRef left = child("left", null, "m", 2);
        ChildRef right = child("right", "m", null, 1).withPartial(true);

        assertThat(Cover.partial(Range.ALL, List.of(left, right))).isTrue();
        assertThat(Cover.partial(new Range(b("a"), b("k")), List.of(left, right)))
                .isFalse();
        assertThat(Cover.partial(new Range(b("p"), null), List.of(left, right))).isTrue();
        // A complete alternate over the partial child's range makes it whole again, unless dead.
        ChildRef alt = child("alt", "k", null, 3);
        assertThat(Cover.partial(Range.ALL, List.of(left, alt, right))).isFalse();
        ChildRef deadAlt = child("alt", "k", null, 3, Status.DEAD, T);
        assertThat(Cover.partial(Range.ALL, List.of(left, deadAlt, right))).isTrue();
        // A gap with no child at all counts as well.
        assertThat(Cover.partial(Range.ALL, List.of(left))).isTrue();
        assertThat(Cover.partial(Range.ALL, List.of())).isTrue();
        assertThat(Cover.partial(Range.ALL, List.of(left, child("r", "m", null, 1))))
                .isFalse();
    }

    @Test
    void theCoverTakesThePreferredChildAtEachPointItJumpsTo() {
        // FORMAT.md, size rule: take the preferred child that holds the point, add its size,
        // jump to its high, repeat.
        List<ChildRef> kids =
                List.of(child("wide", null, null, 100), child("narrow", "c", "f", 500));

        assertThat(hrefs(Cover.cover(Range.ALL, kids))).containsExactly("wide");
        assertThat(hrefs(Cover.cover(new Range(b("c"), b("e")), kids))).containsExactly("narrow");
        assertThat(hrefs(Cover.cover(new Range(b("c"), b("z")), kids)))
                .containsExactly("narrow", "wide");
        assertThat(Cover.size(new Range(b("c"), b("z")), kids)).isEqualTo(600);
        assertThat(Cover.firstGap(Range.ALL, kids)).isEmpty();
    }

    @Test
    void childrenOutsideTheRangeAreIgnored() {
        List<ChildRef> kids = List.of(
                child("left", null, "c", 1),
                child("in", "c", "k", 2),
                child("right", "k", null, 4));

        assertThat(hrefs(Cover.cover(new Range(b("c"), b("k")), kids))).containsExactly("in");
        assertThat(Cover.size(new Range(b("c"), b("k")), kids)).isEqualTo(2);
    }

    // Properties against a point-by-point reference

    private static final List<String> KEYS =
            List.of("a", "c", "c@m", "e", "g", "g@x", "i", "k", "m");

    @Provide
    Arbitrary<List<ChildRef>> children() {
        Arbitrary<String> key = Arbitraries.of(KEYS).injectNull(0.2);
        Arbitrary<ChildRef> c = Combinators.combine(
                        key,
                        key,
                        Arbitraries.longs().between(0, 99),
                        Arbitraries.of(Status.class),
                        Arbitraries.integers().between(0, 999))
                .as((x, y, size, status, n) -> {
                    Range r = range(x, y);
                    return new ChildRef(
                            "c" + n, r, 0, size, T.plusSeconds(n % 7), status, Map.of());
                });
        return c.list()
                .ofMaxSize(6)
                .map(l -> l.stream()
                        .sorted(Comparator.comparing(
                                (ChildRef r) -> r.range().low(), Range::compareLows))
                        .toList());
    }

    private static Range range(@Nullable String x, @Nullable String y) {
        if (x != null && y != null) {
            int c = b(x).compareTo(b(y));
            if (c == 0) {
                return new Range(b(x), null);
            }
            return c < 0 ? new Range(b(x), b(y)) : new Range(b(y), b(x));
        }
        return new Range(b(x), b(y));
    }

    @Provide
    Arbitrary<Range> ranges() {
        Arbitrary<String> key = Arbitraries.of(KEYS).injectNull(0.3);
        return Combinators.combine(key, key).as(CoverTest::range);
    }

    /** Sample points: every key, and a point just after each. */
    private static List<Bound> points(Range range) {
        List<Bound> out = new ArrayList<>();
        for (String k :
                List.of("", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n")) {
            Bound p = Bound.of(k);
            if (range.contains(p)) {
                out.add(p);
            }
            for (String link : List.of("l", "m", "x", "y")) {
                Bound in = new Bound(k, link);
                if (range.contains(in)) {
                    out.add(in);
                }
            }
        }
        return out;
    }

    private static boolean covered(Bound p, List<ChildRef> children) {
        return children.stream()
                .anyMatch(c -> c.status() != Status.DEAD && c.range().contains(p));
    }

    @Property(tries = 1000)
    void firstGapIsEmptyExactlyWhenEveryPointIsCovered(
            @ForAll("ranges") Range range, @ForAll("children") List<ChildRef> children) {
        Optional<Cover.Gap> gap = Cover.firstGap(range, children);
        List<Bound> uncovered =
                points(range).stream().filter(p -> !covered(p, children)).toList();

        if (uncovered.isEmpty()) {
            assertThat(gap).as("no sample point is uncovered").isEmpty();
        } else {
            assertThat(gap).as("%s is not covered", uncovered.get(0)).isPresent();
            Range g = new Range(gap.get().from(), gap.get().to());
            assertThat(g.contains(uncovered.get(0)))
                    .as("gap %s holds the first uncovered point %s", g, uncovered.get(0))
                    .isTrue();
        }
    }

    @Property(tries = 1000)
    void partialIsTrueExactlyWhenSomePointHasNoLiveCompleteChild(
            @ForAll("ranges") Range range,
            @ForAll("children") List<ChildRef> children,
            @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 63) int marks) {
        List<ChildRef> marked = new ArrayList<>();
        for (int i = 0; i < children.size(); i++) {
            marked.add(children.get(i).withPartial((marks >> i & 1) == 1));
        }
        List<ChildRef> complete = marked.stream().filter(c -> !c.partial()).toList();
        List<Bound> bare =
                points(range).stream().filter(p -> !covered(p, complete)).toList();

        if (!bare.isEmpty()) {
            assertThat(Cover.partial(range, marked))
                    .as("%s has no complete child", bare)
                    .isTrue();
        }
        assertThat(Cover.partial(range, marked))
                .isEqualTo(Cover.firstGap(range, complete).isPresent());
    }

    @Property(tries = 1000)
    void theCoverDoesNotOverlapAndHoldsEachCoveredPointOnce(
            @ForAll("ranges") Range range, @ForAll("children") List<ChildRef> children) {
        List<ChildRef> cover = Cover.cover(range, children);

        assertThat(cover).allSatisfy(c -> assertThat(c.status()).isNotEqualTo(Status.DEAD));
        for (int i = 1; i < cover.size(); i++) {
            assertThat(Range.compareHighs(cover.get(i - 1).range().high(), null))
                    .isNegative();
        }
        for (Bound p : points(range)) {
            if (covered(p, children)) {
                assertThat(cover.stream().anyMatch(c -> c.range().contains(p)))
                        .as("%s is covered by a child but not by the cover", p)
                        .isTrue();
            }
        }
    }
    /**
     * The cover as first written, one scan of every child at each step: the sweep must choose as
     * it did.
     */
    private static List<ChildRef> scanned(Range range, List<ChildRef> children) {
        List<ChildRef> out = new ArrayList<>();
        Bound point = range.low();
        boolean atStart = true;
        while (true) {
            ChildRef best = null;
            Bound nextLow = null;
            for (ChildRef c : children) {
                if (c.status() == Status.DEAD || !c.range().meets(range)) {
                    continue;
                }
                boolean containsPoint = (atStart && point == null)
                        ? c.range().low() == null
                        : point != null && c.range().contains(point);
                if (containsPoint) {
                    if (best == null || Cover.PREFERENCE.compare(c, best) > 0) {
                        best = c;
                    }
                } else if (c.range().low() != null
                        && (point == null || c.range().low().compareTo(point) > 0)
                        && (nextLow == null || c.range().low().compareTo(nextLow) < 0)) {
                    nextLow = c.range().low();
                }
            }
            if (best != null) {
                out.add(best);
                Bound high = best.range().high();
                if (high == null || (range.high() != null && high.compareTo(range.high()) >= 0)) {
                    return out;
                }
                point = high;
            } else if (nextLow != null
                    && (range.high() == null || nextLow.compareTo(range.high()) < 0)) {
                point = nextLow;
            } else {
                return out;
            }
            atStart = false;
        }
    }

    @Property(tries = 2000)
    void theSweepChoosesAsAScanOfEveryChildAtEachStep(
            @ForAll("ranges") Range range, @ForAll("children") List<ChildRef> children) {
        assertThat(hrefs(Cover.cover(range, children))).isEqualTo(hrefs(scanned(range, children)));
    }

    @Test
    void theSweepChoosesAsAScanAmongManyTangledChildren() {
        List<ChildRef> children = tangled().stream()
                .sorted(Comparator.comparing((ChildRef r) -> r.range().low(), Range::compareLows))
                .toList();
        for (Range r : List.of(Range.ALL, new Range(b("c"), b("k")), new Range(b("e@m"), null))) {
            assertThat(hrefs(Cover.cover(r, children))).isEqualTo(hrefs(scanned(r, children)));
        }
    }
}
