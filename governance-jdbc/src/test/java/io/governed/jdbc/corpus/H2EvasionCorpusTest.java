package io.governed.jdbc.corpus;

/** The evasion corpus on embedded H2. */
class H2EvasionCorpusTest extends EvasionCorpusSpec {
    @Override
    CorpusDatabase database() {
        return new H2CorpusDatabase();
    }

    @Override
    String databaseName() {
        return "evasion";
    }

    @Override
    String[] corpusFiles() {
        return new String[]{"evasion-common.sql", "evasion-h2.sql"};
    }
}
