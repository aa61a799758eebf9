package io.eksaccess.console.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RbacPagesSliceTest {

    static final List<Integer> TEN = IntStream.rangeClosed(1, 10).boxed().toList();

    @Test
    void pagesCutTheListAndSayWhereTheyAre() {
        RbacPages.Slice<Integer> second = RbacPages.page(TEN, 2, 4);
        assertThat(second.rows()).containsExactly(5, 6, 7, 8);
        assertThat(second).extracting(RbacPages.Slice::page, RbacPages.Slice::pages, RbacPages.Slice::from,
                RbacPages.Slice::to).containsExactly(2, 3, 5, 8);
        assertThat(RbacPages.page(TEN, 3, 4).rows()).containsExactly(9, 10);
    }

    @Test
    void outOfRangePagesAreClampedAndAnEmptyListIsOnePage() {
        assertThat(RbacPages.page(TEN, 0, 4).page()).isEqualTo(1);
        assertThat(RbacPages.page(TEN, 99, 4).rows()).containsExactly(9, 10);
        RbacPages.Slice<Integer> none = RbacPages.page(List.<Integer>of(), 1, 4);
        assertThat(none).extracting(RbacPages.Slice::pages, RbacPages.Slice::from, RbacPages.Slice::to)
                .containsExactly(1, 0, 0);
    }
}
