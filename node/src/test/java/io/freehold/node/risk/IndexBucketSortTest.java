package io.freehold.node.risk;

import static io.freehold.node.risk.StateBuilder.address;
import static org.assertj.core.api.Assertions.assertThat;

import io.freehold.node.risk.LiquidationIndex.Entry;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link IndexBucket#sort}, the primitive sort a rebuilt index is filled with, gives exactly the
 * comparator's order, also where the bits it sorts on cannot tell keys apart.
 */
class IndexBucketSortTest {

    @Test
    void theOrderIsTheComparatorsForTiesNearTiesAndEverySize() {
        Random random = new Random(5);
        for (int n : new int[] {0, 1, 2, 3, 17, 1_000, 70_000}) {
            List<Entry> entries = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                double key =
                        switch (i % 4) {
                            // equal keys: only the account orders them
                            case 0 -> 0.5;
                            // keys one ulp apart: they differ only in bits the sort cuts off
                            case 1 -> Math.nextUp(0.5) + Math.ulp(0.5) * random.nextInt(8);
                            // anything, from dust to huge ratios
                            case 2 ->
                                    Math.scalb(
                                            random.nextDouble() + 0.5, random.nextInt(200) - 100);
                            default -> random.nextDouble();
                        };
                entries.add(new Entry(address(1 + i), BigInteger.ONE, BigInteger.ONE, key));
            }
            Collections.shuffle(entries, random);
            Entry[] sorted = entries.toArray(new Entry[0]);
            Entry[] expected = sorted.clone();
            Arrays.sort(expected, IndexBucket.ORDER);

            IndexBucket.sort(sorted);

            assertThat(sorted).as("%d entries", n).containsExactly(expected);
        }
    }
}
