package dev.fleetkey.service.console;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.fleetkey.service.web.WebPageTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The device list's "N matching": counted up to 10,000, so a search over a large fleet answers quickly, and above
 * that the page says "more than 10,000", never a wrong figure.
 */
class DeviceListCountTest extends WebPageTestSupport {

    private static final String TEMPLATE = "count-cap-test";

    @AfterEach
    void removeTheDevices() {
        jdbc.sql("DELETE FROM devices WHERE template_id = :t").param("t", TEMPLATE).update();
    }

    @Test
    void tenThousandMatchingDevicesAreCountedExactlyAndOneMoreReadsMoreThanTenThousand() throws Exception {
        insertDevices(1, 10_000);
        mvc.perform(get("/devices").with(auditor()).param("template", TEMPLATE))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString(">10,000 matching, newest first<")));

        insertDevices(10_001, 10_001);
        mvc.perform(get("/devices").with(auditor()).param("template", TEMPLATE))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString(">more than 10,000 matching, newest first<")));
    }

    @Test
    void aNarrowerFilterIsCountedExactly() throws Exception {
        insertDevices(1, 10_001);
        mvc.perform(get("/devices").with(auditor()).param("template", TEMPLATE).param("eui64", "EE-EE-00-00-00-00-00"))
                .andExpect(content().string(containsString(">255 matching, newest first<")))
                .andExpect(content().string(not(containsString("more than"))));
    }

    /** Devices numbered {@code from} to {@code to} (EUI-64 EE-EE-00-...-number), without credentials. */
    private void insertDevices(int from, int to) {
        jdbc.sql("INSERT INTO devices (eui64, template_id, template_version, state, created_at, updated_at)"
                        + " SELECT 'EE-EE-00-00-00-00-' || SUBSTRING(h, 1, 2) || '-' || SUBSTRING(h, 3, 2), :t, 1,"
                        + " 'VERIFIED', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP"
                        + " FROM (SELECT LPAD(UPPER(RAWTOHEX(CAST(CAST(X AS SMALLINT) AS BINARY(2)))), 4, '0') AS h"
                        + " FROM SYSTEM_RANGE(:from, :to)) n")
                .param("t", TEMPLATE).param("from", from).param("to", to).update();
    }
}
