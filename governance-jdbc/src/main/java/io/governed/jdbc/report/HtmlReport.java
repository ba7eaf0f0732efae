package io.governed.jdbc.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a report's JSON document as one self-contained HTML page: styles and the filter script
 * inline, charts drawn here as inline SVG, a Content-Security-Policy that forbids every request, and
 * every text taken from events HTML-escaped. The filters (identity, table, decision) hide table rows
 * in the page and work offline.
 */
final class HtmlReport {

    private static final List<String> DECISIONS = Aggregate.DECISIONS;
    private static final List<String> COLOURS = List.of("#2e7d32", "#c62828", "#f9a825", "#616161", "#6a1b9a", "#0277bd");

    private static final String STYLE = """
            body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:16px;color:#222}
            h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ccc}
            table{border-collapse:collapse;margin:8px 0;width:100%}
            th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}td{overflow-wrap:anywhere}
            th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}
            .ok{color:#2e7d32;font-weight:bold}.bad{color:#c62828;font-weight:bold}
            .note{color:#555;font-size:12px}.filters{position:sticky;top:0;background:#fff;padding:8px 0;border-bottom:1px solid #ccc}
            .filters input,.filters select{margin-right:12px}code{font-size:12px;word-break:break-all}
            .legend span{display:inline-block;margin-right:12px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}
            """;

    private static final String SCRIPT = """
            (function(){
              var id=document.getElementById('f-identity'),tb=document.getElementById('f-table'),dc=document.getElementById('f-decision');
              function has(v,q){return !q||(v||'').toLowerCase().indexOf(q)>=0;}
              function apply(){
                var qi=id.value.trim().toLowerCase(),qt=tb.value.trim().toLowerCase(),qd=dc.value,shown=0;
                document.querySelectorAll('tr[data-f]').forEach(function(r){
                  var ok=(r.dataset.identity===undefined||has(r.dataset.identity,qi))
                    &&(r.dataset.table===undefined||has(r.dataset.table,qt))
                    &&(r.dataset.decision===undefined||!qd||(' '+r.dataset.decision+' ').indexOf(' '+qd+' ')>=0);
                  r.style.display=ok?'':'none';if(ok)shown++;
                });
                document.getElementById('f-count').textContent=shown+' rows shown';
              }
              [id,tb,dc].forEach(function(e){e.addEventListener('input',apply);e.addEventListener('change',apply);});
              apply();
            })();
            """;

    private final StringBuilder h = new StringBuilder(1 << 16);

    private HtmlReport() {
    }

    static String render(JsonNode r) {
        HtmlReport page = new HtmlReport();
        page.page(r);
        return page.h.toString();
    }

    private void page(JsonNode r) {
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline';")
                .append(" script-src 'unsafe-inline'; img-src data:\">")
                .append("<title>Audit evidence report</title><style>").append(STYLE).append("</style></head><body>\n");
        JsonNode period = r.path("period");
        h.append("<h1>Audit evidence report</h1><p>Period covered: <b>").append(esc(period.path("from").asText("-")))
                .append("</b> to <b>").append(esc(period.path("to").asText("-"))).append("</b>");
        if (!period.path("requested_from").isNull() || !period.path("requested_to").isNull()) {
            h.append(" (requested ").append(esc(period.path("requested_from").asText("start"))).append(" to ")
                    .append(esc(period.path("requested_to").asText("end"))).append(")");
        }
        h.append(". Generated ").append(esc(r.path("generated").asText())).append(".</p>\n");
        filters();
        verification(r.path("verification"));
        totals(r.path("totals"));
        timeline(r.path("timeline"));
        denials(r.path("denials_by_rule"));
        approvals(r.path("approvals"));
        sensitive(r.path("sensitive_access"));
        agents(r.path("agents"));
        events("ddl", "Schema changes (DDL)", r.path("ddl"));
        events("privileges", "Privilege changes (GRANT, REVOKE)", r.path("privilege_changes"));
        events("unparseable", "Statements that could not be analysed", r.path("unparseable"));
        access(r.path("access"));
        policies(r);
        controls(r.path("controls"));
        limits(r.path("limits"));
        h.append("<script>").append(SCRIPT).append("</script></body></html>\n");
    }

