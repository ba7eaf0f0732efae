package io.governed.sql;

import static io.governed.sql.Analyses.maria;
import static io.governed.sql.Analyses.pg;
import static io.governed.sql.Analyses.table;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The analysis reads unquoted names without their case; MariaDB may compare aliases exactly. A qualifier several
 * relations answer to, at one level or across levels, stands for all of them.
 */
class AliasCaseTest {

    @Test
    void aQualifierTwoRelationsOfALevelAnswerToMayBeEither() {
        ResultColumn out = maria("SELECT X.ssn FROM a AS x, b AS X").resultColumns().get(0);
        assertThat(out.allColumnsOf()).containsExactlyInAnyOrder(table("a"), table("b"));
    }

    @Test
    void aQualifierOfASubqueryMayNameTheEnclosingRelation() {
        ResultColumn out = maria("SELECT (SELECT X.ssn FROM a AS x) FROM b AS X").resultColumns().get(0);
        assertThat(out.allColumnsOf()).containsExactlyInAnyOrder(table("a"), table("b"));
        ResultColumn derived = maria("SELECT X.ssn FROM a AS x JOIN (SELECT id, ssn FROM b) AS X ON x.id = X.id")
                .resultColumns().get(0);
        assertThat(derived.sources()).contains(new SourceColumn(table("b"), "ssn"));
        assertThat(derived.allColumnsOf()).contains(table("a"));
    }

    @Test
    void aQualifierOneRelationAnswersToIsThatRelation() {
        assertThat(maria("SELECT X.ssn FROM a AS x, b AS y").resultColumns().get(0).sources())
                .containsExactly(new SourceColumn(table("a"), "ssn"));
        // PostgreSQL compares names as the analysis does: the nearest is the one
        assertThat(pg("SELECT (SELECT x.ssn FROM a AS x) FROM b AS x").resultColumns().get(0).sources())
                .containsExactly(new SourceColumn(table("a"), "ssn"));
    }
}
