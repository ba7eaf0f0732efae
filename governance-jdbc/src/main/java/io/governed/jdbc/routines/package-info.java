/** What the database itself says about its routines: which are built-ins that need no {@code call} permission. */
package io.governed.jdbc.routines;