    private void filters() {
        h.append("<div class=\"filters\"><label>Identity <input id=\"f-identity\" placeholder=\"principal\"></label>")
                .append("<label>Table <input id=\"f-table\" placeholder=\"schema.table\"></label>")
                .append("<label>Decision <select id=\"f-decision\"><option value=\"\">any</option>");
        for (String d : DECISIONS) {
            h.append("<option>").append(d).append("</option>");
        }
        h.append("</select></label><span id=\"f-count\" class=\"note\"></span></div>\n");
    }

    private void verification(JsonNode v) {
        section("verification", "Hash chain verification");
        boolean ok = v.path("ok").asBoolean();
        h.append("<p class=\"").append(ok ? "ok\">Every chain is intact." : "bad\">A chain is BROKEN: the trail was altered.")
                .append("</p>");
        for (JsonNode log : v.path("logs")) {
            h.append("<p>Log <code>").append(esc(log.path("log").asText())).append("</code>");
            if (!log.path("format").asText().isEmpty()) {
                h.append(" (").append(esc(log.path("format").asText())).append(')');
            }
            h.append(": ");
            if (log.path("ok").asBoolean()) {
                h.append("<span class=\"ok\">OK</span>, ").append(log.path("verified_events").asLong()).append(" events verified");
                if (log.path("torn_bytes").asLong() > 0) {
                    h.append(" (the last file ends in ").append(log.path("torn_bytes").asLong()).append(" bytes of an interrupted write)");
                }
            } else {
                JsonNode p = log.path("problem");
                h.append("<span class=\"bad\">BROKEN at ").append(esc(p.path("file").asText())).append(" line ")
                        .append(p.path("line").asLong()).append("</span>: ").append(esc(p.path("description").asText()))
                        .append(" (").append(log.path("verified_events").asLong()).append(" events before it verify)");
            }
            h.append("</p>");
            table(List.of("File", "Lines", "Status"));
            for (JsonNode f : log.path("files")) {
                String status = f.path("status").asText();
                if (f.has("first_broken_line")) {
                    status += " at line " + f.path("first_broken_line").asLong();
                }
                h.append("<tr><td><code>").append(esc(f.path("file").asText())).append("</code></td>");
                num(f.path("lines").asLong());
                h.append("<td class=\"").append(status.startsWith("ok") ? "ok" : "bad").append("\">").append(esc(status))
                        .append("</td></tr>");
            }
            h.append("</table>");
        }
    }

    private void totals(JsonNode t) {
        section("totals", "Statements by decision");
        List<String> headings = new java.util.ArrayList<>(List.of("Events"));
        headings.addAll(DECISIONS);
        headings.addAll(List.of("Approval events", "Unreadable lines", "Lines not verified (not counted)", "Outside the period"));
        table(headings);
        h.append("<tr>");
        List<String> fields = new java.util.ArrayList<>(List.of("events"));
        fields.addAll(DECISIONS);
        fields.addAll(List.of("approval_events", "unreadable_lines", "not_verified_lines", "outside_period"));
        for (String f : fields) {
            num(t.path(f).asLong());
        }
        h.append("</tr></table>");
    }

