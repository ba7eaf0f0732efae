package io.governed.policy.load;

import io.governed.policy.model.ApprovalRule;
import io.governed.policy.model.FallbackEffect;
import io.governed.policy.model.Limit;
import io.governed.policy.model.Mask;
import io.governed.policy.model.RowFilter;
import io.governed.policy.model.Rule;
import io.governed.policy.pattern.ColumnPattern;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one policy source says, with positions, before it is composed with other sources into a
 * {@link io.governed.policy.Policy}. A setting a source leaves out is {@code null}.
 */
final class PolicyFragment {

    Located<FallbackEffect> defaultEffect;
    Located<FallbackEffect> onUnparseable;
    Located<Boolean> autoDetect;
    final Map<String, List<ColumnPattern>> tags = new LinkedHashMap<>();
    final List<Rule> rules = new ArrayList<>();
    final List<Mask> masks = new ArrayList<>();
    final List<RowFilter> rowFilters = new ArrayList<>();
    final List<ApprovalRule> approvals = new ArrayList<>();
    final List<Limit> limits = new ArrayList<>();
    final List<io.governed.policy.model.RoutineFootprint> routines = new ArrayList<>();
    /** Whether the whole source is in observe mode ({@code enforcement: observe} at the top). */
    boolean observeOnly;
    /** Ids of the rules, masks and row filters in observe mode, the source's own or each entry's. */
    final java.util.Set<String> observed = new java.util.LinkedHashSet<>();
    /** Every id written, valid entry or not, for the duplicate check across sources. */
    final List<Located<String>> ids = new ArrayList<>();
    /** Every tag a mask names, checked against the tags once every source is read. */
    final List<Located<String>> tagReferences = new ArrayList<>();
}
