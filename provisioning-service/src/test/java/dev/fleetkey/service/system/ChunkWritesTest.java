package dev.fleetkey.service.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkWritesTest {

    @Test
    void flushHandsEachTablesRowsToItsWriterOnceInTheOrderTheTablesFirstGotARow() {
        List<String> written = new ArrayList<>();
        ChunkWrites writes = ChunkWrites.open();
        try {
            writes.add("credentials", rows -> written.add("credentials " + rows), "c1");
            writes.add("identities", rows -> written.add("identities " + rows), "i1");
            writes.add("credentials", rows -> written.add("credentials " + rows), "c2");

            writes.flush();
            writes.flush();

            assertThat(written).containsExactly("credentials [c1, c2]", "identities [i1]");
        } finally {
            writes.close();
        }
    }

    @Test
    void aKeyIsClaimedOncePerChunkAndPerSpace() {
        ChunkWrites writes = ChunkWrites.open();
        try {
            assertThat(writes.claim("psk_identities", "a")).isTrue();
            assertThat(writes.claim("psk_identities", "a")).isFalse();
            assertThat(writes.claim("device_public_keys", "a")).isTrue();
        } finally {
            writes.close();
        }
    }

    @Test
    void nothingCollectsOutsideAChunkAndOneThreadOpensOneChunkAtATime() {
        assertThat(ChunkWrites.current()).isEmpty();
        ChunkWrites writes = ChunkWrites.open();
        try {
            assertThat(ChunkWrites.current()).containsSame(writes);
            assertThatThrownBy(ChunkWrites::open).isInstanceOf(IllegalStateException.class);
        } finally {
            writes.close();
        }
        assertThat(ChunkWrites.current()).isEmpty();
    }
}