    private void timeline(JsonNode t) {
        section("timeline", "Statements over time (per " + t.path("bucket").asText("hour") + ")");
        List<JsonNode> points = new ArrayList<>();
        t.path("points").forEach(points::add);
        if (points.isEmpty()) {
            h.append("<p class=\"note\">No events in the period.</p>");
            return;
        }
        long max = 1;
        for (JsonNode p : points) {
            long sum = 0;
            for (String d : DECISIONS) {
                sum += p.path(d).asLong();
            }
            max = Math.max(max, sum);
        }
        int width = 960;
        int height = 220;
        double bar = Math.max(1.0, (width - 60.0) / points.size());
        h.append("<svg id=\"chart-timeline\" role=\"img\" aria-label=\"statements over time by decision\" width=\"")
                .append(width).append("\" height=\"").append(height + 30).append("\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height + 30).append("\">");
        h.append("<text x=\"0\" y=\"12\" font-size=\"11\">").append(max).append("</text>")
                .append("<line x1=\"50\" y1=\"").append(height).append("\" x2=\"").append(width).append("\" y2=\"").append(height)
                .append("\" stroke=\"#999\"/>");
        for (int i = 0; i < points.size(); i++) {
            JsonNode p = points.get(i);
            double x = 55 + i * bar;
            double y = height;
            for (int d = 0; d < DECISIONS.size(); d++) {
                long n = p.path(DECISIONS.get(d)).asLong();
                if (n == 0) {
                    continue;
                }
                double hgt = (height - 20.0) * n / max;
                y -= hgt;
                h.append("<rect x=\"").append(fmt(x)).append("\" y=\"").append(fmt(y)).append("\" width=\"")
                        .append(fmt(Math.max(0.5, bar - 1))).append("\" height=\"").append(fmt(hgt)).append("\" fill=\"")
                        .append(COLOURS.get(d)).append("\"><title>").append(esc(p.path("start").asText())).append(' ')
                        .append(DECISIONS.get(d)).append(": ").append(n).append("</title></rect>");
            }
        }
        h.append("<text x=\"55\" y=\"").append(height + 20).append("\" font-size=\"11\">").append(esc(points.get(0).path("start").asText()))
                .append("</text><text x=\"").append(width).append("\" y=\"").append(height + 20)
                .append("\" font-size=\"11\" text-anchor=\"end\">").append(esc(points.get(points.size() - 1).path("start").asText()))
                .append("</text></svg>");
        h.append("<div class=\"legend\">");
        for (int d = 0; d < DECISIONS.size(); d++) {
            h.append("<span><i style=\"background:").append(COLOURS.get(d)).append("\"></i>").append(DECISIONS.get(d)).append("</span>");
        }
        h.append("</div>");
    }

    private void denials(JsonNode rules) {
        section("denials", "Denials by rule");
        if (rules.isEmpty()) {
            h.append("<p class=\"note\">No statement was denied.</p>");
            return;
        }
        long max = 1;
        for (JsonNode r : rules) {
            max = Math.max(max, r.path("denied").asLong());
        }
        int shown = Math.min(rules.size(), 30);
        h.append("<svg id=\"chart-denials\" role=\"img\" aria-label=\"denials by rule\" width=\"960\" height=\"")
                .append(shown * 20 + 10).append("\">");
        for (int i = 0; i < shown; i++) {
            JsonNode r = rules.get(i);
            long n = r.path("denied").asLong();
            h.append("<text x=\"0\" y=\"").append(i * 20 + 15).append("\" font-size=\"12\">").append(esc(r.path("rule").asText()))
                    .append("</text><rect x=\"260\" y=\"").append(i * 20 + 4).append("\" height=\"14\" width=\"")
                    .append(fmt(600.0 * n / max)).append("\" fill=\"").append(COLOURS.get(1)).append("\"/><text x=\"")
                    .append(fmt(265 + 600.0 * n / max)).append("\" y=\"").append(i * 20 + 15).append("\" font-size=\"12\">")
                    .append(n).append("</text>");
        }
        h.append("</svg>");
        table(List.of("Rule", "Denied"));
        for (JsonNode r : rules) {
            h.append("<tr data-f data-decision=\"deny\"><td>").append(esc(r.path("rule").asText())).append("</td>");
            num(r.path("denied").asLong());
            h.append("</tr>");
        }
        h.append("</table>");
    }

