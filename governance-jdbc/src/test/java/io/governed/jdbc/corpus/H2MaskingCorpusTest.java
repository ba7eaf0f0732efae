package io.governed.jdbc.corpus;

import java.util.List;

/** The masking corpus on embedded H2. */
class H2MaskingCorpusTest extends MaskingCorpusSpec {
    @Override
    CorpusDatabase database() {
        return new H2CorpusDatabase();
    }

    @Override
    String databaseName() {
        return "masking";
    }

    @Override
    List<String> dialectLeakFiles() {
        return List.of("masking-leaks-h2.sql");
    }

    @Override
    List<String> dialectClearFiles() {
        return List.of("masking-clear-h2.sql");
    }
}
