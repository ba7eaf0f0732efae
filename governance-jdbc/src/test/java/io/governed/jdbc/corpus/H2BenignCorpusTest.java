package io.governed.jdbc.corpus;

/** The benign corpus on embedded H2. */
class H2BenignCorpusTest extends BenignCorpusSpec {
    @Override
    CorpusDatabase database() {
        return new H2CorpusDatabase();
    }

    @Override
    String rawDatabaseName() {
        return "benign-raw";
    }

    @Override
    String governedDatabaseName() {
        return "benign-governed";
    }

    @Override
    String[] corpusFiles() {
        return new String[]{"benign-common.sql", "benign-h2.sql"};
    }
}