    private void approvals(JsonNode a) {
        section("approvals", "Approvals");
        JsonNode c = a.path("counts");
        h.append("<p>Approval requests: ").append(c.path("requests").asLong()).append(" (")
                .append(c.path("pending").asLong()).append(" pending, ")
                .append(c.path("approved").asLong()).append(" approved and not yet used, ")
                .append(c.path("consumed").asLong()).append(" approved and used, ")
                .append(c.path("denied").asLong()).append(" denied, ")
                .append(c.path("expired").asLong()).append(" expired)");
        if (a.path("requests_listed").asLong() < c.path("requests").asLong()) {
            h.append("; the first ").append(a.path("requests_listed").asLong()).append(" are listed");
        }
        h.append(". Statements sent for approval: ").append(a.path("statements_sent_for_approval").asLong())
                .append(". <span class=\"note\">").append(esc(a.path("note").asText()))
                .append("</span></p>");
        table(List.of("Request", "Requested by", "On behalf of", "Action", "Tables", "Approval rule", "Requested",
                "Approved or denied by", "Expired", "Used", "Status"));
        for (JsonNode r : a.path("requests")) {
            List<String> who = new ArrayList<>();
            who.add(r.path("requester").asText(""));
            r.path("decisions").forEach(d -> who.add(d.path("approver").asText("")));
            String status = r.path("status").asText();
            filterRow(String.join(" ", who), join(r.path("tables")), switch (status) {
                case "approved", "consumed" -> "allow";
                case "pending" -> "pending_approval";
                default -> "deny";
            });
            h.append("<td><code>").append(esc(r.path("id").asText())).append("</code></td>");
            for (String f : List.of("requester", "on_behalf_of", "action")) {
                cell(r.path(f).isNull() ? "" : r.path(f).asText());
            }
            cell(join(r.path("tables")));
            cell(r.path("rule").isNull() ? "" : r.path("rule").asText());
            cell(r.path("requested_at").isNull() ? "" : r.path("requested_at").asText());
            h.append("<td>");
            for (JsonNode d : r.path("decisions")) {
                boolean approve = "approve".equals(d.path("decision").asText());
                h.append(approve ? "approved" : "denied").append(" by <b>").append(esc(d.path("approver").asText())).append("</b> (")
                        .append(esc(d.path("identity_source").asText("source unknown")));
                if (!d.path("issuer").isNull()) {
                    h.append(" by ").append(esc(d.path("issuer").asText()));
                }
                h.append(") at ").append(esc(d.path("time").asText()));
                if (!d.path("reason").isNull()) {
                    h.append(": ").append(esc(d.path("reason").asText()));
                }
                h.append("<br>");
            }
            if (r.path("decisions_capped").asBoolean()) {
                h.append("<span class=\"note\">(more decisions, not listed)</span>");
            }
            h.append("</td>");
            cell(r.path("expired_at").isNull() ? "" : r.path("expired_at").asText() + " (the " + r.path("expired").asText() + ")");
            cell(r.path("consumed_at").isNull() ? "" : r.path("consumed_at").asText());
            cell(status);
            h.append("</tr>");
        }
        h.append("</table>");
        h.append("<p>Statements sent for approval, per approval rule:</p>");
        table(List.of("Approval rule", "Sent for approval", "Ran after approval", "Denied", "Failed"));
        for (JsonNode r : a.path("by_rule")) {
            h.append("<tr><td>").append(esc(r.path("rule").asText())).append("</td>");
            for (String f : List.of("pending", "ran_after_approval", "denied", "failed")) {
                num(r.path(f).asLong());
            }
            h.append("</tr>");
        }
        h.append("</table>");
        if (!a.path("statements").isEmpty()) {
            h.append("<p>The statements sent for approval");
            if (a.path("statements").size() < a.path("statements_sent_for_approval").asLong()) {
                h.append(" (the first ").append(a.path("statements").size()).append(')');
            }
            h.append(":</p>");
        }
        eventRows(a.path("statements"));
    }

