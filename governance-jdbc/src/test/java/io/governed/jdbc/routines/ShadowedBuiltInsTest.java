package io.governed.jdbc.routines;

import io.governed.sql.RoutineCatalog;
import io.governed.sql.TableRef;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ShadowedBuiltInsTest {

    private final RoutineCatalog catalog = new ShadowedBuiltIns(r -> r.name().equals("initcap"), List.of("initcap", "nvl"));

    @Test
    void aStatementNamingAShadowedBuiltInIsCaughtHoweverItIsWritten() {
        assertThat(catalog.shadowedBuiltInIn("SELECT initcap(1)")).isEqualTo("initcap");
        assertThat(catalog.shadowedBuiltInIn("SELECT INITCAP /* x */ (1)")).isEqualTo("initcap");
        assertThat(catalog.shadowedBuiltInIn("SELECT \"initcap\"(1)")).isEqualTo("initcap");
        assertThat(catalog.shadowedBuiltInIn("SELECT public.nvl(1)")).isEqualTo("nvl");
        assertThat(catalog.shadowedBuiltInIn("SELECT 1+nvl(1)")).isEqualTo("nvl");
        assertThat(catalog.shadowedBuiltInIn("SELECT x FROM t WHERE nvl\n(id) > 0")).isEqualTo("nvl");
    }

    @Test
    void theSystemSchemasOwnAndOtherNamesPass() {
        assertThat(catalog.shadowedBuiltInIn("SELECT pg_catalog.initcap('a')")).isNull();
        assertThat(catalog.shadowedBuiltInIn("SELECT \"pg_catalog\" . initcap('a')")).isNull();
        assertThat(catalog.shadowedBuiltInIn("SELECT initcaps(1), my_nvl(2), nvl_x FROM t")).isNull();
        assertThat(catalog.shadowedBuiltInIn("SELECT upper(name) FROM t")).isNull();
    }

    @Test
    void aShadowedNameIsNoBuiltIn() {
        assertThat(catalog.isBuiltIn(new TableRef(null, "initcap"))).isFalse();
        assertThat(new ShadowedBuiltIns(r -> true, List.of()).isBuiltIn(new TableRef(null, "initcap"))).isTrue();
        assertThat(new ShadowedBuiltIns(r -> true, List.of()).shadowedBuiltInIn("SELECT initcap('a')")).isNull();
    }

    @Test
    void aStatementHoldingTheSymbolOfAUserOperatorIsCaught() {
        RoutineCatalog withOperator = new ShadowedBuiltIns(r -> true, List.of(), List.of("^"));
        assertThat(withOperator.shadowedBuiltInIn("SELECT 'a'::text ^ 1")).isEqualTo("^");
        assertThat(withOperator.shadowedBuiltInIn("SELECT a ^= b")).isEqualTo("^");
        assertThat(withOperator.shadowedBuiltInIn("SELECT a + b FROM t")).isNull();
    }
}
