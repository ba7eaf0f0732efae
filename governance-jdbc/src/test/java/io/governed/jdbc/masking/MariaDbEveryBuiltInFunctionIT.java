package io.governed.jdbc.masking;

import io.governed.jdbc.support.ServerWide;
import io.governed.jdbc.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No built-in function of MariaDB shows an agent anything of a masked column, nor an analyst a masked value: the
 * list of what is tried is the server's own help ({@code mysql.help_topic}), not a list of functions someone thought
 * of.
 * <p>
 * Enumerated: every help topic whose name is one word and whose help text (its syntax section where it has one) shows
 * a call of that name, {@code NAME(…)} — functions of every category (string, numeric, date, JSON, spatial, window,
 * aggregate, information, the operators written as calls), and data types whose name is also a function
 * ({@code CHAR(…)}). The help text does not give an arity in a form that can be read soundly ({@code JSON_EXTRACT(json_doc,
 * path[, path] ...)}), so each name is called with one to three arguments, the masked text column {@code c.ssn} (of
 * {@link MaskedValuesNonInterferenceSpec}'s two databases, A and B: the same rows but for the SSNs) in each position
 * and a literal ({@code 1}, or the JSON path {@code '$'}) in the others; a topic whose syntax shows {@code OVER} is
 * called as a window function. A call the server rejects (a wrong arity, a syntax error) is an outcome like any other,
 * the same on both databases. Each call the syntax section writes ({@code CONVERT(expr,type)}, {@code SUBSTRING(str
 * FROM pos FOR len)}) is tried too, its parameters given values by their names and the column in each in turn, and so
 * is each operator a function category's topic writes ({@code expr NOT LIKE pat}, {@code N % M}, {@code <=>}), the
 * column on either side. Skipped and counted: topics whose name is not one word (statements, overviews; a trailing
 * "Function" is dropped) and those whose text shows no call of the name.
 * <p>
 * Each call runs through the governed driver in a select list and in a condition ({@code HAVING} where the call is an
 * aggregate) for the agent, whom the mask's {@code deny-inference} covers, and in a select list for the analyst, whom
 * it does not (see {@link BuiltInCallOutcomes}). An outcome that differs between A and B is a leak: a masked value in
 * clear, a computation of one, or an answer about them (an error only some values raise, a filter) — the function's
 * part in the analysis (its lineage, or whether it is proven unable to fail) is wrong. A new server version's new
 * function is tried as soon as its help has it. The governed connections log in as a user of their own that may only
 * read the two databases, with a statement time limit, so a function with effects fails as it would for such a user.
 */
@ServerWide("GRANT/REVOKE, MariaDB USE of another database, MariaDB schemas (databases), databases, roles or users, server catalogs")
class MariaDbEveryBuiltInFunctionIT {
    private static final Logger LOG = LoggerFactory.getLogger(MariaDbEveryBuiltInFunctionIT.class);
    /** The two databases, shared with the other sweep of MariaDB's functions in this JVM, and the outcomes read there. */
    @RegisterExtension
    static final BuiltInCallOutcomes.SharedMariaDb MARIADB = new BuiltInCallOutcomes.SharedMariaDb();
    private static BuiltInCallOutcomes outcomes;

    @Test
    void noBuiltInFunctionShowsAnythingOfTheMaskedColumn() throws SQLException {
        outcomes = MARIADB.outcomes();
        List<String[]> topics = new ArrayList<>();
        try (Connection raw = TestDatabase.MARIADB.connectRaw(); Statement s = raw.createStatement();
             ResultSet rs = s.executeQuery("SELECT t.name, t.description, c.name = 'Functions' OR p.name = 'Functions' "
                     + "FROM mysql.help_topic t JOIN mysql.help_category c ON c.help_category_id = t.help_category_id "
                     + "LEFT JOIN mysql.help_category p ON p.help_category_id = c.parent_category_id ORDER BY t.name")) {
            while (rs.next()) {
                topics.add(new String[] {rs.getString(1), rs.getString(2), String.valueOf(rs.getBoolean(3))});
            }
        }
        for (String[] topic : topics) {
            outcomes.count("help topics");
            String name = topic[0].replace("\\", "").replaceAll(" (Function|Operator)$", "");
            String text = topic[1];
            int description = text.indexOf("\nDescription\n");
            String syntax = text.startsWith("Syntax") && description > 0 ? text.substring(0, description) : text;
            if (Boolean.parseBoolean(topic[2]) && text.startsWith("Syntax")) {
                operators(outcomes, topic[0].replace("\\", ""), syntax);
            }
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                outcomes.count("topics skipped: a name that is not one word");
                continue;
            }
            if (!Pattern.compile("(?i)(?<![A-Za-z0-9_])" + Pattern.quote(name) + "\\s*\\(").matcher(syntax).find()) {
                outcomes.count("topics skipped: the help shows no call of the name");
                continue;
            }
            outcomes.count("functions called");
            boolean window = syntax.toUpperCase(Locale.ROOT).contains("OVER");
            for (String form : syntaxForms(name, syntax)) {
                List<String> parameters = new ArrayList<>();
                Matcher word = PARAMETER.matcher(form);
                while (word.find()) {
                    parameters.add(word.group());
                }
                for (int position = 0; position < parameters.size(); position++) {
                    StringBuilder call = new StringBuilder();
                    Matcher each = PARAMETER.matcher(form);
                    int index = 0;
                    while (each.find()) {
                        each.appendReplacement(call, Matcher.quoteReplacement(index++ == position ? "c.ssn" : value(each.group())));
                    }
                    each.appendTail(call);
                    outcomes.count("calls written as the help's syntax shows");
                    run(outcomes, name + " as " + form + " #" + (position + 1), call + (window ? " OVER (ORDER BY c.id)" : ""), window);
                }
            }
            for (int arity = 1; arity <= 3; arity++) {
                for (int position = 0; position < arity; position++) {
                    for (String literal : arity == 1 ? List.of("1") : List.of("1", "'$'")) {
                        List<String> values = new ArrayList<>();
                        for (int i = 0; i < arity; i++) {
                            values.add(i == position ? "c.ssn" : literal);
                        }
                        String call = name + "(" + String.join(", ", values) + ")" + (window ? " OVER (ORDER BY c.id)" : "");
                        run(outcomes, name + "/" + arity + " #" + (position + 1), call, window);
                    }
                }
            }
        }
        LOG.info("MariaDB built-ins over a masked column: {}", outcomes.counts());
        outcomes.losses().forEach(loss -> LOG.info("lost (refused to both callers): {}", loss));
        outcomes.findings().forEach(finding -> LOG.error("{}", finding));
        assertThat(outcomes.findings()).as("calls whose governed outcome differs between the databases or shows an SSN")
                .isEmpty();
        assertThat(outcomes.counts().getOrDefault("functions called", 0)).as("functions tried").isGreaterThan(300);
    }

    /**
     * The operators a topic of a function category writes in its syntax section: a line with parameters
     * ({@code expr NOT LIKE pat}, {@code expr BETWEEN min AND max}, {@code N % M}) with the column in each parameter's
     * place, and a line of operator symbols or words alone ({@code >=}, {@code <>, !=}, {@code XOR}) between the column
     * and a literal, either way round, and before the column.
     */
    private static void operators(BuiltInCallOutcomes outcomes, String topic, String syntax) {
        for (String line : syntax.replaceFirst("^Syntax\\s*-+", "").split("\n")) {
            String form = line.trim().replaceAll("\\[[^\\[\\]]*\\]", "").replace("...", "").replaceAll(",\\s*\\)", ")").trim();
            if (form.isEmpty() || form.matches("(?s).*[A-Za-z_][A-Za-z0-9_]*\\s*\\(.*") && !form.contains(" IN (")) {
                continue; // empty, or a call, which the function calls cover
            }
            for (String part : form.split(",\\s+(?![^(]*\\))")) {
                List<String> parameters = new ArrayList<>();
                Matcher word = PARAMETER.matcher(part);
                while (word.find()) {
                    parameters.add(word.group());
                }
                if (parameters.isEmpty()) {
                    if (!part.matches("[^a-z'\"]+")) {
                        continue;
                    }
                    for (String operator : List.of(part.trim())) {
                        for (String expression : List.of("(c.ssn " + operator + " 1)", "(1 " + operator + " c.ssn)",
                                "(c.ssn " + operator + " 'a')", "('a' " + operator + " c.ssn)", "(" + operator + " c.ssn)")) {
                            outcomes.count("operator expressions from the help's syntax");
                            run(outcomes, topic + ": " + expression, expression, false);
                        }
                    }
                    continue;
                }
                for (int position = 0; position < parameters.size(); position++) {
                    StringBuilder expression = new StringBuilder();
                    Matcher each = PARAMETER.matcher(part);
                    int index = 0;
                    while (each.find()) {
                        each.appendReplacement(expression, Matcher.quoteReplacement(index++ == position ? "c.ssn" : value(each.group())));
                    }
                    each.appendTail(expression);
                    outcomes.count("operator expressions from the help's syntax");
                    run(outcomes, topic + ": " + part + " #" + (position + 1), "(" + expression + ")", false);
                }
            }
        }
    }

    private static void run(BuiltInCallOutcomes outcomes, String label, String call, boolean window) {
        String condition = "SELECT c.id FROM customers c WHERE CAST(" + call + " AS CHAR) < '5'";
        if (window) {
            condition = "SELECT d.id FROM (SELECT c.id, " + call + " AS v FROM customers c) d WHERE CAST(d.v AS CHAR) < '5'";
        } else if (groupFunction(condition)) {
            condition = "SELECT COUNT(*) AS n FROM customers c HAVING CAST(" + call + " AS CHAR) < '5'";
        }
        outcomes.run(new BuiltInCallOutcomes.Call(label, "SELECT c.id, " + call + " AS v FROM customers c", condition));
    }

    /** A parameter of a syntax line: a lower-case word ({@code str}, {@code expr}, {@code type}); keywords are upper case. */
    private static final Pattern PARAMETER = Pattern.compile("(?<![A-Za-z0-9_'])[a-z][a-z0-9_]*(?![A-Za-z0-9_'(])");

    /**
     * The calls of {@code name} its help's syntax section writes ({@code CONVERT(expr,type)}, {@code CONVERT(expr USING
     * transcoding_name)}, {@code SUBSTRING(str FROM pos FOR len)}), each with its optional parts ({@code [...]},
     * {@code ...}) left out and the first of its alternatives ({@code {A | B}}) taken.
     */
    private static List<String> syntaxForms(String name, String syntax) {
        List<String> forms = new ArrayList<>();
        Matcher start = Pattern.compile("(?im)^\\s*" + Pattern.quote(name) + "\\s*\\(").matcher(syntax);
        while (start.find()) {
            int depth = 0;
            int end = -1;
            for (int i = start.end() - 1; i < syntax.length(); i++) {
                char ch = syntax.charAt(i);
                if (ch == '(') {
                    depth++;
                } else if (ch == ')' && --depth == 0) {
                    end = i;
                    break;
                }
            }
            if (end < 0) {
                continue;
            }
            String form = syntax.substring(start.start(), end + 1).trim().replaceAll("\\s+", " ");
            String before;
            do {
                before = form;
                form = form.replaceAll("\\[[^\\[\\]]*\\]", "").replaceAll("\\{([^{}|]*)\\|[^{}]*\\}", "$1");
            } while (!form.equals(before));
            form = form.replace("...", "").replaceAll(",\\s*\\)", ")");
            if (!forms.contains(form)) {
                forms.add(form);
            }
        }
        return forms;
    }

    /** A value for a syntax line's parameter, by its name. */
    private static String value(String parameter) {
        if (parameter.contains("type")) {
            return "CHAR";
        } else if (parameter.contains("charset") || parameter.contains("transcoding") || parameter.contains("collation")) {
            return "utf8mb4";
        } else if (parameter.contains("path")) {
            return "'$'";
        } else if (parameter.contains("json")) {
            return "'{\"a\": 1}'";
        } else if (parameter.equals("unit")) {
            return "DAY";
        } else if (parameter.contains("format")) {
            return "'%Y'";
        } else if (parameter.contains("date") || parameter.contains("time")) {
            return "'2020-01-02 03:04:05'";
        } else if (parameter.matches("pos|len|n|count|number|offset|x|y|d|m|num|length|precision|scale|bits|.*_len|.*_pos|.*num.*")) {
            return "1";
        }
        return "'a'";
    }

    /** Whether the server rejects {@code sql} for an aggregate in its {@code WHERE} (error 1111). */
    private static boolean groupFunction(String sql) {
        return outcomes.groupFunctionOnA(sql);
    }
}
