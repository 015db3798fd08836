package dev.fleetkey.service.devices;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CSV cells follow RFC 4180 and a spreadsheet shows a cell that looks like a formula as text. */
class DeviceExportFormatTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "=HYPERLINK(\"x\")|\"'=HYPERLINK(\"\"x\"\")\"",
            "+1|'+1",
            "@SUM(A1)|'@SUM(A1)",
            "-1,2|\"'-1,2\"",
            "line-7|line-7",
            "00-11-22-FF-FE-33-44-55|00-11-22-FF-FE-33-44-55",
            "a \"quoted\" name|\"a \"\"quoted\"\" name\""})
    void aCellIsQuotedWhenNeededAndGuardedWhenASpreadsheetWouldRunIt(String value, String cell) {
        assertThat(DeviceExportFormat.csvCell(value)).isEqualTo(cell);
    }
}
