package org.distree.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackerTest {
    /** An item of the packer: its bytes in a parent, and its subtree size. */
    record Item(int bytes, long size) {}

    private static List<Item> items(int count, int bytes, long size) {
        List<Item> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new Item(bytes, size));
        }
        return out;
    }

    @Test
    void evenCutBySizeBreaksSixteenXWhenSizesDifferALot() {
        List<Item> items = items(45, 200, 9);
        items.addAll(items(6, 200, 230));

        List<List<Item>> even =
                Packer.pack(items, Packer.ItemBytes.alone(Item::bytes), Item::size, 9600, 2);

        assertThat(Packer.parentLinks(even, Item::size)).isEqualTo(items.size());
    }

    @Test
    void sixteenXCutGroupsTheSmallItemsAndLeavesTheLargeOnesToTheParent() {
        List<Item> items = items(45, 200, 9);
        items.addAll(items(6, 200, 230));

        List<List<Item>> cut = Packer.packSixteenX(items, Item::bytes, Item::size, 9600);

        assertThat(cut.stream().mapToInt(List::size).sum()).isEqualTo(items.size());
        assertThat(Packer.parentLinks(cut, Item::size)).isEqualTo(1 + 6);
        assertThat(cut).allSatisfy(g -> assertThat(g.size() * 200).isLessThanOrEqualTo(9600));
    }

    @Test
    void sixteenXCutAlwaysCutsAtLeastOnce() {
        List<Item> items = items(40, 100, 1);

        List<List<Item>> cut = Packer.packSixteenX(items, Item::bytes, Item::size, 100_000);

        assertThat(cut).hasSize(2);
        assertThat(cut).allSatisfy(g -> assertThat(g).hasSize(20));
    }
}