    private void sensitive(JsonNode rows) {
        section("sensitive", "Sensitive data access");
        boolean fromPolicy = rows.size() > 0 && rows.get(0).path("tags_from_policy").asBoolean();
        h.append("<p class=\"note\">Allowed statements that read masked or tagged columns, per identity and purpose. ")
                .append(fromPolicy ? "Tagged columns are those the given policy's classification names (an unknown schema counts as tagged)."
                        : "No policy was given (--policy), so only masked columns are known to be sensitive.").append("</p>");
        table(List.of("Identity", "Purpose", "Statements", "Rows", "Read masked", "Read in clear"));
        for (JsonNode r : rows) {
            List<String> tables = new ArrayList<>();
            r.path("masked").forEach(c -> tables.add(c.asText()));
            r.path("clear").forEach(c -> tables.add(c.asText()));
            filterRow(r.path("principal").asText(), String.join(" ", tables), "allow");
            cell(r.path("principal").asText());
            cell(r.path("purpose").asText());
            num(r.path("statements").asLong());
            num(r.path("rows").asLong());
            h.append("<td>").append(esc(join(r.path("masked")))).append("</td><td>").append(esc(join(r.path("clear"))))
                    .append(r.path("columns_capped").asBoolean() ? " <span class=\"note\">(list capped)</span>" : "")
                    .append("</td></tr>");
        }
        h.append("</table>");
    }

    private void agents(JsonNode rows) {
        section("agents", "Agents and whom they acted for");
        List<String> headings = new java.util.ArrayList<>(List.of("Principal", "Kind", "On behalf of"));
        headings.addAll(DECISIONS);
        headings.add("Rows");
        table(headings);
        for (JsonNode r : rows) {
            h.append("<tr data-f data-identity=\"").append(esc(r.path("principal").asText() + " " + r.path("on_behalf_of").asText()))
                    .append("\" data-decision=\"").append(decisionsPresent(r)).append("\"><td>").append(esc(r.path("principal").asText()))
                    .append("</td><td>").append(esc(r.path("kind").asText())).append("</td><td>")
                    .append(esc(r.path("on_behalf_of").asText())).append("</td>");
            for (String d : DECISIONS) {
                num(r.path(d).asLong());
            }
            num(r.path("rows").asLong());
            h.append("</tr>");
        }
        h.append("</table>");
    }

    private void events(String id, String title, JsonNode x) {
        section(id, title);
        h.append("<p>Events: ").append(x.path("total").asLong());
        for (String d : DECISIONS) {
            h.append(", ").append(d).append(' ').append(x.path(d).asLong());
        }
        if (x.path("events").size() < x.path("total").asLong()) {
            h.append("; the first ").append(x.path("events").size()).append(" are listed");
        }
        h.append(".</p>");
        eventRows(x.path("events"));
    }

    private void eventRows(JsonNode events) {
        table(List.of("Time", "Identity", "On behalf of", "Action", "Tables", "Decision", "Rules", "Reason", "Statement", "Policy"));
        for (JsonNode e : events) {
            filterRow(e.path("principal").asText(""), join(e.path("tables")), e.path("decision").asText());
            for (String f : List.of("time", "principal", "on_behalf_of", "action")) {
                cell(e.path(f).isNull() ? "" : e.path(f).asText());
            }
            cell(join(e.path("tables")));
            cell(e.path("decision").asText());
            cell(join(e.path("rules")));
            cell(e.path("reason").isNull() ? "" : e.path("reason").asText());
            h.append("<td><code>").append(esc(e.path("statement").isNull() ? "" : e.path("statement").asText())).append("</code></td>");
            cell(e.path("policy").isNull() ? "" : e.path("policy").asText().substring(0, Math.min(12, e.path("policy").asText().length())));
            h.append("</tr>");
        }
        h.append("</table>");
    }

    private void access(JsonNode rows) {
        section("access", "Statements per identity, table and decision");
        table(List.of("Identity", "Table", "Decision", "Statements", "Rows"));
        for (JsonNode r : rows) {
            filterRow(r.path("principal").asText(), r.path("table").asText(), r.path("decision").asText());
            cell(r.path("principal").asText());
            cell(r.path("table").asText());
            cell(r.path("decision").asText());
            num(r.path("statements").asLong());
            num(r.path("rows").asLong());
            h.append("</tr>");
        }
        h.append("</table>");
    }

