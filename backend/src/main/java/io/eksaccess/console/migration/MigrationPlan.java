package io.eksaccess.console.migration;

import io.eksaccess.console.accessentry.AccessEntry;
import io.eksaccess.console.awsauth.Section;
import io.eksaccess.console.system.Sentence;
import java.util.List;

/**
 * What moving a cluster from aws-auth to access entries takes (issue 16's JSON): the entries to
 * create, the mappings skipped because their principal already has an entry, the mappings no entry
 * can express (each with its reason) and notes for the person doing it (text.migration.note.*: the key is
 * the note's stable code; pages resolve it, the CLI prints {@link Sentence#text()}).
 */
public record MigrationPlan(List<Planned> entries, List<Skipped> skipped, List<Unmigratable> unmigratable,
        List<Sentence> notes) {

    /** An entry to create and the aws-auth mapping it comes from. */
    public record Planned(AccessEntry entry, Section from, int index) {}

    public record Skipped(Section key, int index, Sentence reason) {}

    /** {@code index} is null when a whole section is meant. */
    public record Unmigratable(Section key, Integer index, Sentence reason) {}

    public MigrationPlan {
        entries = List.copyOf(entries);
        skipped = List.copyOf(skipped);
        unmigratable = List.copyOf(unmigratable);
        notes = List.copyOf(notes);
    }

    /** The planned entries alone, as the cluster would hold them. */
    public List<AccessEntry> plannedEntries() {
        return entries.stream().map(Planned::entry).toList();
    }
}
