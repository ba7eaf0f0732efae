package io.governed.jdbc.report;

import io.governed.jdbc.audit.AuditDecision;
import io.governed.jdbc.audit.AuditEvent;
import io.governed.jdbc.audit.jsonl.JsonlOptions;
import io.governed.jdbc.audit.jsonl.JsonlSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The page's filter script, run by Node.js against a stand-in for the page's rows, so the filters'
 * matching is checked without a browser: typing an identity, a table or choosing a decision hides
 * the rows that do not match. Skipped where Node.js is not installed. {@code ReportInBrowserIT}
 * checks the same page in Chromium.
 */
class ReportFiltersTest {

    @TempDir
    Path dir;

    @Test
    void theFiltersHideRowsThatDoNotMatch() throws Exception {
        Path node = Path.of("/usr/bin/node");
        assumeTrue(Files.isExecutable(node), "Node.js is not installed");
        Path log = dir.resolve("audit.jsonl");
        try (JsonlSink sink = JsonlSink.open(JsonlOptions.of(log))) {
            sink.write(List.of(event("alice", "public.orders", AuditDecision.ALLOW),
                    event("bob", "public.users", AuditDecision.DENY),
                    event("alice", "public.users", AuditDecision.DENY)));
        }
        String html = HtmlReport.render(ComplianceReport.build(new ComplianceReport.Options(List.of(log), null, null, List.of())).json());
        String script = html.substring(html.lastIndexOf("<script>") + 8, html.lastIndexOf("</script>"));
        StringBuilder rows = new StringBuilder();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "<tr data-f data-identity=\"([^\"]*)\" data-table=\"([^\"]*)\" data-decision=\"([^\"]*)\">").matcher(
                html.substring(html.indexOf("id=\"access\"")));
        while (m.find()) {
            rows.append("row({identity:'").append(m.group(1)).append("',table:'").append(m.group(2))
                    .append("',decision:'").append(m.group(3)).append("'});\n");
        }
        String harness = """
                var rows=[],inputs={},listeners=[];
                function row(d){rows.push({dataset:d,style:{display:''}});}
                ROWS
                ['f-identity','f-table','f-decision','f-count'].forEach(function(id){
                  inputs[id]={value:'',textContent:'',addEventListener:function(t,f){listeners.push(f);}};});
                var document={getElementById:function(id){return inputs[id];},querySelectorAll:function(){return rows;}};
                SCRIPT
                function shown(){return rows.filter(function(r){return r.style.display!=='none';})
                  .map(function(r){return r.dataset.identity+'/'+r.dataset.table+'/'+r.dataset.decision;}).sort().join(',');}
                var out=[];
                out.push(shown());
                inputs['f-identity'].value='ALI';listeners[0]();out.push(shown());
                inputs['f-table'].value='users';listeners[0]();out.push(shown());
                inputs['f-identity'].value='';inputs['f-table'].value='';inputs['f-decision'].value='deny';listeners[0]();out.push(shown());
                out.push(inputs['f-count'].textContent);
                console.log(out.join('\\n'));
                """.replace("ROWS", rows).replace("SCRIPT", script);
        Path js = Files.writeString(dir.resolve("harness.js"), harness);
        Process p = new ProcessBuilder(node.toString(), js.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();

        assertThat(out.split("\n")).containsExactly(
                "alice/public.orders/allow,alice/public.users/deny,bob/public.users/deny",
                "alice/public.orders/allow,alice/public.users/deny",
                "alice/public.users/deny",
                "alice/public.users/deny,bob/public.users/deny",
                "2 rows shown");
    }

    private static AuditEvent event(String principal, String table, AuditDecision decision) {
        return AuditEvent.builder().time(Instant.parse("2026-03-01T12:00:00Z")).principal(principal).kind("human")
                .action("select").statement("SELECT a FROM " + table).tables(List.of(table)).decision(decision).build();
    }
}
