#!/bin/bash
# The relation lookup (PostgresSessionReader.RELATIONS, read from the classes given) as the driver sends it for a
# statement naming NAMES of the session's path (its schemas parameter empty), EXPLAIN ANALYZE'd three times in each of
# N new sessions (a new server process each: catalog caches cold) after the search path's query, as a new connection's
# first statement runs them. Prints the medians of the first (cold) and third (warm) runs' planning and execution ms.
#   benchmarks/relation-lookup-psql.sh CLASSES DB '{t1,t2}' N
# CLASSES: governance-jdbc/target/classes of the build to measure; DB: a database on 127.0.0.1:5432 (user postgres).
set -euo pipefail
CLASSES=$1; DB=$2; NAMES=$3; N=${4:-11}
DIR=$(mktemp -d); trap 'rm -rf "$DIR"' EXIT
cat > "$DIR/Print.java" <<'JAVA'
public class Print { public static void main(String[] a) throws Exception {
  var f = Class.forName("io.governed.jdbc.session.PostgresSessionReader").getDeclaredField(a[0]);
  f.setAccessible(true); System.out.println(f.get(null)); } }
JAVA
SLF4J=$(ls "$HOME"/.m2/repository/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar)
java -cp "$CLASSES:$SLF4J" "$DIR/Print.java" RELATIONS 2>/dev/null > "$DIR/relations.sql"
# the two parameters, as the driver binds them: the schemas asked for by name (none), the names
SQL=$(sed -e "s/?::pg_catalog.text\[\]) AS pg_catalog.text\[\])) AS meant/'{}'::pg_catalog.text[]) AS pg_catalog.text[])) AS meant/" \
          -e "s/?::pg_catalog.text\[\])/'$NAMES'::pg_catalog.text[])/" "$DIR/relations.sql")
SP="SELECT pg_catalog.current_schemas(true), pg_catalog.current_setting('standard_conforming_strings') OPERATOR(pg_catalog.=) 'on';"
E="EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON, COSTS OFF) $SQL;"
for i in $(seq "$N"); do
  printf '%s\n%s\n%s\n%s\n' "$SP" "$E" "$E" "$E" | psql -X -h 127.0.0.1 -U postgres -d "$DB" -At \
    | grep -E 'Planning Time|Execution Time' | awk '{print $3}' | paste -sd' '
done | awk '{cp[NR]=$1; ce[NR]=$2; wp[NR]=$5; we[NR]=$6} END { n=asort(cp); asort(ce); asort(wp); asort(we); m=int((n+1)/2);
  printf "n=%d cold: planning %.2f execution %.2f (ranges %.2f-%.2f, %.2f-%.2f) | warm: planning %.2f execution %.2f ms\n",
    n, cp[m], ce[m], cp[1], cp[n], ce[1], ce[n], wp[m], we[m]}'