    private void policies(JsonNode r) {
        section("policies", "Policy versions");
        if (!r.path("policy_digest_given").isNull()) {
            h.append("<p>Policy files given: ");
            for (JsonNode f : r.path("policy_files")) {
                h.append("<code>").append(esc(f.path("file").asText())).append("</code> sha256:<code>")
                        .append(esc(f.path("digest").asText())).append("</code>; ");
            }
            h.append("set digest <code>").append(esc(r.path("policy_digest_given").asText())).append("</code>.</p>");
        }
        table(List.of("Digest", "Events", "First", "Last", "Files", "Matches the given files"));
        for (JsonNode p : r.path("policy_versions")) {
            h.append("<tr><td><code>").append(esc(p.path("digest").asText())).append("</code></td>");
            num(p.path("events").asLong());
            cell(p.path("first").asText());
            cell(p.path("last").asText());
            List<String> files = new ArrayList<>();
            p.path("files").forEach(f -> files.add(f.path("name").asText() + " (" + f.path("digest").asText() + ")"));
            cell(String.join(", ", files));
            cell(p.has("matches_given_files") ? (p.path("matches_given_files").asBoolean() ? "yes" : "no") : "-");
            h.append("</tr>");
        }
        h.append("</table>");
    }

    private void controls(JsonNode controls) {
        section("controls", "Controls and their evidence");
        table(List.of("Framework", "Control", "What it asks", "Evidence in this report", "Evidence count", "Period"));
        for (JsonNode c : controls) {
            h.append("<tr>");
            cell(c.path("framework").asText());
            cell(c.path("control").asText());
            cell(c.path("title").asText());
            h.append("<td>");
            for (JsonNode s : c.path("sections")) {
                h.append("<a href=\"#").append(esc(s.asText())).append("\">").append(esc(s.asText())).append("</a> ");
            }
            h.append("</td>");
            num(c.path("evidence").asLong());
            cell(c.path("period").asText());
            h.append("</tr>");
        }
        h.append("</table>");
    }

    private void limits(JsonNode l) {
        section("limits", "Limits of this report");
        h.append("<p class=\"note\">Memory is bounded: each table keeps at most ").append(l.path("keys_per_table").asLong())
                .append(" keys (later keys are counted under (other)), each event list its first ")
                .append(l.path("examples_per_section").asLong()).append(" events, each identity its first ")
                .append(l.path("columns_per_identity").asLong()).append(" column names.");
        if (l.path("capped").isEmpty()) {
            h.append(" No cap was reached.</p>");
            return;
        }
        h.append(" Caps reached: ");
        for (JsonNode c : l.path("capped")) {
            h.append(esc(c.path("table").asText())).append(" (").append(c.path("events_in_other").asLong())
                    .append(" events under (other)); ");
        }
        h.append("</p>");
    }

    /** Starts a table row the page's filters match by identity, table and decision. */
    private void filterRow(String identity, String table, String decision) {
        h.append("<tr data-f data-identity=\"").append(esc(identity)).append("\" data-table=\"").append(esc(table))
                .append("\" data-decision=\"").append(esc(decision)).append("\">");
    }

    private void section(String id, String title) {
        h.append("\n<h2 id=\"").append(id).append("\">").append(esc(title)).append("</h2>");
    }

    private void table(List<String> headings) {
        h.append("<table><tr>");
        for (String s : headings) {
            h.append("<th>").append(esc(s)).append("</th>");
        }
        h.append("</tr>");
    }

    private void cell(String text) {
        h.append("<td>").append(esc(text)).append("</td>");
    }

    private void num(long n) {
        h.append("<td class=\"n\">").append(n).append("</td>");
    }

    private static String decisionsPresent(JsonNode row) {
        List<String> present = new ArrayList<>();
        for (String d : DECISIONS) {
            if (row.path(d).asLong() > 0) {
                present.add(d);
            }
        }
        return String.join(" ", present);
    }

    private static String join(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return String.join(", ", values);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** Escapes text for HTML content and quoted attribute values. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
